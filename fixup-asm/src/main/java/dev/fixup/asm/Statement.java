package dev.fixup.asm;

/** One statement (a line, or part of a line between `;`), comments removed, with its source line. */
record Statement(String text, int line) { }

package dev.fixup.asm;

/**
 * One statement (a line, or part of a line between `;`), comments removed, with its source line and,
 * inside macro expansions, the lines of the invocations that produced it (innermost first).
 */
record Statement(String text, int line, int[] invokedFrom) {
    static final int[] TOP = new int[0];

    Statement(String text, int line) { this(text, line, TOP); }

    Statement from(int[] chain) { return new Statement(text, line, chain); }
}

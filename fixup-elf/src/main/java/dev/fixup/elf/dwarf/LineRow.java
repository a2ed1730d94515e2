package dev.fixup.elf.dwarf;

/** One row of a line-number matrix: an address and where it came from (file: an index into the header's file table). */
public record LineRow(long address, int file, int line, int column, int discriminator, boolean endSequence) {}

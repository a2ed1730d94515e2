package dev.fixup.link;

import dev.fixup.elf.ElfFile;

import java.util.Arrays;

/** One input object during a link: its (copied) contents and where each of its sections went. */
final class InputObject {
    final String name;
    final ElfFile elf;
    /** Per section index: true when a COMDAT group kept elsewhere or /DISCARD/ removed it. */
    final boolean[] discarded;
    /** Per section index: the final address, or Relocator.NOT_LOADED. */
    final long[] addr;
    /** Per section index: the input-section record, or null for sections that are not linked. */
    final InputSection[] inputs;

    InputObject(String name, ElfFile elf) {
        this.name = name;
        this.elf = elf;
        int n = elf.sections.size();
        discarded = new boolean[n];
        addr = new long[n];
        Arrays.fill(addr, Relocator.NOT_LOADED);
        inputs = new InputSection[n];
    }

    @Override public String toString() { return name; }
}

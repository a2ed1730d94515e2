package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Section;

/**
 * An allocatable section of an input object (or the space of one common symbol, which ld calls
 * the input section COMMON), as placed by the layout.
 */
final class InputSection {
    final InputObject file;
    /** Section index in the file, or -1 for a common symbol's space. */
    final int index;
    final String name;
    long size;  // .eh_frame editing shrinks it
    long align;  // a merged-away SHF_MERGE section drops to 1
    final int flags;
    final int type;
    OutSection out;
    long vma;
    boolean discarded;
    /** Matched by a KEEP(...) pattern: a root for --gc-sections. */
    boolean keep;

    InputSection(InputObject file, int index, Section s) {
        this.file = file;
        this.index = index;
        this.name = s.name;
        this.size = s.data == null ? Integer.toUnsignedLong(s.size) : s.data.length;
        this.align = Math.max(1, Integer.toUnsignedLong(s.addralign));
        this.flags = s.flags;
        this.type = s.type;
    }

    /** The space for a common symbol. */
    InputSection(InputObject file, long size, long align) {
        this.file = file;
        this.index = -1;
        this.name = "COMMON";
        this.size = size;
        this.align = Math.max(1, align);
        this.flags = Elf.SHF_ALLOC | Elf.SHF_WRITE;
        this.type = Elf.SHT_NOBITS;
    }

    boolean isNobits() { return type == Elf.SHT_NOBITS; }

    @Override public String toString() { return file.name + "(" + name + ")"; }
}

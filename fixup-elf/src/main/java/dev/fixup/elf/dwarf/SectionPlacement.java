package dev.fixup.elf.dwarf;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Section;

/**
 * The address each section is looked up at. An executable's sections have theirs. In a
 * relocatable object every section starts at 0, so two functions could share an address; as GNU
 * BFD does, the allocated sections are laid out one after another in file order, each at its
 * alignment, while the others stay at 0 (so that -D on a debugging section meets the line rows of
 * the first code section, as objdump's does).
 */
final class SectionPlacement {
    private SectionPlacement() {}

    static long[] of(ElfFile elf) {
        long[] vma = new long[elf.sections.size()];
        if (elf.type != Elf.ET_REL) {
            for (int i = 0; i < vma.length; i++) vma[i] = Integer.toUnsignedLong(elf.sections.get(i).addr);
            return vma;
        }
        long next = 0;
        for (int i = 1; i < vma.length; i++) {
            Section s = elf.sections.get(i);
            if (!s.isAlloc()) continue;
            long align = Math.max(1, Integer.toUnsignedLong(s.addralign));
            if (Long.bitCount(align) != 1) align = Long.highestOneBit(align) << 1;   // BFD keeps the power of two above
            next = (next + align - 1) & -align;
            vma[i] = next;
            next += Integer.toUnsignedLong(s.size);
        }
        return vma;
    }
}

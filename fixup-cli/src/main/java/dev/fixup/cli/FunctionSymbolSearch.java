package dev.fixup.cli;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

/**
 * The function objdump -l names from the symbol table when the DWARF names none, found as BFD
 * finds it: among the section's code-like symbols (functions and untyped labels, a size of 0
 * counting as 1, hidden local untyped labels of size 0 excluded) the one nearest at or before the
 * place, the larger of two at one place. The last answer is kept and given again for every place
 * inside its extent without a new search, which is why a label inside a function's extent does
 * not interrupt it.
 */
final class FunctionSymbolSearch {
    private static final int STT_TLS = 6, STV_HIDDEN = 2;

    private final ElfFile elf;
    private int cachedSection = -1;
    private Symbol cached;
    private long cachedStart, cachedSize;

    FunctionSymbolSearch(ElfFile elf) { this.elf = elf; }

    /** The function's name at offset in section (section-relative in an executable too), or null. */
    String find(int section, long offset) {
        if (cachedSection != section || cached == null || offset < cachedStart || offset >= cachedStart + cachedSize)
            search(section, offset);
        return cached == null ? null : cached.name;
    }

    private void search(int section, long offset) {
        cachedSection = section;
        cached = null;
        cachedSize = 0;
        cachedStart = 0;
        long low = 0;
        long base = elf.type == Elf.ET_REL ? 0 : Integer.toUnsignedLong(elf.sections.get(section).addr);
        for (int i = 1; i < elf.symbols.size(); i++) {
            Symbol s = elf.symbols.get(i);
            long size = codeSize(s, section);
            if (size == 0) continue;
            long start = Integer.toUnsignedLong(s.value) - base;
            if (start <= offset && (start > low || (start == low && size > cachedSize))) {
                cached = s;
                cachedStart = start;
                cachedSize = size;
                low = start;
            }
        }
    }

    /** A symbol's extent if it may name code in the section (0 if not), a size of 0 counting as 1. */
    private static long codeSize(Symbol s, int section) {
        if (s.shndx != section) return 0;
        int type = s.type();
        if (type == Elf.STT_SECTION || type == Elf.STT_FILE || type == Elf.STT_OBJECT || type == STT_TLS) return 0;
        if (s.size == 0 && s.bind() == Elf.STB_LOCAL && type == Elf.STT_NOTYPE && (s.other & 3) == STV_HIDDEN) return 0;
        return s.size == 0 ? 1 : Integer.toUnsignedLong(s.size);
    }
}

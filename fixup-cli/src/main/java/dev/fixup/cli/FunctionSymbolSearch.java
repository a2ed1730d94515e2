package dev.fixup.cli;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<Integer, Candidate[]> candidates = new HashMap<>();

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
        Candidate[] list = candidates.computeIfAbsent(section, this::candidates);
        int lo = 0, hi = list.length;         // how many start at or before offset
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list[mid].start <= offset) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return;
        int i = lo - 1;
        while (i > 0 && list[i - 1].start == list[i].start) i--;     // sorted: the first at a place is the one
        cached = list[i].symbol;
        cachedStart = list[i].start;
        cachedSize = list[i].size;
    }

    private record Candidate(Symbol symbol, long start, long size) {}

    /**
     * The symbols that may name code in a section, by place; at one place the larger first, then
     * the earlier in the table. Places before the section's start (in an executable) never count.
     */
    private Candidate[] candidates(int section) {
        long base = elf.type == Elf.ET_REL ? 0 : Integer.toUnsignedLong(elf.sections.get(section).addr);
        List<Candidate> list = new ArrayList<>();
        for (int i = 1; i < elf.symbols.size(); i++) {
            Symbol s = elf.symbols.get(i);
            long size = codeSize(s, section);
            long start = Integer.toUnsignedLong(s.value) - base;
            if (size != 0 && start >= 0) list.add(new Candidate(s, start, size));
        }
        list.sort(Comparator.comparingLong(Candidate::start).thenComparing(Comparator.comparingLong(Candidate::size).reversed()));
        return list.toArray(new Candidate[0]);
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

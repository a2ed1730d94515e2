package dev.fixup.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names an address as {@code symbol+0xoff}, the way objdump and the kernel's traces show code
 * locations. For an executable the address is a virtual address; for a relocatable object it is an
 * offset inside one section, so {@link #name(int, int)} takes the section index. Among symbols at
 * one address it prefers, as objdump does, functions to objects to plain labels, then globals to
 * locals, then the first name in byte order; an address outside every section is named after the
 * nearest absolute symbol below it.
 */
public final class AddressSymbolizer {
    private record Entry(int section, int value, String name, int rank) {}

    /** objdump's preference among symbols at one address: higher is better. */
    private static int rank(Symbol s) {
        int type = switch (s.type()) {
            case Elf.STT_SECTION -> 0;
            case Elf.STT_FUNC -> 3;
            case Elf.STT_OBJECT -> 2;
            default -> 1;
        };
        return type * 2 + (s.bind() == Elf.STB_LOCAL ? 0 : 1);
    }

    private static final Comparator<Entry> PREFERENCE =
            Comparator.comparingInt(Entry::rank).reversed().thenComparing(Entry::name);

    private final ElfFile file;
    private final List<Entry> entries = new ArrayList<>();
    /** Per section index: its entries that can name an address (no .L labels), in the order of {@link #entries}. */
    private final Map<Integer, Entry[]> named = new HashMap<>();
    /** The entries {@link #nameInAnySection} looks at (no section symbols), by value then preference. */
    private final Entry[] anySection;

    public AddressSymbolizer(ElfFile file) {
        this.file = file;
        for (Symbol s : file.symbols) {
            int t = s.type();
            if (s.name.isEmpty() && t != Elf.STT_SECTION) continue;
            if (t == Elf.STT_FILE || s.shndx == Elf.SHN_UNDEF || s.shndx == Elf.SHN_COMMON) continue;
            if (s.shndx >= file.sections.size() && (s.shndx != Elf.SHN_ABS || t == Elf.STT_SECTION)) continue;
            String name = t == Elf.STT_SECTION ? file.sections.get(s.shndx).name : s.name;
            entries.add(new Entry(s.shndx, s.value, name, rank(s)));
        }
        entries.sort(Comparator.comparingInt(Entry::section)
                .thenComparing((a, b) -> Integer.compareUnsigned(a.value, b.value))
                .thenComparing(PREFERENCE));
        Map<Integer, List<Entry>> bySection = new HashMap<>();
        for (Entry e : entries)
            if (!e.name.startsWith(".L")) bySection.computeIfAbsent(e.section, k -> new ArrayList<>()).add(e);
        bySection.forEach((sec, list) -> named.put(sec, list.toArray(new Entry[0])));
        anySection = entries.stream().filter(e -> e.rank >= 2)
                .sorted((a, b) -> Integer.compareUnsigned(a.value, b.value)).toArray(Entry[]::new);
    }

    /** The section (index) of an executable that holds this virtual address, or -1. */
    public int sectionAt(int address) {
        for (int i = 1; i < file.sections.size(); i++) {
            Section s = file.sections.get(i);
            if (!s.isAlloc() || s.size == 0) continue;
            long off = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(s.addr);
            if (off >= 0 && off < Integer.toUnsignedLong(s.size)) return i;
        }
        return -1;
    }

    /**
     * {@code name+0xoff} for a virtual address of an executable; outside every section, after the
     * nearest absolute symbol below it; null when there is none.
     */
    public String name(int address) {
        int sec = sectionAt(address);
        if (sec >= 0) return name(sec, address);
        Entry best = best(Elf.SHN_ABS, address);
        return best == null ? null : offset(best.name, address - best.value);
    }

    /** {@code name+0xoff} for a value inside section {@code sec} (an offset in a relocatable file). */
    public String name(int sec, int value) {
        Entry best = best(sec, value);
        if (best == null) {
            Section s = file.sections.get(sec);
            int base = file.type == Elf.ET_REL ? 0 : s.addr;
            return offset(s.name, value - base);
        }
        return offset(best.name, value - best.value);
    }

    /**
     * {@code name+0xoff} for a value of a relocatable file that lies outside the section it was
     * found in (a branch past the end of its section): objdump then takes the nearest symbol at or
     * below the value in any section, absolute and kept .L symbols included, section symbols not; among several at that value, one
     * of fromSection first. Null when there is none.
     */
    public String nameInAnySection(int value, int fromSection) {
        int end = upperBound(anySection, value);
        if (end == 0) return null;
        int at = anySection[end - 1].value;
        Entry best = null;
        for (int i = end - 1; i >= 0 && anySection[i].value == at; i--) {
            Entry e = anySection[i];
            boolean here = e.section == fromSection, bestHere = best != null && best.section == fromSection;   // ties: the section it was found in first
            if (best == null || (here && !bestHere) || (here == bestHere && PREFERENCE.compare(e, best) <= 0)) best = e;
        }
        return offset(best.name, value - best.value);
    }

    /** The preferred symbol of the highest address <= value in this section, or null. */
    private Entry best(int sec, int value) {
        Entry[] list = named.get(sec);
        if (list == null) return null;
        int i = upperBound(list, value) - 1;
        if (i < 0) return null;
        while (i > 0 && list[i - 1].value == list[i].value) i--;   // sorted: the first at an address is preferred
        return list[i];
    }

    /** How many entries of a list sorted by unsigned value have a value <= value. */
    private static int upperBound(Entry[] list, int value) {
        int lo = 0, hi = list.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(list[mid].value, value) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static String offset(String name, int off) {
        return off == 0 ? name : name + "+0x" + Integer.toHexString(off);
    }
}

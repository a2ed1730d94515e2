package dev.fixup.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names an address as {@code symbol+0xoff}, the way objdump and the kernel's traces show code
 * locations. For an executable the address is a virtual address; for a relocatable object it is an
 * offset inside one section, so {@link #name(int, int)} takes the section index.
 */
public final class AddressSymbolizer {
    private record Entry(int section, int value, String name, int rank) {}

    private final ElfFile file;
    private final List<Entry> entries = new ArrayList<>();

    public AddressSymbolizer(ElfFile file) {
        this.file = file;
        for (Symbol s : file.symbols) {
            int t = s.type();
            if (s.name.isEmpty() && t != Elf.STT_SECTION) continue;
            if (t == Elf.STT_FILE || s.shndx == Elf.SHN_UNDEF || s.shndx >= Elf.SHN_ABS) continue;
            if (s.name.startsWith(".L")) continue;
            // Functions and objects name a place better than plain labels, labels better than sections.
            int rank = t == Elf.STT_SECTION ? 0 : (t == Elf.STT_FUNC || t == Elf.STT_OBJECT) ? 2 : 1;
            String name = t == Elf.STT_SECTION ? file.sections.get(s.shndx).name : s.name;
            entries.add(new Entry(s.shndx, s.value, name, rank));
        }
        entries.sort(Comparator.comparingInt(Entry::section)
                .thenComparing((a, b) -> Integer.compareUnsigned(a.value, b.value))
                .thenComparingInt(Entry::rank));
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

    /** {@code name+0xoff} for a virtual address of an executable, or null if no section holds it. */
    public String name(int address) {
        int sec = sectionAt(address);
        return sec < 0 ? null : name(sec, address);
    }

    /** {@code name+0xoff} for a value inside section {@code sec} (an offset in a relocatable file). */
    public String name(int sec, int value) {
        Entry best = null;
        for (Entry e : entries) {
            if (e.section != sec || Integer.compareUnsigned(e.value, value) > 0) continue;
            if (best == null || e.value != best.value || e.rank > best.rank) best = e;
        }
        if (best == null) {
            Section s = file.sections.get(sec);
            int base = file.type == Elf.ET_REL ? 0 : s.addr;
            return offset(s.name, value - base);
        }
        return offset(best.name, value - best.value);
    }

    private static String offset(String name, int off) {
        return off == 0 ? name : name + "+0x" + Integer.toHexString(off);
    }
}

package dev.fixup.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The symbolizer's indexed lookups against the rule they implement, applied by scanning every
 * symbol: random symbol tables crowded onto few addresses (ties of type, binding and name, .L
 * labels, section and absolute symbols), in executables and relocatable objects.
 */
class AddressSymbolizerTest {
    @Test
    void namesAsObjdumpPrefers() {
        ElfFile f = file(Elf.ET_EXEC);
        add(f, "label", 0x1000, Elf.STB_LOCAL, Elf.STT_NOTYPE, 1);
        add(f, "func", 0x1000, Elf.STB_GLOBAL, Elf.STT_FUNC, 1);
        add(f, ".L1", 0x1004, Elf.STB_LOCAL, Elf.STT_NOTYPE, 1);
        add(f, "abs", 0x9000, Elf.STB_GLOBAL, Elf.STT_NOTYPE, Elf.SHN_ABS);
        AddressSymbolizer s = new AddressSymbolizer(f);
        assertEquals("func", s.name(0x1000));
        assertEquals("func+0x8", s.name(0x1008));          // .L labels name nothing
        assertEquals("abs+0x10", s.name(0x9010));           // outside every section
        assertEquals(".data+0x4", s.name(2, 0x2004));       // a section without symbols
        assertEquals(null, s.name(0x10));
    }

    @Property(tries = 300)
    void indexedLookupsAgreeWithAScan(@ForAll long seed) {
        Random r = new Random(seed);
        ElfFile f = file(r.nextBoolean() ? Elf.ET_EXEC : Elf.ET_REL);
        int n = 1 + r.nextInt(60);
        String[] names = {"a", "b", "c", ".La", ".Lb", "", "z"};
        int[] types = {Elf.STT_NOTYPE, Elf.STT_FUNC, Elf.STT_OBJECT, Elf.STT_SECTION, Elf.STT_FILE};
        int[] binds = {Elf.STB_LOCAL, Elf.STB_GLOBAL, Elf.STB_WEAK};
        for (int i = 0; i < n; i++) {
            int shndx = switch (r.nextInt(6)) { case 0 -> Elf.SHN_ABS; case 1 -> Elf.SHN_UNDEF; case 2 -> 2; default -> 1; };
            int base = f.type == Elf.ET_REL ? 0 : f.sections.get(shndx == 2 ? 2 : 1).addr;
            int value = base + (r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(24));
            add(f, names[r.nextInt(names.length)], value, binds[r.nextInt(binds.length)], types[r.nextInt(types.length)], shndx);
        }
        AddressSymbolizer s = new AddressSymbolizer(f);
        Scan scan = new Scan(f);
        for (int k = 0; k < 40; k++) {
            int sec = 1 + r.nextInt(2);
            int base = f.type == Elf.ET_REL ? 0 : f.sections.get(sec).addr;
            int v = k % 8 == 0 ? r.nextInt() : base + r.nextInt(32) - 4;
            assertEquals(scan.name(sec, v), s.name(sec, v), "name(" + sec + ", " + v + ")");
            assertEquals(scan.nameInAnySection(v, sec), s.nameInAnySection(v, sec), "nameInAnySection(" + v + ", " + sec + ")");
            if (f.type == Elf.ET_EXEC) {
                int sa = s.sectionAt(v);
                assertEquals(sa >= 0 ? scan.name(sa, v) : scan.name(Elf.SHN_ABS, v, true), s.name(v), "name(" + v + ")");
            }
        }
    }

    private static ElfFile file(int type) {
        ElfFile f = new ElfFile();
        f.type = type;
        f.sections.add(section(".text", 0x1000, 0x100));
        f.sections.add(section(".data", 0x2000, 0x100));
        return f;
    }

    private static Section section(String name, int addr, int size) {
        Section s = new Section(name, Elf.SHT_PROGBITS, Elf.SHF_ALLOC);
        s.setData(new byte[size]);
        s.addr = addr;
        return s;
    }

    private static void add(ElfFile f, String name, int value, int bind, int type, int shndx) {
        f.symbols.add(new Symbol(name, value, 0, Elf.stInfo(bind, type), shndx));
    }

    /** The rule by a scan of every entry, sorted by section, address and preference. */
    private static final class Scan {
        private record Entry(int section, int value, String name, int rank) {}

        private static final Comparator<Entry> PREFERENCE = Comparator.comparingInt(Entry::rank).reversed().thenComparing(Entry::name);
        private final ElfFile file;
        private final List<Entry> entries = new ArrayList<>();

        Scan(ElfFile file) {
            this.file = file;
            for (Symbol s : file.symbols) {
                int t = s.type();
                if (s.name.isEmpty() && t != Elf.STT_SECTION) continue;
                if (t == Elf.STT_FILE || s.shndx == Elf.SHN_UNDEF || s.shndx == Elf.SHN_COMMON) continue;
                if (s.shndx >= file.sections.size() && (s.shndx != Elf.SHN_ABS || t == Elf.STT_SECTION)) continue;
                int kind = t == Elf.STT_SECTION ? 0 : t == Elf.STT_FUNC ? 3 : t == Elf.STT_OBJECT ? 2 : 1;
                entries.add(new Entry(s.shndx, s.value, t == Elf.STT_SECTION ? file.sections.get(s.shndx).name : s.name,
                        kind * 2 + (s.bind() == Elf.STB_LOCAL ? 0 : 1)));
            }
            entries.sort(Comparator.comparingInt(Entry::section).thenComparing((a, b) -> Integer.compareUnsigned(a.value, b.value))
                    .thenComparing(PREFERENCE));
        }

        String name(int sec, int value) {
            String n = name(sec, value, false);
            if (n != null) return n;
            Section s = file.sections.get(sec);
            return offset(s.name, value - (file.type == Elf.ET_REL ? 0 : s.addr));
        }

        String name(int sec, int value, boolean orNull) {
            Entry best = null;
            for (Entry e : entries) {
                if (e.section != sec || Integer.compareUnsigned(e.value, value) > 0 || e.name.startsWith(".L")) continue;
                if (best == null || e.value != best.value) best = e;
            }
            return best == null ? null : offset(best.name, value - best.value);
        }

        String nameInAnySection(int value, int fromSection) {
            Entry best = null;
            for (Entry e : entries) {
                if (Integer.compareUnsigned(e.value, value) > 0 || e.rank < 2) continue;
                if (best == null || Integer.compareUnsigned(e.value, best.value) > 0) { best = e; continue; }
                if (e.value != best.value) continue;
                boolean here = e.section == fromSection, bestHere = best.section == fromSection;
                if ((here && !bestHere) || (here == bestHere && PREFERENCE.compare(e, best) < 0)) best = e;
            }
            return best == null ? null : offset(best.name, value - best.value);
        }

        private static String offset(String name, int off) {
            return off == 0 ? name : name + "+0x" + Integer.toHexString(off);
        }
    }
}

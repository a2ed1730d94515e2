package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies the REL relocations of one relocatable object whose sections have been given addresses.
 * i386 REL keeps the addend in the patched bytes, so each field is read (A), the symbol's address
 * computed (S), the place's address known (P), and the result written back with the range check of
 * its width. Used by the linker for every input object and by the kernel's module loader.
 */
public final class Relocator {
    /** Marks a section that is not loaded (its relocations are skipped; references to it are errors). */
    public static final long NOT_LOADED = -1;

    /** i386 types and symbol types beyond the basic ones (the i386 psABI's numbers). */
    static final int R_386_TLS_IE = 15, R_386_TLS_GOTIE = 16, R_386_TLS_LE = 17, R_386_TLS_LE_32 = 34,
            R_386_IRELATIVE = 42, R_386_GOT32X = 43, STT_GNU_IFUNC = 10, STT_TLS = 6;

    /** What GOT-, TLS- and IFUNC-relative relocations need from a static link (null: none of them is allowed). */
    interface Tables {
        /** _GLOBAL_OFFSET_TABLE_, or null when the link has none. */
        Long gotBase();
        /** Address of the GOT word for this symbol of this object, or null. */
        Long gotEntry(String fileName, ElfFile obj, int symIndex);
        /** address minus the thread pointer, or null when there is no TLS segment. */
        Long ntpoffOrNull(long address);
        /** The address references to this global get instead of its own (an IFUNC's .iplt entry), or null. */
        Long redirectGlobal(String name);
        /** Whether the linker rewrites this relocation's instruction to do without the GOT (see GotRelaxation). */
        boolean relaxed(Relocation r);
        /** Final address of an offset into a merged SHF_MERGE input section, or null when that section was not merged. */
        Long mergedAddress(String fileName, ElfFile obj, int shndx, long offset);
    }

    /** Resolves a global or weak symbol by name; returns null when it is not defined anywhere. */
    @FunctionalInterface
    public interface SymbolResolver {
        Long resolve(String name);
    }

    private Relocator() {}

    /**
     * Patches, in place, the data of every loaded section that has relocations.
     *
     * @param fileName    used in messages ("efault.o: ...")
     * @param obj         an ET_REL file; its sections' data arrays are modified
     * @param sectionAddr address of each section by section index, or {@link #NOT_LOADED}
     * @param resolver    addresses of non-local symbols (local ones come from sectionAddr)
     * @return the problems found (undefined references, overflows, unsupported types); empty if none
     */
    public static List<String> relocate(String fileName, ElfFile obj, long[] sectionAddr, SymbolResolver resolver) {
        return relocate(fileName, obj, sectionAddr, resolver, null);
    }

    static List<String> relocate(String fileName, ElfFile obj, long[] sectionAddr, SymbolResolver globals, Tables tables) {
        List<String> errors = new ArrayList<>();
        SymbolResolver resolver = tables == null ? globals : name -> {
            Long r = tables.redirectGlobal(name);
            return r != null ? r : globals.resolve(name);
        };
        for (Section rel : obj.sections) {
            if (rel.type != Elf.SHT_REL || rel.info <= 0 || rel.info >= obj.sections.size()) continue;
            Section target = obj.sections.get(rel.info);
            if (rel.info >= sectionAddr.length || sectionAddr[rel.info] == NOT_LOADED || target.data == null) continue;
            for (Relocation r : rel.relocations) {
                String err = apply(fileName, obj, target, sectionAddr[rel.info], r, sectionAddr, resolver, tables);
                if (err != null) errors.add(err);
            }
        }
        return errors;
    }

    /** Address of symbol index i as seen from this object, or null when undefined (weak -> 0). */
    static Long symbolAddress(ElfFile obj, int i, long[] sectionAddr, SymbolResolver resolver, String[] problem) {
        Symbol s = obj.symbols.get(i);
        if (s.bind() == Elf.STB_LOCAL || s.type() == Elf.STT_SECTION) {
            if (s.shndx == Elf.SHN_ABS) return (long) s.value;
            if (s.shndx == Elf.SHN_UNDEF) return i == 0 ? 0L : null;
            if (s.shndx >= sectionAddr.length || s.shndx >= obj.sections.size()) {
                problem[0] = "section index " + s.shndx + " that cannot be placed";
                return null;
            }
            if (sectionAddr[s.shndx] == NOT_LOADED) {
                problem[0] = "discarded section `" + obj.sections.get(s.shndx).name + "'";
                return null;
            }
            return sectionAddr[s.shndx] + Integer.toUnsignedLong(s.value);
        }
        Long v = resolver.resolve(s.name);
        if (v == null && s.bind() == Elf.STB_WEAK) return 0L;
        return v;
    }

    private static String apply(String file, ElfFile obj, Section target, long base, Relocation r, long[] sectionAddr,
                                SymbolResolver resolver, Tables tables) {
        // the message prefix costs a symbol scan, so it is built only for an error
        java.util.function.Supplier<String> at = () -> where(file, obj, target, r.offset);
        int width = width(r.type);
        if (r.type == Elf.R_386_NONE) return null;
        if (width == 0 || (tables == null && needsTables(r.type))) return at.get() + ": unsupported relocation type " + typeName(r.type);
        if (r.offset < 0 || r.offset + width > target.data.length)
            return at.get() + ": relocation " + typeName(r.type) + " outside section " + target.name;
        if (r.symbol < 0 || r.symbol >= obj.symbols.size())
            return at.get() + ": relocation " + typeName(r.type) + " has a bad symbol index " + r.symbol;
        String[] problem = new String[1];
        Symbol sym = obj.symbols.get(r.symbol);
        long a = switch (width) {
            case 1 -> target.data[r.offset];
            case 2 -> (short) ((target.data[r.offset] & 0xff) | (target.data[r.offset + 1] & 0xff) << 8);
            default -> LittleEndian.get32(target.data, r.offset);
        };
        boolean pcRel = r.type == Elf.R_386_PC32 || r.type == Elf.R_386_PLT32 || r.type == Elf.R_386_PC16 || r.type == Elf.R_386_PC8
                || r.type == Elf.R_386_GOTPC;
        Long s = null;
        if (tables != null && sym.bind() == Elf.STB_LOCAL && sym.shndx > 0 && sym.shndx < obj.sections.size()) {
            // into a merged string or constant: the piece the old offset named, wherever it went
            if (sym.type() == Elf.STT_SECTION) {
                s = tables.mergedAddress(file, obj, sym.shndx, a + (pcRel ? 4 : 0));
                if (s != null) a = pcRel ? -4 : 0;
            } else s = tables.mergedAddress(file, obj, sym.shndx, Integer.toUnsignedLong(sym.value));
        }
        if (s == null) s = symbolAddress(obj, r.symbol, sectionAddr, resolver, problem);
        String symName = displayName(obj, sym);
        if (s == null && problem[0] != null && problem[0].startsWith("discarded") && target.name.equals(".eh_frame")) {
            // the FDE of a COMDAT function whose copy was dropped: it now describes address 0, where no code is
            // (GNU ld removes such FDEs; an unwinder never looks them up either way)
            s = 0L;
            problem[0] = null;
        }
        if (s == null) {
            if (problem[0] != null) return at.get() + ": relocation " + typeName(r.type) + " refers to `" + symName + "' in " + problem[0];
            return at.get() + ": undefined reference to `" + symName + "'";
        }
        byte[] d = target.data;
        long p = base + Integer.toUnsignedLong(r.offset);
        long v;
        if (tables != null && tables.relaxed(r)) {
            GotRelaxation.Form form = GotRelaxation.form(d, r.offset, r.type);
            Long got = tables.gotBase(), tp = tables.ntpoffOrNull(s + a);
            if (form == null || got == null || (r.type == R_386_TLS_GOTIE && tp == null))
                return at.get() + ": relocation " + typeName(r.type) + " against `" + symName + "' cannot be relaxed";
            v = GotRelaxation.apply(form, d, r.offset, s, a, p, got, tp == null ? 0 : tp);
        } else if (needsTables(r.type)) {
            String[] why = new String[1];
            Long t = tableValue(file, obj, r, s, a, p, d, tables, why);
            if (t == null) return at.get() + ": relocation " + typeName(r.type) + " against `" + symName + "' " + why[0];
            v = t;
        } else v = s + a - (pcRel ? p : 0);
        // 32-bit fields wrap like the CPU does; narrower ones must fit: pc-relative as signed,
        // absolute ones as signed or unsigned ("bitfield", as ld checks them).
        if (width < 4) {
            long min = -(1L << (width * 8 - 1));
            long max = pcRel ? (1L << (width * 8 - 1)) - 1 : (1L << (width * 8)) - 1;
            long sv = (int) v;
            if (sv < min || sv > max)
                return at.get() + ": relocation truncated to fit: " + typeName(r.type) + " against `" + symName + "' (value 0x"
                        + Long.toHexString(v & 0xffffffffL) + " does not fit in " + width * 8 + " bits)";
        }
        switch (width) {
            case 1 -> d[r.offset] = (byte) v;
            case 2 -> { d[r.offset] = (byte) v; d[r.offset + 1] = (byte) (v >>> 8); }
            default -> LittleEndian.put32(d, r.offset, (int) v);
        }
        return null;
    }

    private static boolean needsTables(int type) {
        return switch (type) {
            case Elf.R_386_GOT32, R_386_GOT32X, Elf.R_386_GOTOFF, Elf.R_386_GOTPC, R_386_TLS_IE, R_386_TLS_GOTIE,
                 R_386_TLS_LE, R_386_TLS_LE_32 -> true;
            default -> false;
        };
    }

    /**
     * The value of a GOT- or TLS-relative field (the i386 psABI's formulas): GOTOFF S+A-GOT, GOTPC
     * GOT+A-P, GOT32/GOT32X G+A-GOT (G+A when the instruction has no base register), TLS_GOTIE
     * G+A-GOT and TLS_IE G+A (G holding S's offset from the thread pointer), TLS_LE S+A-TP,
     * TLS_LE_32 TP-S-A. Null with the reason when the table or the TLS segment it needs is missing.
     */
    private static Long tableValue(String file, ElfFile obj, Relocation r, long s, long a, long p, byte[] d, Tables tables, String[] why) {
        Long got = tables.gotBase();
        switch (r.type) {
            case Elf.R_386_GOTPC -> { return s + a - p; }
            case Elf.R_386_GOTOFF -> { if (got == null) break; return s + a - got; }
            case Elf.R_386_GOT32, R_386_GOT32X, R_386_TLS_GOTIE, R_386_TLS_IE -> {
                Long g = tables.gotEntry(file, obj, r.symbol);
                if (g == null || got == null) break;
                boolean absolute = r.type == R_386_TLS_IE
                        || (r.type != R_386_TLS_GOTIE && r.offset >= 1 && (d[r.offset - 1] & 0xc7) == 0x05); // modrm: disp32, no base
                return g + a - (absolute ? 0 : got);
            }
            case R_386_TLS_LE, R_386_TLS_LE_32 -> {
                Long off = tables.ntpoffOrNull(s + a);
                if (off == null) { why[0] = "needs a TLS segment, and the link has none"; return null; }
                return r.type == R_386_TLS_LE ? off : -off;
            }
            default -> { }
        }
        why[0] = "has no global offset table entry";
        return null;
    }

    static int width(int type) {
        if (needsTables(type)) return 4;
        return switch (type) {
            case Elf.R_386_32, Elf.R_386_PC32, Elf.R_386_PLT32 -> 4;
            case Elf.R_386_16, Elf.R_386_PC16 -> 2;
            case Elf.R_386_8, Elf.R_386_PC8 -> 1;
            default -> 0;
        };
    }

    public static String typeName(int type) {
        return switch (type) {
            case Elf.R_386_NONE -> "R_386_NONE"; case Elf.R_386_32 -> "R_386_32"; case Elf.R_386_PC32 -> "R_386_PC32";
            case Elf.R_386_GOT32 -> "R_386_GOT32"; case Elf.R_386_PLT32 -> "R_386_PLT32"; case 5 -> "R_386_COPY";
            case 6 -> "R_386_GLOB_DAT"; case 7 -> "R_386_JMP_SLOT"; case 8 -> "R_386_RELATIVE";
            case Elf.R_386_GOTOFF -> "R_386_GOTOFF"; case Elf.R_386_GOTPC -> "R_386_GOTPC"; case Elf.R_386_16 -> "R_386_16";
            case Elf.R_386_PC16 -> "R_386_PC16"; case Elf.R_386_8 -> "R_386_8"; case Elf.R_386_PC8 -> "R_386_PC8";
            case 43 -> "R_386_GOT32X"; case 15 -> "R_386_TLS_IE"; case 16 -> "R_386_TLS_GOTIE"; case 17 -> "R_386_TLS_LE";
            case 34 -> "R_386_TLS_LE_32"; case 42 -> "R_386_IRELATIVE"; case 18 -> "R_386_TLS_GD"; case 19 -> "R_386_TLS_LDM";
            default -> "type " + type;
        };
    }

    /** A section symbol is shown as its section's name, like ld does. */
    static String displayName(ElfFile obj, Symbol sym) {
        if (sym.type() == Elf.STT_SECTION && sym.shndx > 0 && sym.shndx < obj.sections.size())
            return obj.sections.get(sym.shndx).name;
        return sym.name;
    }

    /** "file: in function `f': .text+0x1c" when a function symbol covers the place, else "file: in section .text+0x1c". */
    static String where(String file, ElfFile obj, Section target, int offset) {
        int idx = obj.sections.indexOf(target);
        String fn = null;
        for (Symbol s : obj.symbols) {
            if (s.shndx != idx || s.type() != Elf.STT_FUNC) continue;
            long lo = Integer.toUnsignedLong(s.value), hi = lo + Math.max(1, Integer.toUnsignedLong(s.size));
            if (offset >= lo && offset < hi) { fn = s.name; break; }
        }
        String place = target.name + "+0x" + Integer.toHexString(offset);
        return fn != null ? file + ": in function `" + fn + "': " + place : file + ": in section " + place;
    }
}

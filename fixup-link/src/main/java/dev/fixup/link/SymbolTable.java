package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Global symbol resolution with the ELF rules: a strong definition beats a weak one and a common
 * one; two strong definitions are an error; commons merge to the largest size; an undefined weak
 * reference resolves to 0. Script assignments override object definitions, PROVIDE only fills
 * references nobody defines, and the caller's absolute symbols act like definitions.
 */
final class SymbolTable {
    enum Kind { UNDEFINED, DEFINED, WEAK, COMMON, ABSOLUTE_EXTRA, SCRIPT, LINKER }

    static final class Global {
        final String name;
        Kind kind = Kind.UNDEFINED;
        InputObject file;       // defining file (or the first referencing one while undefined)
        Symbol sym;             // defining symbol entry
        boolean referenced;     // some object refers to it
        boolean strongRef;      // ... and not only weakly
        long commonSize, commonAlign;
        InputSection commonSpace;
        Long value;             // SCRIPT / LINKER / ABSOLUTE_EXTRA values
        OutSection section;  // SCRIPT / LINKER: section the symbol is relative to, or null (absolute)
        int type = Elf.STT_NOTYPE, size;

        Global(String name) { this.name = name; }

        boolean isDefined() { return kind != Kind.UNDEFINED; }
    }

    final Map<String, Global> map = new LinkedHashMap<>();
    /** Merged SHF_MERGE sections, whose symbols' addresses are translated (null until merging ran). */
    MergedSections merged;
    final List<String> errors = new ArrayList<>();

    Global get(String name) { return map.computeIfAbsent(name, Global::new); }

    Global find(String name) { return map.get(name); }

    void defineExtra(String name, int value) {
        Global g = get(name);
        g.kind = Kind.ABSOLUTE_EXTRA;
        g.value = Integer.toUnsignedLong(value);
    }

    /** Adds one non-local symbol of an input object. */
    void add(InputObject f, Symbol s) {
        if (s.name.isEmpty()) return;
        Global g = get(s.name);
        boolean discardedDef = s.shndx > 0 && s.shndx < f.discarded.length && f.discarded[s.shndx];
        if (s.shndx == Elf.SHN_UNDEF || discardedDef) {
            g.referenced = true;
            if (s.bind() != Elf.STB_WEAK) g.strongRef = true;
            if (g.kind == Kind.UNDEFINED && g.file == null) g.file = f;
            return;
        }
        if (s.shndx == Elf.SHN_COMMON) {
            switch (g.kind) {
                case UNDEFINED, WEAK -> { setDef(g, f, s, Kind.COMMON); g.commonSize = Integer.toUnsignedLong(s.size);
                    g.commonAlign = Math.max(1, Integer.toUnsignedLong(s.value)); }
                case COMMON -> { g.commonSize = Math.max(g.commonSize, Integer.toUnsignedLong(s.size));
                    g.commonAlign = Math.max(g.commonAlign, Integer.toUnsignedLong(s.value));
                    if (Integer.toUnsignedLong(s.size) >= g.commonSize) { g.file = f; g.sym = s; } }
                default -> { } // a real definition wins over a common one
            }
            return;
        }
        boolean weak = s.bind() == Elf.STB_WEAK;
        switch (g.kind) {
            case UNDEFINED, COMMON -> setDef(g, f, s, weak ? (g.kind == Kind.COMMON ? Kind.COMMON : Kind.WEAK) : Kind.DEFINED);
            case WEAK -> { if (!weak) setDef(g, f, s, Kind.DEFINED); }
            case DEFINED -> { if (!weak) errors.add(f.name + ": multiple definition of `" + s.name + "'; first defined in " + g.file.name); }
            case ABSOLUTE_EXTRA -> { if (!weak) errors.add(f.name + ": multiple definition of `" + s.name + "'; also defined by the caller as 0x" + Long.toHexString(g.value)); }
            default -> { }
        }
    }

    private static void setDef(Global g, InputObject f, Symbol s, Kind k) {
        if (g.kind == Kind.COMMON && k == Kind.COMMON) return;
        g.kind = k;
        g.file = f;
        g.sym = s;
        g.type = s.type();
        g.size = s.size;
    }

    /** The address of a defined symbol, or null (undefined, or defined in a discarded section). */
    Long value(String name) {
        Global g = map.get(name);
        return g == null ? null : value(g);
    }

    Long value(Global g) {
        switch (g.kind) {
            case UNDEFINED: return null;
            case ABSOLUTE_EXTRA: case SCRIPT: case LINKER: return g.value;
            case COMMON: return g.commonSpace == null || g.commonSpace.discarded || g.commonSpace.out == null ? null : g.commonSpace.vma;
            default:
                Symbol s = g.sym;
                if (s.shndx == Elf.SHN_ABS) return Integer.toUnsignedLong(s.value);
                if (s.shndx >= g.file.addr.length) return null;
                if (merged != null) {
                    Long m = merged.address(g.file, s.shndx, Integer.toUnsignedLong(s.value));
                    if (m != null && g.file.addr[s.shndx] != Relocator.NOT_LOADED) return m & 0xffffffffL;
                }
                long base = g.file.addr[s.shndx];
                if (base == Relocator.NOT_LOADED) return null;
                return (base + Integer.toUnsignedLong(s.value)) & 0xffffffffL;
        }
    }
}

package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayDeque;
import java.util.List;

/**
 * --gc-sections: keeps the input sections reachable through relocations from the roots (the
 * entry symbol's section, -u symbols, KEEP(...) matches, notes, init/fini arrays, and sections
 * named like C identifiers whose __start_/__stop_ symbols are used) and discards the rest, as
 * GNU ld does, with SHF_GNU_RETAIN sections as roots too. The references of .eh_frame keep
 * nothing alive by themselves (an FDE describes its function, it does not use it): a section
 * that stays keeps what the FDEs describing it refer to (their language-specific data in
 * .gcc_except_table) and what their CIEs refer to (the personality routine).
 */
final class SectionGc {

    private SectionGc() {}

    static void sweep(List<InputObject> files, SymbolTable syms, List<InputSection> sections, List<String> rootSymbols) {
        ArrayDeque<InputSection> work = new ArrayDeque<>();
        java.util.Set<InputSection> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (InputSection in : sections) {
            if (in.discarded) continue;
            boolean root = in.keep || (in.flags & OutSection.SHF_GNU_RETAIN) != 0 || in.type == Elf.SHT_NOTE || in.type == Elf.SHT_INIT_ARRAY || in.type == Elf.SHT_FINI_ARRAY
                    || in.type == Elf.SHT_PREINIT_ARRAY || startStopUsed(in, syms);
            if (root && live.add(in)) work.add(in);
        }
        for (String name : rootSymbols) mark(definingSection(syms.find(name)), live, work);
        java.util.Set<String> ciesDone = new java.util.HashSet<>();
        java.util.Map<InputObject, java.util.Map<InputSection, List<Fde>>> fdes = new java.util.IdentityHashMap<>();
        while (!work.isEmpty()) {
            InputSection in = work.poll();
            if (in.index < 0 || in.name.equals(".eh_frame")) continue;
            InputObject f = in.file;
            for (Section rel : f.elf.sections) {
                if (rel.type != Elf.SHT_REL || rel.info != in.index) continue;
                for (Relocation r : rel.relocations) mark(target(f, r, syms), live, work);
            }
            markFromFdes(in, syms, live, work, ciesDone, fdes);
        }
        for (InputSection in : sections)
            if (!in.discarded && !live.contains(in) && in.index >= 0 && (in.file.elf.sections.get(in.index).flags & Elf.SHF_ALLOC) != 0)
                in.discarded = true;
    }

    /** The section a relocation refers to, or null. */
    private static InputSection target(InputObject f, Relocation r, SymbolTable syms) {
        if (r.symbol <= 0 || r.symbol >= f.elf.symbols.size()) return null;
        Symbol s = f.elf.symbols.get(r.symbol);
        if (s.bind() != Elf.STB_LOCAL) return definingSection(syms.find(s.name));
        return s.shndx > 0 && s.shndx < f.inputs.length ? f.inputs[s.shndx] : null;
    }

    /** An FDE: the section it describes, the relocations of its other fields, and its CIE's (keyed to mark them once). */
    private record Fde(InputSection describes, List<Relocation> others, String cie, List<Relocation> cieRelocs) {}

    /** For each FDE that describes this section: what its other fields and its CIE refer to. */
    private static void markFromFdes(InputSection in, SymbolTable syms, java.util.Set<InputSection> live, ArrayDeque<InputSection> work,
                                     java.util.Set<String> ciesDone, java.util.Map<InputObject, java.util.Map<InputSection, List<Fde>>> fdes) {
        InputObject f = in.file;
        for (Fde fde : fdes.computeIfAbsent(f, x -> fdesOf(x, syms)).getOrDefault(in, List.of())) {
            for (Relocation r : fde.others()) mark(target(f, r, syms), live, work);
            if (ciesDone.add(fde.cie())) for (Relocation r : fde.cieRelocs()) mark(target(f, r, syms), live, work);
        }
    }

    /** The file's FDEs by the section each describes (its initial location's relocation). */
    private static java.util.Map<InputSection, List<Fde>> fdesOf(InputObject f, SymbolTable syms) {
        java.util.Map<InputSection, List<Fde>> r = new java.util.IdentityHashMap<>();
        for (int eh = 1; eh < f.elf.sections.size(); eh++) {
            Section frame = f.elf.sections.get(eh);
            if (!frame.name.equals(".eh_frame") || frame.data == null) continue;
            java.util.TreeMap<Integer, Relocation> at = new java.util.TreeMap<>();
            for (Section rel : f.elf.sections) if (rel.type == Elf.SHT_REL && rel.info == eh) for (Relocation x : rel.relocations) at.put(x.offset, x);
            byte[] d = frame.data;
            for (int pos = 0; pos + 8 <= d.length; ) {
                long len = Integer.toUnsignedLong(LittleEndian.get32(d, pos));
                if (len == 0 || len == 0xffffffffL || pos + 4 + len > d.length) break;
                int end = (int) (pos + 4 + len), id = LittleEndian.get32(d, pos + 4), cie = pos + 4 - id;
                Relocation start = at.get(pos + 8);
                InputSection described = id == 0 || start == null ? null : target(f, start, syms);
                if (described != null && cie >= 0 && cie + 4 <= d.length) {
                    int cieEnd = (int) Math.min(d.length, cie + 4 + Integer.toUnsignedLong(LittleEndian.get32(d, cie)));
                    r.computeIfAbsent(described, k -> new java.util.ArrayList<>()).add(new Fde(described,
                            List.copyOf(at.subMap(pos + 9, end).values()), f.name + "#" + eh + "#" + cie, List.copyOf(at.subMap(cie, cieEnd).values())));
                }
                pos = end;
            }
        }
        return r;
    }

    private static void mark(InputSection in, java.util.Set<InputSection> live, ArrayDeque<InputSection> work) {
        if (in != null && !in.discarded && live.add(in)) work.add(in);
    }

    private static InputSection definingSection(SymbolTable.Global g) {
        if (g == null) return null;
        if (g.kind == SymbolTable.Kind.COMMON) return g.commonSpace;
        if ((g.kind != SymbolTable.Kind.DEFINED && g.kind != SymbolTable.Kind.WEAK) || g.sym == null) return null;
        int sh = g.sym.shndx;
        return sh > 0 && sh < g.file.inputs.length ? g.file.inputs[sh] : null;
    }

    private static boolean startStopUsed(InputSection in, SymbolTable syms) {
        if (!in.name.matches("[A-Za-z_][A-Za-z0-9_]*")) return false;
        SymbolTable.Global a = syms.find("__start_" + in.name), b = syms.find("__stop_" + in.name);
        return (a != null && a.referenced) || (b != null && b.referenced);
    }
}

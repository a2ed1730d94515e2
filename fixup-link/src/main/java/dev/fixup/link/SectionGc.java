package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayDeque;
import java.util.List;

/**
 * --gc-sections: keeps the input sections reachable through relocations from the roots (the
 * entry symbol's section, -u symbols, KEEP(...) matches, notes, init/fini arrays, and sections
 * named like C identifiers whose __start_/__stop_ symbols are used) and discards the rest, as
 * GNU ld does, with SHF_GNU_RETAIN sections as roots too. From .eh_frame only references to
 * global symbols (a CIE's personality routine) keep sections alive: an FDE describes its
 * function through a section symbol, it does not use it.
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
        while (!work.isEmpty()) {
            InputSection in = work.poll();
            if (in.index < 0) continue;
            boolean ehFrame = in.name.equals(".eh_frame");
            InputObject f = in.file;
            for (Section rel : f.elf.sections) {
                if (rel.type != Elf.SHT_REL || rel.info != in.index) continue;
                for (Relocation r : rel.relocations) {
                    if (r.symbol <= 0 || r.symbol >= f.elf.symbols.size()) continue;
                    Symbol s = f.elf.symbols.get(r.symbol);
                    if (ehFrame && s.bind() == Elf.STB_LOCAL) continue;
                    InputSection target = s.bind() == Elf.STB_LOCAL
                            ? (s.shndx > 0 && s.shndx < f.inputs.length ? f.inputs[s.shndx] : null)
                            : definingSection(syms.find(s.name));
                    mark(target, live, work);
                }
            }
        }
        for (InputSection in : sections)
            if (!in.discarded && !live.contains(in) && in.index >= 0 && (in.file.elf.sections.get(in.index).flags & Elf.SHF_ALLOC) != 0)
                in.discarded = true;
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

package dev.fixup.link;

import java.util.ArrayList;
import java.util.List;

/**
 * The link map of {@code -Map FILE}, in the shape of GNU ld's: why each archive member was pulled,
 * then each output section with its address and size, its input sections and the global symbols
 * they define.
 */
final class MapFile {
    private MapFile() {}

    static String render(List<InputResolver.Pulled> pulled, SectionLayout layout, List<OutSection> kept, SymbolTable syms) {
        StringBuilder b = new StringBuilder();
        if (!pulled.isEmpty()) {
            b.append("Archive member included to satisfy reference by file (symbol)\n\n");
            for (InputResolver.Pulled p : pulled)
                b.append(p.member()).append('\n').append(" ".repeat(30)).append(p.by()).append(" (").append(p.symbol()).append(")\n");
            b.append('\n');
        }
        b.append("Linker script and memory map\n\n");
        java.util.Map<InputSection, List<String[]>> defs = new java.util.HashMap<>();
        for (SymbolTable.Global g : syms.map.values()) {
            if (g.file == null || g.sym == null || (g.kind != SymbolTable.Kind.DEFINED && g.kind != SymbolTable.Kind.WEAK)) continue;
            InputSection in = g.sym.shndx < g.file.inputs.length ? g.file.inputs[g.sym.shndx] : null;
            Long v = syms.value(g);
            if (in != null && v != null) defs.computeIfAbsent(in, k -> new ArrayList<>()).add(new String[]{g.name, Long.toString(v)});
        }
        for (OutSection os : kept) {
            b.append(String.format("%-15s 0x%08x %#10x%n", os.name, os.vma, os.size));
            for (InputSection in : os.allMembers()) {
                b.append(String.format(" %-14s 0x%08x %#10x %s%n", in.name, in.vma, in.size, in.file.name));
                for (String[] sym : defs.getOrDefault(in, List.of())) b.append(String.format("%16s0x%08x                %s%n", "", Long.parseLong(sym[1]), sym[0]));
            }
        }
        return b.toString();
    }
}

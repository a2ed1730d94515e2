package dev.fixup.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every symbol of the source, by name and in order of first mention. */
final class SymbolTable {
    private final Map<String, AsmSymbol> byName = new HashMap<>();
    final List<AsmSymbol> inOrder = new ArrayList<>();
    /** Counts creations and first uses of assembler-local labels: the ranks that order the output. */
    private int tick;

    /** The symbol with this name, created (undefined) at its first mention. */
    AsmSymbol get(String name) {
        AsmSymbol s = byName.get(name);
        if (s == null) {
            s = new AsmSymbol(name, inOrder.size());
            s.rank = tick++;
            byName.put(name, s);
            inOrder.add(s);
        }
        return s;
    }

    /**
     * An assembler-local label (.L...) that reaches the output takes its place there when GNU as would
     * make it a real symbol: at a use with a relocation specifier in an instruction once the label is
     * already known (defined, or mentioned on an earlier line), when a jump to it is relaxed, or when a
     * relocation keeps it at the end, in relocation order; not at its definition.
     */
    void rankNow(AsmSymbol s) {
        if (s.assemblerLocal && !s.ranked) {
            s.ranked = true;
            s.rank = tick++;
        }
    }

    /** Every symbol in the order of the output symbol table. */
    List<AsmSymbol> inRankOrder() {
        List<AsmSymbol> out = new ArrayList<>(inOrder);
        out.sort(java.util.Comparator.comparingInt(x -> x.rank));
        return out;
    }

    AsmSymbol find(String name) { return byName.get(name); }

    /** The section symbol of a new section; it takes its place in the creation order like GNU as's. */
    AsmSymbol sectionSymbol(SectionBuffer section) {
        AsmSymbol s = new AsmSymbol(section.name, inOrder.size());
        s.rank = tick++;
        s.section = section;
        s.kind = AsmSymbol.Kind.LABEL;
        s.frag = section.frags.get(0);
        inOrder.add(s);
        return s;
    }
}

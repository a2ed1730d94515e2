package dev.fixup.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every symbol of the source, by name and in order of first mention. */
final class SymbolTable {
    private final Map<String, AsmSymbol> byName = new HashMap<>();
    final List<AsmSymbol> inOrder = new ArrayList<>();

    /** The symbol with this name, created (undefined) at its first mention. */
    AsmSymbol get(String name) {
        AsmSymbol s = byName.get(name);
        if (s == null) {
            s = new AsmSymbol(name, inOrder.size());
            byName.put(name, s);
            inOrder.add(s);
        }
        return s;
    }

    AsmSymbol find(String name) { return byName.get(name); }

    /** The section symbol of a new section; it takes its place in the creation order like GNU as's. */
    AsmSymbol sectionSymbol(SectionBuffer section) {
        AsmSymbol s = new AsmSymbol(section.name, inOrder.size());
        s.section = section;
        s.kind = AsmSymbol.Kind.LABEL;
        s.frag = section.frags.get(0);
        inOrder.add(s);
        return s;
    }
}

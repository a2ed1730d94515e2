package dev.fixup.kernel.module;

import dev.fixup.kernel.Layout;

import java.util.Map;

/**
 * A module in memory: its image at [base, base + size) in vmalloc space, where each of its
 * sections went, its own symbols (for oops lines), and its cleanup function (0: none).
 */
record LoadedModule(String name, int base, int size, Map<String, Integer> sectionAddr, Map<String, int[]> functions,
                    int cleanup) {
    boolean contains(int va) { return Layout.u(va) >= Layout.u(base) && Layout.u(va) < Layout.u(base) + size; }

    /** "func+0x5/0x20 [name]" as Linux prints an address in a module, or "+0xOFF [name]" outside any function. */
    String describe(int va) {
        for (var f : functions.entrySet()) {
            int start = f.getValue()[0], len = f.getValue()[1];
            if (Layout.u(va) >= Layout.u(start) && Layout.u(va) < Layout.u(start) + Math.max(len, 1)) {
                return String.format("%s+0x%x/0x%x [%s]", f.getKey(), va - start, len, name);
            }
        }
        return String.format("%s+0x%x [%s]", name, va - base, name);
    }
}

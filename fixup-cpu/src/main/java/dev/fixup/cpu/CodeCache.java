package dev.fixup.cpu;

import dev.fixup.x86.Insn;

/**
 * Decoded instructions cached per physical page, indexed by the offset of their first byte.
 * Instructions that cross a page boundary are not cached (the next page's mapping may change).
 * A write to a page with cached code (seen by {@link PhysicalMemory}) drops that page's entries.
 */
final class CodeCache {
    private final PhysicalMemory mem;
    private final Insn[][] pages;
    /** Told when a page's decodings are dropped (it may be executing from that page). */
    Interpreter interpreter;

    CodeCache(PhysicalMemory mem) {
        this.mem = mem;
        this.pages = new Insn[mem.codePages.length][];
        mem.codeCache = this;
    }

    Insn get(int pa) {
        int p = pa >>> 12;
        if (p >= pages.length) return null;
        Insn[] page = pages[p];
        return page == null ? null : page[pa & 0xFFF];
    }

    /** The decodings of the page holding {@code pa}, or null. */
    Insn[] page(int pa) {
        int p = pa >>> 12;
        return p < pages.length ? pages[p] : null;
    }

    void put(int pa, Insn insn) {
        int p = pa >>> 12;
        if (p >= pages.length) return;
        Insn[] page = pages[p];
        if (page == null) {
            page = pages[p] = new Insn[4096];
            mem.codePages[p] = 1;
        }
        page[pa & 0xFFF] = insn;
    }

    void invalidate(int page) {
        if (interpreter != null) interpreter.resetFetchPage();
        pages[page] = null;
        mem.codePages[page] = 0;
    }

    void clear() {
        for (int p = 0; p < pages.length; p++) {
            if (pages[p] != null) invalidate(p);
        }
    }
}

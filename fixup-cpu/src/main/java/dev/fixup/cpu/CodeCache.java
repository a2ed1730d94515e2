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
    /** Per page: translated blocks by start offset, and arrival counts toward translation. */
    private final Block[][] blocks;
    private final char[][] heat;
    /** Told when a page's decodings are dropped (it may be executing from that page). */
    Interpreter interpreter;
    /** Told when a frame starts holding code (it must stop granting direct writes there). */
    Tlb tlb;

    CodeCache(PhysicalMemory mem) {
        this.mem = mem;
        this.pages = new Insn[mem.codePages.length][];
        this.blocks = new Block[pages.length][];
        this.heat = new char[pages.length][];
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

    Block[] blocks(int pa) {
        int p = pa >>> 12;
        return p < pages.length ? blocks[p] : null;
    }

    char[] heat(int pa) {
        int p = pa >>> 12;
        return p < pages.length ? heat[p] : null;
    }

    void put(int pa, Insn insn) {
        int p = pa >>> 12;
        if (p >= pages.length) return;
        Insn[] page = pages[p];
        if (page == null) {
            page = pages[p] = new Insn[4096];
            blocks[p] = new Block[4096];
            heat[p] = new char[4096];
            mem.codePages[p] = 1;
            if (tlb != null) tlb.dropWrites(pa);
        }
        page[pa & 0xFFF] = insn;
    }

    void invalidate(int page) {
        if (interpreter != null) interpreter.codeWritten();
        pages[page] = null;
        blocks[page] = null;
        heat[page] = null;
        mem.codePages[page] = 0;
    }

    void clear() {
        for (int p = 0; p < pages.length; p++) {
            if (pages[p] != null) invalidate(p);
        }
    }
}

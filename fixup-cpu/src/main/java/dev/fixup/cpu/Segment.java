package dev.fixup.cpu;

/**
 * A segment register: the visible selector and the descriptor cache the CPU loaded with it.
 * Linux uses flat segments (base 0, limit 4 GB), for which address computation skips the
 * limit check entirely ({@link #flat}).
 */
public final class Segment {
    public final String name;
    int selector;
    int base;
    /** Effective limit in bytes (granularity applied). */
    int limit;
    /** Access byte of the descriptor: P, DPL, S, type. */
    int access;
    /** D/B bit: 32-bit code or stack segment. */
    boolean big;
    /** False for a null selector loaded into a data segment register: any use raises #GP(0). */
    boolean usable;
    boolean flat;

    Segment(String name) {
        this.name = name;
    }

    void load(int selector, int base, int limit, int access, boolean big) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.access = access;
        this.big = big;
        this.usable = true;
        this.flat = base == 0 && limit == -1;
    }

    void loadNull(int selector) {
        this.selector = selector & 0xFFFF;
        this.base = 0;
        this.limit = 0;
        this.access = 0;
        this.usable = false;
        this.flat = false;
    }

    public int selector() { return selector; }
    public int base() { return base; }
    public int limit() { return limit; }
    public int dpl() { return (access >>> 5) & 3; }
    /** The descriptor's access byte (P, DPL, S, type), 0 for a null selector. */
    public int access() { return access; }
    public boolean big() { return big; }
    public boolean usable() { return usable; }
    boolean writable() { return (access & 0x18) == 0x10 && (access & 2) != 0; }
    boolean readable() { return (access & 0x10) != 0 && ((access & 8) == 0 || (access & 2) != 0); }
    boolean expandDown() { return (access & 0x1C) == 0x14; }

    @Override
    public String toString() {
        return String.format("%s=%04x base=%08x limit=%08x access=%02x", name, selector, base, limit, access);
    }
}

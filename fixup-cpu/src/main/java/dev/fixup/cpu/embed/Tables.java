package dev.fixup.cpu.embed;

import dev.fixup.cpu.PhysicalMemory;

/**
 * The i386 system structures in memory, written by physical address: segment descriptors, 32-bit
 * interrupt gates, a TSS's ring-0 stack, page-directory and page-table entries. The
 * {@link Emulator} builds its tables with these; so can a test that wants a world of its own.
 */
public final class Tables {
    /** Page-table entry bits. */
    public static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40;

    private Tables() { }

    /** A descriptor from its two dwords, at entry {@code index} of the table at {@code table}. */
    public static void descriptor(PhysicalMemory mem, int table, int index, int lo, int hi) {
        mem.write32(table + index * 8, lo);
        mem.write32(table + index * 8 + 4, hi);
    }

    /**
     * A flat 4 GB code or data segment: {@code access} is the access byte (0x9A ring-0 code, 0x92
     * ring-0 data, 0xFA and 0xF2 for ring 3), 32-bit, 4 KB granularity.
     */
    public static void flatSegment(PhysicalMemory mem, int table, int index, int access) {
        descriptor(mem, table, index, 0x0000FFFF, 0x00CF0000 | access << 8);
    }

    /** An available 32-bit TSS of {@code limit}+1 bytes at {@code base} (base below 16 MB or anywhere: all bits are placed). */
    public static void tssDescriptor(PhysicalMemory mem, int table, int index, int base, int limit) {
        descriptor(mem, table, index, base << 16 | limit & 0xFFFF,
                base & 0xFF000000 | (base >>> 16) & 0xFF | 0x8900 | limit & 0xF0000);
    }

    /** A gate of {@code type} (0xE interrupt gate, 0xF trap gate) for {@code vector}, entering {@code selector}:{@code handler}. */
    public static void gate(PhysicalMemory mem, int idt, int vector, int selector, int handler, int type, int dpl) {
        mem.write32(idt + vector * 8, selector << 16 | (handler & 0xFFFF));
        mem.write32(idt + vector * 8 + 4, (handler & 0xFFFF0000) | 0x8000 | dpl << 13 | type << 8);
    }

    /** The ring-0 stack (SS0:ESP0) of the TSS at {@code tss}: where an interrupt from ring 3 switches to. */
    public static void tssStack(PhysicalMemory mem, int tss, int ss0, int esp0) {
        mem.write32(tss + 4, esp0);
        mem.write32(tss + 8, ss0);
    }

    /** The PTE (or PDE) value for {@code frame} with {@code flags} (P, RW, US, ...). */
    public static int entry(int frame, int flags) {
        return frame & 0xFFFFF000 | flags & 0xFFF;
    }
}

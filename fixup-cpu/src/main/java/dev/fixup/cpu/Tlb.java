package dev.fixup.cpu;

import java.util.Arrays;

/**
 * Software TLB: direct mapped, one entry per slot, in primitive arrays. Each slot has four tags,
 * one per (privilege, access) pair, so a lookup is a single compare: a tag equals the page's
 * linear address only if that kind of access is already known to be allowed. Write tags are set
 * only once the page's dirty bit is set, so the first write to a clean page always walks the
 * tables and sets D, as the hardware does.
 *
 * <p>Two rules let translated code use an entry with no further check: frames outside RAM are
 * never entered (their accesses take the slow path, which reads all ones; an entry's RAM chunk is
 * allocated when it is filled), and frames holding
 * cached code get no write tags, so every write to code goes through {@link PhysicalMemory}'s
 * invalidation.
 */
final class Tlb {
    static final int BITS = 10;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;
    /** Never equal to a page address (bit 0 set). */
    static final int INVALID = 1;
    /** A flushed tag array, copied over the live ones: a bulk copy is an intrinsic at C1 too, Arrays.fill is not. */
    private static final int[] FLUSHED = new int[SIZE];
    static { Arrays.fill(FLUSHED, INVALID); }

    final int[] kernelRead = new int[SIZE];
    final int[] kernelWrite = new int[SIZE];
    final int[] userRead = new int[SIZE];
    final int[] userWrite = new int[SIZE];
    /** Physical address of the 4 KB frame for the slot's page. */
    final int[] frame = new int[SIZE];
    /** The RAM chunk holding that frame: a hit reads {@code chunk[s][(frame[s] | offset) & CHUNK_MASK]}. */
    final byte[][] chunk = new byte[SIZE][];
    /**
     * The 4 MB regions some slot was filled for from a 4 MB page: invlpg of an address there must
     * flush everything (the page's translations sit in many slots), elsewhere only its own slot.
     */
    private final boolean[] largeRegion = new boolean[1024];
    private int largeRegions;
    /** Told on every flush: its current code page may no longer be mapped the same way. */
    Interpreter interpreter;
    /** Counts flushes and invalidations: translations remembered elsewhere ({@link SystemMemory}) hold for one epoch. */
    int epoch;

    private final PhysicalMemory mem;

    Tlb(PhysicalMemory mem) {
        this.mem = mem;
        flush();
    }

    static int slot(int linear) {
        return (linear >>> 12) & MASK;
    }

    void flush() {
        epoch++;
        if (interpreter != null) interpreter.leaveFetchPage();
        System.arraycopy(FLUSHED, 0, kernelRead, 0, SIZE);
        System.arraycopy(FLUSHED, 0, kernelWrite, 0, SIZE);
        System.arraycopy(FLUSHED, 0, userRead, 0, SIZE);
        System.arraycopy(FLUSHED, 0, userWrite, 0, SIZE);
        if (largeRegions != 0) {
            Arrays.fill(largeRegion, false);
            largeRegions = 0;
        }
    }

    /** Slot(s) of {@code linear} were filled from a 4 MB page. */
    void markLargePage(int linear) {
        int r = linear >>> 22;
        if (!largeRegion[r]) {
            largeRegion[r] = true;
            largeRegions++;
        }
    }

    void invalidate(int linear) {
        epoch++;
        if (interpreter != null) interpreter.leaveFetchPage();
        if (largeRegion[linear >>> 22]) {
            flush();
            return;
        }
        int s = slot(linear);
        int page = linear & 0xFFFFF000;
        if (kernelRead[s] == page || userRead[s] == page || kernelWrite[s] == page || userWrite[s] == page) {
            kernelRead[s] = kernelWrite[s] = userRead[s] = userWrite[s] = INVALID;
        }
    }

    void fill(int linear, int frameAddr, boolean user, boolean write, boolean writeSupervisor) {
        int f = frameAddr >>> 12;
        if (f >= mem.codePages.length) return;
        if (mem.codePages[f] != 0) write = writeSupervisor = false;
        int s = slot(linear);
        int page = linear & 0xFFFFF000;
        frame[s] = frameAddr & 0xFFFFF000;
        chunk[s] = mem.chunk(frameAddr);
        kernelRead[s] = page;
        userRead[s] = user ? page : INVALID;
        kernelWrite[s] = writeSupervisor ? page : INVALID;
        userWrite[s] = user && write ? page : INVALID;
    }

    /** The frame at {@code frameAddr} now holds cached code: drop the write tags that reach it. */
    void dropWrites(int frameAddr) {
        int f = frameAddr & 0xFFFFF000;
        for (int s = 0; s < SIZE; s++) {
            if (frame[s] == f) kernelWrite[s] = userWrite[s] = INVALID;
        }
    }
}

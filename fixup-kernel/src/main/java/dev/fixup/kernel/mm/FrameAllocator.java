package dev.fixup.kernel.mm;

import dev.fixup.kernel.Layout;

/**
 * Physical page frames above the kernel image, with a reference count each (a frame shared
 * copy-on-write after fork has a count above 1). Frames come back zeroed.
 */
public final class FrameAllocator {
    private final Ram ram;
    private final int firstFrame, frameCount;
    private final short[] refs;
    private int hint;
    private int free;

    /** Manages the frames in [firstPhys, endPhys). */
    public FrameAllocator(Ram ram, int firstPhys, int endPhys) {
        this.ram = ram;
        this.firstFrame = firstPhys >>> 12;
        this.frameCount = (endPhys >>> 12) - firstFrame;
        this.refs = new short[frameCount];
        this.free = frameCount;
    }

    /** One zeroed frame (physical address), or -1 when memory is exhausted. */
    public int alloc() { return allocContiguous(1); }

    /** n contiguous zeroed frames aligned to n pages (n a power of two), or -1. */
    public int allocContiguous(int n) {
        int pa = take(n);
        if (pa != -1) ram.fill(pa, n * Layout.PAGE_SIZE, 0);
        return pa;
    }

    /** One frame holding a copy of the frame at {@code src} (copy-on-write): not zeroed first, as it is overwritten whole. */
    public int allocCopy(int src) {
        int pa = take(1);
        if (pa != -1) ram.copyPage(src, pa);
        return pa;
    }

    private int take(int n) {
        for (int pass = 0; pass < 2; pass++) {
            int start = pass == 0 ? hint : 0;
            for (int i = align(start, n); i + n <= frameCount; i += n) {
                if (runFree(i, n)) {
                    for (int k = 0; k < n; k++) refs[i + k] = 1;
                    free -= n;
                    hint = i + n;
                    return (firstFrame + i) << 12;
                }
            }
        }
        return -1;
    }

    private int align(int i, int n) {
        int abs = firstFrame + i;
        return ((abs + n - 1) / n * n) - firstFrame;
    }

    private boolean runFree(int i, int n) {
        if (i < 0) return false;
        for (int k = 0; k < n; k++) if (refs[i + k] != 0) return false;
        return true;
    }

    public void get(int pa) { refs[index(pa)]++; }

    /** Drops one reference; the frame is free again when none is left. */
    public void put(int pa) {
        int i = index(pa);
        if (refs[i] <= 0) throw new IllegalStateException(String.format("frame %08x freed twice", pa));
        if (--refs[i] == 0) { free++; if (i < hint) hint = i; }
    }

    public int refCount(int pa) { return refs[index(pa)]; }
    public int freeFrames() { return free; }
    /** Frames this allocator manages (RAM above the kernel image): totalram_pages for the overcommit check. */
    public int totalFrames() { return frameCount; }

    public boolean owns(int pa) {
        int f = pa >>> 12;
        return f >= firstFrame && f < firstFrame + frameCount;
    }

    private int index(int pa) {
        int i = (pa >>> 12) - firstFrame;
        if (i < 0 || i >= frameCount) throw new IllegalArgumentException(String.format("frame %08x not managed", pa));
        return i;
    }
}

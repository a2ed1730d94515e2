package dev.fixup.kernel.mm;

import dev.fixup.kernel.Layout;

import java.util.TreeMap;

/**
 * vmalloc space: kernel virtual addresses above the map of physical RAM, backed by single
 * frames through 4 KB page tables of the master directory. Loaded modules live here. A task's
 * directory copied the kernel half when it was made; a later area is picked up by the page-fault
 * handler's vmalloc_fault path, which copies the master's directory entry. Page tables are never
 * freed (as on Linux i386): a task directory may already point at one.
 */
public final class VmallocArea {
    /** Linux's VMALLOC_OFFSET: a gap that catches runs off the end of the physical map. */
    static final int GAP = 8 << 20;
    /** Top of vmalloc space; the last 8 MB stay unused, as Linux keeps them for fixmaps. */
    static final long END = 0xFF800000L;
    /** A guard page after every area, so an overrun faults instead of reaching the next module. */
    private static final int GUARD = Layout.PAGE_SIZE;

    private final PageDirectory master;
    private final FrameAllocator frames;
    private final Ram ram;
    private final long start;
    /** Areas by start address: their size in bytes, guard page excluded. */
    private final TreeMap<Long, Integer> areas = new TreeMap<>();

    public VmallocArea(PageDirectory master, FrameAllocator frames, Ram ram, int ramBytes) {
        this.master = master;
        this.frames = frames;
        this.ram = ram;
        this.start = (Layout.u(Layout.PAGE_OFFSET) + ramBytes + GAP) & ~(long) (GAP - 1);
    }

    /**
     * Maps the bytes of image at a new area (first fit) and returns its address, or 0 when the
     * space or the frames are exhausted (then nothing stays mapped).
     */
    public int map(byte[] image) {
        int size = (int) Layout.pageAlign(Math.max(image.length, 1));
        long at = start;
        for (var a : areas.entrySet()) {
            if (at + size + GUARD <= a.getKey()) break;
            at = Math.max(at, a.getKey() + a.getValue() + GUARD);
        }
        if (at + size + GUARD > END) return 0;
        int va = (int) at;
        areas.put(at, size);
        for (int off = 0; off < size; off += Layout.PAGE_SIZE) {
            int frame = frames.alloc();
            if (frame == -1 || !master.setPte(va + off, frame | PageDirectory.P | PageDirectory.RW | PageDirectory.A | PageDirectory.D)) {
                if (frame != -1) frames.put(frame);
                unmap(va);
                return 0;
            }
            int n = Math.min(Layout.PAGE_SIZE, image.length - off);
            if (n > 0) ram.write(frame, image, off, n);
        }
        return va;
    }

    /** Frees the area at va: its frames go back and its PTEs are cleared (the caller flushes the TLB). */
    public void unmap(int va) {
        Integer size = areas.remove(Layout.u(va));
        if (size == null) throw new IllegalArgumentException(String.format("vunmap: no area at %08x", va));
        for (int off = 0; off < size; off += Layout.PAGE_SIZE) master.unmap(va + off);
    }

    /** Bytes of vmalloc space in use (for leak checks). */
    public long used() {
        long n = 0;
        for (int s : areas.values()) n += s;
        return n;
    }

    long start() { return start; }

    /** The physical address behind a kernel virtual address (direct map or vmalloc), or -1. */
    public int physical(int va) { return master.translate(va); }
}

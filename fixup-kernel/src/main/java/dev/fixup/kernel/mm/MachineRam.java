package dev.fixup.kernel.mm;

import dev.fixup.kernel.Layout;

import dev.fixup.cpu.PhysicalMemory;

/** The machine's RAM seen through {@link Ram}. */
public final class MachineRam implements Ram {
    /** A page of zeros, copied, never written. */
    private static final byte[] ZEROS = new byte[Layout.PAGE_SIZE];

    private final PhysicalMemory mem;

    public MachineRam(PhysicalMemory mem) { this.mem = mem; }

    public int read8(int pa) { return mem.read8(pa); }
    public int read32(int pa) { return mem.read32(pa); }
    public void write8(int pa, int v) { mem.write8(pa, v); }
    public void write32(int pa, int v) { mem.write32(pa, v); }

    /** A word at a time (a page copied on a copy-on-write fault is 1,024 reads, not 4,096); past the end of RAM reads as 0xFF either way. */
    public void read(int pa, byte[] dst, int off, int len) {
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            int v = mem.read32(pa + i);
            dst[off + i] = (byte) v;
            dst[off + i + 1] = (byte) (v >> 8);
            dst[off + i + 2] = (byte) (v >> 16);
            dst[off + i + 3] = (byte) (v >> 24);
        }
        for (; i < len; i++) dst[off + i] = (byte) mem.read8(pa + i);
    }

    public void write(int pa, byte[] src, int off, int len) { mem.write(pa, src, off, len); }

    /**
     * Zeroing is every frame the allocator hands out (each demand-zero fault), so it goes as bulk
     * copies of a zero page, one range and code-page check each, not as a checked write per byte.
     */
    public void fill(int pa, int len, int v) {
        if (v != 0) {
            mem.fill(pa, len, v);
            return;
        }
        for (int done = 0; done < len; done += ZEROS.length) mem.write(pa + done, ZEROS, 0, Math.min(ZEROS.length, len - done));
    }
}

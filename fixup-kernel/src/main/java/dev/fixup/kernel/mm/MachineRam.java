package dev.fixup.kernel.mm;

import dev.fixup.cpu.PhysicalMemory;

/** The machine's RAM seen through {@link Ram}. */
public final class MachineRam implements Ram {
    private final PhysicalMemory mem;

    public MachineRam(PhysicalMemory mem) { this.mem = mem; }

    public int read8(int pa) { return mem.read8(pa); }
    public int read32(int pa) { return mem.read32(pa); }
    public void write8(int pa, int v) { mem.write8(pa, v); }
    public void write32(int pa, int v) { mem.write32(pa, v); }

    public void read(int pa, byte[] dst, int off, int len) { mem.read(pa, dst, off, len); }

    public void write(int pa, byte[] src, int off, int len) { mem.write(pa, src, off, len); }

    /** A copy-on-write fault's copy: one array copy, no buffer in between. */
    public void copyPage(int src, int dst) { mem.copyPage(src, dst); }

    /**
     * Zeroing is every frame the allocator hands out (each demand-zero fault): one bulk fill per
     * RAM chunk, and none at all in a chunk the guest never touched (it reads as zeros already).
     */
    public void fill(int pa, int len, int v) { mem.fill(pa, len, v); }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Layout;

/**
 * Physical memory as the kernel's Java services see it (little endian). The machine's RAM in a
 * run; a plain array in unit tests, so page tables and stacks can be checked without a CPU.
 */
public interface Ram {
    int read8(int pa);
    int read32(int pa);
    void write8(int pa, int v);
    void write32(int pa, int v);
    void read(int pa, byte[] dst, int off, int len);
    void write(int pa, byte[] src, int off, int len);

    default void fill(int pa, int len, int v) { for (int i = 0; i < len; i++) write8(pa + i, v); }
    default void write(int pa, byte[] src) { write(pa, src, 0, src.length); }
    default byte[] read(int pa, int len) { byte[] b = new byte[len]; read(pa, b, 0, len); return b; }
    /** Copies the page frame at src to the one at dst (copy-on-write). */
    default void copyPage(int src, int dst) { write(dst, read(src, Layout.PAGE_SIZE)); }

    /** A RAM backed by a byte array (tests). */
    static Ram ofArray(byte[] a) {
        return new Ram() {
            public int read8(int pa) { return a[pa] & 0xFF; }
            public int read32(int pa) { return read8(pa) | read8(pa + 1) << 8 | read8(pa + 2) << 16 | read8(pa + 3) << 24; }
            public void write8(int pa, int v) { a[pa] = (byte) v; }
            public void write32(int pa, int v) { for (int i = 0; i < 4; i++) a[pa + i] = (byte) (v >> 8 * i); }
            public void read(int pa, byte[] dst, int off, int len) { System.arraycopy(a, pa, dst, off, len); }
            public void write(int pa, byte[] src, int off, int len) { System.arraycopy(src, off, a, pa, len); }
        };
    }
}

package dev.fixup.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest RAM: a byte array, little endian. Reads past the end of RAM return all ones (an
 * unpopulated bus) and writes there are dropped, as on a PC with less RAM than address space.
 * Every write checks whether the page holds cached decoded instructions, so self-modifying
 * code and loaders that write code are seen by the CPU.
 */
public final class PhysicalMemory {
    /** Little-endian views of the RAM array: one bounds check and one load per 16/32-bit access. */
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] ram;
    /** One flag per 4 KB page: non-zero when the CPU's decoded-instruction cache holds code from it. */
    final byte[] codePages;
    CodeCache codeCache;

    public PhysicalMemory(int bytes) {
        if (bytes <= 0 || (bytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4096, got " + bytes);
        }
        ram = new byte[bytes];
        codePages = new byte[bytes >>> 12];
    }

    public int size() { return ram.length; }

    /** Direct RAM access for translated code on a TLB hit ({@link Tlb} guarantees the frame is RAM without code). */
    static int ramRead32(byte[] ram, int pa) {
        return (int) INT.get(ram, pa);
    }

    static void ramWrite32(byte[] ram, int pa, int v) {
        INT.set(ram, pa, v);
    }

    private boolean inRange(int pa, int n) {
        return Integer.compareUnsigned(pa, ram.length - n) <= 0;
    }

    public int read8(int pa) {
        return inRange(pa, 1) ? ram[pa] & 0xFF : 0xFF;
    }

    public int read16(int pa) {
        if (inRange(pa, 2)) return (short) SHORT.get(ram, pa) & 0xFFFF;
        return read8(pa) | read8(pa + 1) << 8;
    }

    public int read32(int pa) {
        if (inRange(pa, 4)) {
            return (int) INT.get(ram, pa);
        }
        return read16(pa) | read16(pa + 2) << 16;
    }

    public void write8(int pa, int v) {
        if (!inRange(pa, 1)) return;
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        ram[pa] = (byte) v;
    }

    public void write16(int pa, int v) {
        if (!inRange(pa, 2) || ((pa & 0xFFF) > 0xFFE)) { write8(pa, v); write8(pa + 1, v >> 8); return; }
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        SHORT.set(ram, pa, (short) v);
    }

    public void write32(int pa, int v) {
        if (!inRange(pa, 4) || ((pa & 0xFFF) > 0xFFC)) { write16(pa, v); write16(pa + 2, v >> 16); return; }
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        INT.set(ram, pa, v);
    }

    /** Copies {@code len} bytes of RAM at {@code pa} into {@code dst}; bytes past the end of RAM read as 0xFF. */
    public void read(int pa, byte[] dst, int off, int len) {
        for (int i = 0; i < len; i++) dst[off + i] = (byte) read8(pa + i);
    }

    public byte[] read(int pa, int len) {
        byte[] b = new byte[len];
        read(pa, b, 0, len);
        return b;
    }

    /** Copies {@code len} bytes from {@code src} into RAM at {@code pa}. */
    public void write(int pa, byte[] src, int off, int len) {
        if (inRange(pa, len) && len >= 0) {
            for (int p = pa >>> 12; p <= (pa + len - 1) >>> 12 && len > 0; p++) {
                if (codePages[p] != 0) codeCache.invalidate(p);
            }
            System.arraycopy(src, off, ram, pa, len);
            return;
        }
        for (int i = 0; i < len; i++) write8(pa + i, src[off + i]);
    }

    public void write(int pa, byte[] src) { write(pa, src, 0, src.length); }

    /** Fills {@code len} bytes at {@code pa} with {@code value}. */
    public void fill(int pa, int len, int value) {
        for (int i = 0; i < len; i++) write8(pa + i, value);
    }
}

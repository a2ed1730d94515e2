package dev.fixup.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Guest RAM, little endian, held in 64 KB chunks that are allocated when first touched: a
 * machine with a gigabyte of RAM costs nothing until its guest uses the memory, and a chunk never
 * written reads as zeros. Reads past the end of RAM return all ones (an unpopulated bus) and
 * writes there are dropped, as on a PC with less RAM than address space. Every write checks
 * whether the page holds cached decoded instructions, so self-modifying code and loaders that
 * write code are seen by the CPU.
 */
public final class PhysicalMemory {
    /** Little-endian views of a chunk: one bounds check and one load per 16/32-bit access. */
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    static final int CHUNK_BITS = 16;
    static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    /** Offset of a physical address within its chunk (chunks hold whole pages). */
    static final int CHUNK_MASK = CHUNK_SIZE - 1;

    /**
     * Zeros to copy from: a bulk copy is an intrinsic at every JIT tier, where Arrays.fill is a
     * byte loop until C2 compiles it (the launcher's JVM stops at C1), and zeroing a 4 KB frame is
     * what every demand-zero fault does.
     */
    private static final byte[] ZEROS = new byte[0x1000];

    private final int size;
    /** The chunks; null until the first access reaches one. */
    private final byte[][] chunks;
    /** One flag per 4 KB page: non-zero when the CPU's decoded-instruction cache holds code from it. */
    final byte[] codePages;
    CodeCache codeCache;

    public PhysicalMemory(int bytes) {
        if (bytes <= 0 || (bytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4096, got " + bytes);
        }
        size = bytes;
        chunks = new byte[(int) ((bytes + (long) CHUNK_MASK) >>> CHUNK_BITS)][];
        codePages = new byte[bytes >>> 12];
    }

    public int size() { return size; }

    /** Bytes of RAM the host has allocated so far (touched chunks). */
    public long allocatedBytes() {
        long n = 0;
        for (byte[] c : chunks) if (c != null) n += c.length;
        return n;
    }

    /** The chunk holding {@code pa} (inside RAM), allocated on first use. */
    byte[] chunk(int pa) {
        byte[] c = chunks[pa >>> CHUNK_BITS];
        return c != null ? c : allocate(pa >>> CHUNK_BITS);
    }

    private byte[] allocate(int index) {
        int len = (int) Math.min(CHUNK_SIZE, size - ((long) index << CHUNK_BITS));
        try {
            return chunks[index] = new byte[len];
        } catch (OutOfMemoryError e) {
            throw new HostMemoryExhausted("the Java heap has no room for more guest RAM (" + (allocatedBytes() >> 20)
                    + "M of " + (size >> 20) + "M in use): give the guest less RAM or the JVM more heap (-Xmx)");
        }
    }

    /** Direct chunk access for translated code on a TLB hit ({@link Tlb} guarantees the frame is RAM without code). */
    static int ramRead32(byte[] chunk, int offset) {
        return (int) INT.get(chunk, offset);
    }

    static void ramWrite32(byte[] chunk, int offset, int v) {
        INT.set(chunk, offset, v);
    }

    /** True when the {@code n} bytes at {@code pa} are RAM within one chunk. */
    private boolean inChunk(int pa, int n) {
        return Integer.compareUnsigned(pa, size - n) <= 0 && (pa & CHUNK_MASK) <= CHUNK_SIZE - n;
    }

    public int read8(int pa) {
        if (Integer.compareUnsigned(pa, size) >= 0) return 0xFF;
        byte[] c = chunks[pa >>> CHUNK_BITS];
        return c == null ? 0 : c[pa & CHUNK_MASK] & 0xFF;
    }

    public int read16(int pa) {
        if (inChunk(pa, 2)) {
            byte[] c = chunks[pa >>> CHUNK_BITS];
            return c == null ? 0 : (short) SHORT.get(c, pa & CHUNK_MASK) & 0xFFFF;
        }
        return read8(pa) | read8(pa + 1) << 8;
    }

    public int read32(int pa) {
        if (inChunk(pa, 4)) {
            byte[] c = chunks[pa >>> CHUNK_BITS];
            return c == null ? 0 : (int) INT.get(c, pa & CHUNK_MASK);
        }
        return read16(pa) | read16(pa + 2) << 16;
    }

    public void write8(int pa, int v) {
        if (Integer.compareUnsigned(pa, size) >= 0) return;
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        chunk(pa)[pa & CHUNK_MASK] = (byte) v;
    }

    public void write16(int pa, int v) {
        if (!inChunk(pa, 2) || ((pa & 0xFFF) > 0xFFE)) { write8(pa, v); write8(pa + 1, v >> 8); return; }
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        SHORT.set(chunk(pa), pa & CHUNK_MASK, (short) v);
    }

    public void write32(int pa, int v) {
        if (!inChunk(pa, 4) || ((pa & 0xFFF) > 0xFFC)) { write16(pa, v); write16(pa + 2, v >> 16); return; }
        if (codePages[pa >>> 12] != 0) codeCache.invalidate(pa >>> 12);
        INT.set(chunk(pa), pa & CHUNK_MASK, v);
    }

    /** Copies {@code len} bytes of RAM at {@code pa} into {@code dst}; bytes past the end of RAM read as 0xFF. */
    public void read(int pa, byte[] dst, int off, int len) {
        while (len > 0) {
            if (Integer.compareUnsigned(pa, size) >= 0) {
                Arrays.fill(dst, off, off + len, (byte) 0xFF);
                return;
            }
            int n = Math.min(len, Math.min(CHUNK_SIZE - (pa & CHUNK_MASK), size - pa));
            byte[] c = chunks[pa >>> CHUNK_BITS];
            if (c == null) zero(dst, off, n);
            else System.arraycopy(c, pa & CHUNK_MASK, dst, off, n);
            pa += n;
            off += n;
            len -= n;
        }
    }

    public byte[] read(int pa, int len) {
        byte[] b = new byte[len];
        read(pa, b, 0, len);
        return b;
    }

    /** Copies {@code len} bytes from {@code src} into RAM at {@code pa}. */
    public void write(int pa, byte[] src, int off, int len) {
        while (len > 0 && Integer.compareUnsigned(pa, size) < 0) {
            int n = Math.min(len, Math.min(CHUNK_SIZE - (pa & CHUNK_MASK), size - pa));
            invalidateCode(pa, n);
            System.arraycopy(src, off, chunk(pa), pa & CHUNK_MASK, n);
            pa += n;
            off += n;
            len -= n;
        }
    }

    public void write(int pa, byte[] src) { write(pa, src, 0, src.length); }

    /**
     * Copies one 4 KB frame to another (a copy-on-write fault's copy): one array copy between
     * their chunks, with the destination's cached code dropped. Frames past the end of RAM read as
     * all ones and take no writes, as elsewhere.
     */
    public void copyPage(int srcPa, int dstPa) {
        if ((srcPa & 0xFFF) != 0 || (dstPa & 0xFFF) != 0) throw new IllegalArgumentException("frames are page aligned");
        if (Integer.compareUnsigned(dstPa, size - 0x1000) > 0) return;
        invalidateCode(dstPa, 0x1000);
        byte[] to = chunk(dstPa);
        int o = dstPa & CHUNK_MASK;
        if (Integer.compareUnsigned(srcPa, size - 0x1000) > 0) {
            Arrays.fill(to, o, o + 0x1000, (byte) 0xFF);
            return;
        }
        byte[] from = chunks[srcPa >>> CHUNK_BITS];
        if (from == null) zero(to, o, 0x1000);
        else System.arraycopy(from, srcPa & CHUNK_MASK, to, o, 0x1000);
    }

    /** Fills {@code len} bytes at {@code pa} with {@code value}; zeroing an untouched chunk leaves it unallocated. */
    public void fill(int pa, int len, int value) {
        while (len > 0 && Integer.compareUnsigned(pa, size) < 0) {
            int n = Math.min(len, Math.min(CHUNK_SIZE - (pa & CHUNK_MASK), size - pa));
            invalidateCode(pa, n);
            byte[] c = chunks[pa >>> CHUNK_BITS];
            int o = pa & CHUNK_MASK;
            if ((byte) value != 0) Arrays.fill(chunk(pa), o, o + n, (byte) value);
            else if (c != null) zero(c, o, n);
            pa += n;
            len -= n;
        }
    }

    /** Zeroes {@code n} bytes of {@code a} at {@code off} by copying from {@link #ZEROS}. */
    private static void zero(byte[] a, int off, int n) {
        for (int done = 0; done < n; done += ZEROS.length) System.arraycopy(ZEROS, 0, a, off + done, Math.min(ZEROS.length, n - done));
    }

    /** Drops cached code on the pages of the {@code n} bytes at {@code pa} (all RAM). */
    private void invalidateCode(int pa, int n) {
        for (int p = pa >>> 12, last = (pa + n - 1) >>> 12; p <= last; p++) {
            if (codePages[p] != 0) codeCache.invalidate(p);
        }
    }
}

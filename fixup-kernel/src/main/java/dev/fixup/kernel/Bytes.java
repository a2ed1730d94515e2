package dev.fixup.kernel;

/** Little-endian fields of the structures syscalls exchange with user memory. */
public final class Bytes {
    private Bytes() {}

    public static void put32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >> 8 * i);
    }

    public static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >> 8 * i);
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    public static int get32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    public static long get64(byte[] b, int off) {
        return Integer.toUnsignedLong(get32(b, off)) | (long) get32(b, off + 4) << 32;
    }
}

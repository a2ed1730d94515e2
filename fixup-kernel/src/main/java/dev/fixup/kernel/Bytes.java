package dev.fixup.kernel;

/** Little-endian fields of the structures syscalls exchange with user memory. */
final class Bytes {
    private Bytes() {}

    static void put32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >> 8 * i);
    }

    static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >> 8 * i);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    static int get32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long get64(byte[] b, int off) {
        return Integer.toUnsignedLong(get32(b, off)) | (long) get32(b, off + 4) << 32;
    }
}

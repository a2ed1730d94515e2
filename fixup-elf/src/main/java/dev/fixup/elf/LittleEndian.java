package dev.fixup.elf;

/** Little-endian words in byte arrays: the byte order of every i386 ELF field. */
public final class LittleEndian {
    private LittleEndian() {}

    public static int get32(byte[] d, int p) {
        return (d[p] & 0xff) | (d[p + 1] & 0xff) << 8 | (d[p + 2] & 0xff) << 16 | (d[p + 3] & 0xff) << 24;
    }

    public static void put32(byte[] d, int p, int v) {
        d[p] = (byte) v;
        d[p + 1] = (byte) (v >>> 8);
        d[p + 2] = (byte) (v >>> 16);
        d[p + 3] = (byte) (v >>> 24);
    }
}

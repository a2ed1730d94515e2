package dev.fixup.asm;

/**
 * The padding GNU as 2.40 puts into code sections for alignment on i386 (no -march): NOPs of up to 7
 * bytes (lea forms that do nothing), longest first; a 5-byte gap is 4 + 1. Gaps over 20 bytes start
 * with a jump over the rest.
 */
final class NopFill {
    private NopFill() {}

    private static final int[][] NOPS = {
            {},
            {0x90},
            {0x66, 0x90},
            {0x8d, 0x76, 0x00},
            {0x8d, 0x74, 0x26, 0x00},
            null,
            {0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00},
            {0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00},
    };

    static byte[] of(int n) {
        byte[] out = new byte[n];
        int p = 0;
        if (n > 20) {
            int rest = n - 2;
            if (rest <= 127) {
                out[p++] = (byte) 0xeb;
                out[p++] = (byte) rest;
            } else {
                rest = n - 5;
                out[p++] = (byte) 0xe9;
                for (int i = 0; i < 4; i++) out[p++] = (byte) (rest >>> (8 * i));
            }
        }
        while (n - p >= 7) p = put(out, p, 7);
        int r = n - p;
        if (r == 5) {
            p = put(out, p, 4);
            put(out, p, 1);
        } else if (r > 0) {
            put(out, p, r);
        }
        return out;
    }

    private static int put(byte[] out, int p, int len) {
        for (int b : NOPS[len]) out[p++] = (byte) b;
        return p;
    }
}

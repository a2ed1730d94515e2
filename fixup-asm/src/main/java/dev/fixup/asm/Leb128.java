package dev.fixup.asm;

import java.io.ByteArrayOutputStream;

/** DWARF's variable-length integers (LEB128), for .uleb128/.sleb128, call frame and line information. */
final class Leb128 {
    private Leb128() {}

    static void unsigned(ByteArrayOutputStream b, long v) {
        do {
            int x = (int) (v & 0x7f);
            v >>>= 7;
            b.write(v != 0 ? x | 0x80 : x);
        } while (v != 0);
    }

    static void signed(ByteArrayOutputStream b, long v) {
        while (true) {
            int x = (int) (v & 0x7f);
            v >>= 7;
            boolean done = (v == 0 && (x & 0x40) == 0) || (v == -1 && (x & 0x40) != 0);
            b.write(done ? x : x | 0x80);
            if (done) return;
        }
    }
}

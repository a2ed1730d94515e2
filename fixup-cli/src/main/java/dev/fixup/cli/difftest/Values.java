package dev.fixup.cli.difftest;

import java.util.Random;

/** Random operand values biased towards the edges where flag and carry logic goes wrong. */
final class Values {
    private Values() {}

    private static final long[] EDGES = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffffL,
            0x80000000L, 0xffffffffL, 0x0f, 0x10, 0x99, 0x09};

    /** A value of {@code size} bytes (1, 2, 4), zero-extended into an int. */
    static int interesting(Random rnd, int size) {
        long v = switch (rnd.nextInt(8)) {
            case 0, 1 -> EDGES[rnd.nextInt(EDGES.length)];
            case 2 -> rnd.nextInt(9) - 4;
            case 3 -> 1L << rnd.nextInt(32);
            default -> rnd.nextInt();
        };
        if (size == 4) return (int) v;
        return (int) (v & ((1L << (size * 8)) - 1));
    }

    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    /** Immediate text for an operand of {@code size} bytes. */
    static String imm(int v, int size) {
        long mask = size == 4 ? 0xffffffffL : (1L << (size * 8)) - 1;
        return "$0x" + Long.toHexString(v & mask);
    }
}

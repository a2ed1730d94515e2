package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hex columns print what the Formatter patterns they replace print. */
class HexColumnsTest {
    @Test
    void sameAsFormatter() {
        Random r = new Random(7);
        int[] edges = {0, 1, 0xf, 0x10, 0xff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, -1};
        for (int i = 0; i < 2000; i++) {
            int v = i < edges.length ? edges[i] : r.nextInt() >>> r.nextInt(32);
            for (int width = 1; width <= 9; width++) {
                assertEquals(String.format("%" + width + "x", v), HexColumns.padded(new StringBuilder(), v, width, ' ').toString());
                assertEquals(String.format("%0" + width + "x", v), HexColumns.padded(new StringBuilder(), v, width, '0').toString());
            }
            assertEquals(String.format("%02x", v & 0xff), HexColumns.byteHex(new StringBuilder(), (byte) v).toString());
        }
    }
}

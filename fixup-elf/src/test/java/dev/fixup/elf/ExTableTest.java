package dev.fixup.elf;

import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExTableTest {
    static byte[] table(int... insnFixup) {
        byte[] t = new byte[insnFixup.length * 4];
        for (int i = 0; i < insnFixup.length; i++) LittleEndian.put32(t, i * 4, insnFixup[i]);
        return t;
    }

    @Test
    void sortsUnsignedAndKeepsPairs() {
        byte[] t = table(0xc0101000, 1, 0x00001000, 2, 0xffff0000, 3, 0x7fffffff, 4);
        assertFalse(ExTable.isSorted(t));
        ExTable.sort(t);
        assertTrue(ExTable.isSorted(t));
        assertEquals(List.of(new ExTable.Entry(0x00001000, 2), new ExTable.Entry(0x7fffffff, 4),
                new ExTable.Entry(0xc0101000, 1), new ExTable.Entry(0xffff0000, 3)), ExTable.entries(t));
    }

    @Test
    void searchIsExactAndUnsigned() {
        byte[] t = table(0xc0101000, 0xc0103000, 0xc0101004, 0xc0103010, 0x10, 0x20);
        ExTable.sort(t);
        assertEquals(0xc0103000, ExTable.search(t, 0, t.length, 0xc0101000));
        assertEquals(0xc0103010, ExTable.search(t, 0, t.length, 0xc0101004));
        assertEquals(0x20, ExTable.search(t, 0, t.length, 0x10));
        assertEquals(0, ExTable.search(t, 0, t.length, 0xc0101001), "EIP+1 must not match");
        assertEquals(0, ExTable.search(t, 0, t.length, 0xc0100fff));
        assertEquals(0, ExTable.search(t, 0, 0, 0x10), "empty table");
    }

    @Test
    void duplicatesFoundWherever() {
        byte[] t = table(5, 1, 9, 2, 5, 3, 7, 4);
        List<ExTable.Duplicate> d = ExTable.duplicates(t);
        assertEquals(1, d.size());
        assertEquals(new ExTable.Duplicate(0, 2, 5, 1, 3), d.get(0));
        assertTrue(ExTable.duplicates(table(1, 1, 2, 2)).isEmpty());
    }

    @Test
    void worksOnASliceOfALargerImage() {
        byte[] img = new byte[40];
        byte[] t = table(0x30, 3, 0x10, 1);
        System.arraycopy(t, 0, img, 8, 16);
        ExTable.sort(img, 8, 16);
        assertTrue(ExTable.isSorted(img, 8, 16));
        assertEquals(1, ExTable.search(img, 8, 16, 0x10));
        assertEquals(0, img[0]);
    }

    @Test
    void badSizeRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExTable.sort(new byte[12]));
        assertEquals("__ex_table size 12 is not a multiple of 8", e.getMessage());
    }

    @Property(tries = 300)
    void sortThenSearchFindsEveryEntry(@ForAll("tables") int[] insns) {
        byte[] t = new byte[insns.length * 8];
        for (int i = 0; i < insns.length; i++) { LittleEndian.put32(t, i * 8, insns[i]); LittleEndian.put32(t, i * 8 + 4, ~insns[i]); }
        ExTable.sort(t);
        assertTrue(ExTable.isSorted(t));
        for (int v : insns) assertEquals(~v, ExTable.search(t, 0, t.length, v));
    }

    @Provide
    Arbitrary<int[]> tables() {
        return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE).set().ofMaxSize(40)
                .map(s -> s.stream().mapToInt(Integer::intValue).toArray());
    }
}

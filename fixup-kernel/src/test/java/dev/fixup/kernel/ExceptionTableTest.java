package dev.fixup.kernel;

import dev.fixup.kernel.mm.Ram;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ExceptionTableTest {
    private static ExceptionTable.Table table(String owner, int... pairs) {
        byte[] b = new byte[4 * pairs.length];
        for (int i = 0; i < pairs.length; i++) for (int k = 0; k < 4; k++) b[4 * i + k] = (byte) (pairs[i] >> 8 * k);
        return new ExceptionTable.Table(owner, b);
    }

    @Test
    void findsExactMatchesOnly() {
        ExceptionTable t = new ExceptionTable(table("k", 0xc0100010, 0xc0103000, 0xc0100020, 0xc0103008, 0xc0100030, 0xc0103010));
        assertEquals(0xc0103008, t.search(0xc0100020));
        assertEquals(0, t.search(0xc0100021), "EIP+1 must not match");
        assertEquals(0, t.search(0xc010001f));
        assertEquals(0xc0103000, t.search(0xc0100010));
        assertEquals(0xc0103010, t.search(0xc0100030));
        assertEquals(0, t.search(0));
    }

    @Test
    void comparesUnsigned() {
        // 0x7ffffff0 < 0xc0000000 < 0xfffffff0 unsigned; a signed compare would break the search.
        ExceptionTable t = new ExceptionTable(table("k", 0x7ffffff0, 1, 0xc0000000, 2, 0xfffffff0, 3));
        assertTrue(t.kernelTable().isSorted());
        assertEquals(1, t.search(0x7ffffff0));
        assertEquals(2, t.search(0xc0000000));
        assertEquals(3, t.search(0xfffffff0));
    }

    @Test
    void everyEntryOfALargeTableIsFound() {
        int n = 1000;
        int[] pairs = new int[2 * n];
        for (int i = 0; i < n; i++) { pairs[2 * i] = 0xc0100000 + 7 * i; pairs[2 * i + 1] = 0xd0000000 + i; }
        ExceptionTable t = new ExceptionTable(table("k", pairs));
        for (int i = 0; i < n; i++) {
            assertEquals(0xd0000000 + i, t.search(0xc0100000 + 7 * i));
            assertEquals(0, t.search(0xc0100000 + 7 * i + 1));
        }
    }

    @Test
    void modulesAreSearchedNewestFirstThenTheKernel() {
        byte[] mem = new byte[0x10000];
        Ram ram = Ram.ofArray(mem);
        ExceptionTable t = new ExceptionTable(table("k", 0xc0100000, 0xc0100100));
        // module A at 0xc0001000: one entry for 0xc0001010 (unsorted on purpose: loading sorts)
        writeEntries(ram, 0x1100, 0xc0001020, 0xa2, 0xc0001010, 0xa1);
        t.addModule("a", ram, 0xc0001000, 0xc0002000, 0xc0001100, 0xc0001110);
        writeEntries(ram, 0x2100, 0xc0001010, 0xb1);
        t.addModule("b", ram, 0xc0002000, 0xc0003000, 0xc0002100, 0xc0002108);
        assertEquals(0xb1, t.search(0xc0001010), "the newest module wins");
        assertEquals(0xa2, t.search(0xc0001020));
        assertEquals(0xc0100100, t.search(0xc0100000));
        t.removeModule("b");
        assertEquals(0xa1, t.search(0xc0001010));
    }

    @Test
    void rejectsInvalidModuleTables() {
        Ram ram = Ram.ofArray(new byte[0x10000]);
        ExceptionTable t = new ExceptionTable(table("k"));
        String msg = "init_module: mod->ex_table_* invalid.";
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> t.addModule("m", ram, 0xc0001000, 0xc0002000, 0xc0001108, 0xc0001100)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> t.addModule("m", ram, 0xc0001000, 0xc0002000, 0xc0001ff8, 0xc0002008)).getMessage());
        assertEquals(msg, assertThrows(IllegalArgumentException.class,
                () -> t.addModule("m", ram, 0xc0001000, 0xc0002000, 0xc0001100, 0xc0001105)).getMessage());
    }

    private static void writeEntries(Ram ram, int pa, int... words) {
        for (int i = 0; i < words.length; i++) ram.write32(pa + 4 * i, words[i]);
    }
}

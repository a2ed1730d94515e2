package dev.fixup.link;

import java.util.ArrayList;
import java.util.List;

/**
 * The i386 Linux 2.4 exception table: 8-byte little-endian entries {u32 insn; u32 fixup}, absolute
 * addresses, searched by binary search for an exact, unsigned match of the faulting EIP. The
 * linker sorts the kernel's table after relocation (insn values are only known then); the module
 * loader sorts each module's table at load time; objdump --extable prints it.
 */
public final class ExTable {
    public static final int ENTRY_SIZE = 8;

    private ExTable() {}

    public record Entry(int insn, int fixup) {}

    /** A pair of entries for one instruction: the table is ambiguous, which Linux treats as a build error. */
    public record Duplicate(int firstIndex, int secondIndex, int insn, int fixup1, int fixup2) {}

    public static int count(byte[] table, int off, int len) {
        checkSize(len);
        return len / ENTRY_SIZE;
    }

    /** Throws IllegalArgumentException when the size is not a multiple of the entry size. */
    public static void checkSize(int len) {
        if (len < 0 || len % ENTRY_SIZE != 0)
            throw new IllegalArgumentException("__ex_table size " + len + " is not a multiple of " + ENTRY_SIZE);
    }

    public static Entry entry(byte[] table, int off, int index) {
        int p = off + index * ENTRY_SIZE;
        return new Entry(le32(table, p), le32(table, p + 4));
    }

    public static List<Entry> entries(byte[] table, int off, int len) {
        int n = count(table, off, len);
        List<Entry> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) r.add(entry(table, off, i));
        return r;
    }

    public static List<Entry> entries(byte[] table) { return entries(table, 0, table.length); }

    /** Sorts in place by insn, unsigned; a stable sort so equal keys keep their order (for diagnostics). */
    public static void sort(byte[] table, int off, int len) {
        List<Entry> e = entries(table, off, len);
        e.sort((a, b) -> Integer.compareUnsigned(a.insn(), b.insn()));
        for (int i = 0; i < e.size(); i++) {
            put32(table, off + i * ENTRY_SIZE, e.get(i).insn());
            put32(table, off + i * ENTRY_SIZE + 4, e.get(i).fixup());
        }
    }

    public static void sort(byte[] table) { sort(table, 0, table.length); }

    /** True when insn values never decrease (unsigned); equal neighbours count as sorted. */
    public static boolean isSorted(byte[] table, int off, int len) {
        int n = count(table, off, len);
        for (int i = 1; i < n; i++)
            if (Integer.compareUnsigned(le32(table, off + (i - 1) * ENTRY_SIZE), le32(table, off + i * ENTRY_SIZE)) > 0) return false;
        return true;
    }

    public static boolean isSorted(byte[] table) { return isSorted(table, 0, table.length); }

    /** Entries sharing an insn value, in any order of the table. */
    public static List<Duplicate> duplicates(byte[] table, int off, int len) {
        int n = count(table, off, len);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (a, b) -> {
            int c = Integer.compareUnsigned(entry(table, off, a).insn(), entry(table, off, b).insn());
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<Duplicate> r = new ArrayList<>();
        for (int k = 1; k < n; k++) {
            Entry a = entry(table, off, idx[k - 1]), b = entry(table, off, idx[k]);
            if (a.insn() == b.insn()) r.add(new Duplicate(idx[k - 1], idx[k], a.insn(), a.fixup(), b.fixup()));
        }
        return r;
    }

    public static List<Duplicate> duplicates(byte[] table) { return duplicates(table, 0, table.length); }

    /**
     * Binary search of a sorted table for exactly this insn (unsigned compare); returns the fixup
     * address, or 0 when there is none (as search_exception_table does).
     */
    public static int search(byte[] table, int off, int len, int insn) {
        int lo = 0, hi = count(table, off, len) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = le32(table, off + mid * ENTRY_SIZE);
            int c = Integer.compareUnsigned(v, insn);
            if (c == 0) return le32(table, off + mid * ENTRY_SIZE + 4);
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return 0;
    }

    static int le32(byte[] d, int p) {
        return (d[p] & 0xff) | (d[p + 1] & 0xff) << 8 | (d[p + 2] & 0xff) << 16 | (d[p + 3] & 0xff) << 24;
    }

    static void put32(byte[] d, int p, int v) {
        d[p] = (byte) v; d[p + 1] = (byte) (v >>> 8); d[p + 2] = (byte) (v >>> 16); d[p + 3] = (byte) (v >>> 24);
    }
}

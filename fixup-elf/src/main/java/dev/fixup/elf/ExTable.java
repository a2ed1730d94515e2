package dev.fixup.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The exception table's format, sort and search: the one home the linker (which sorts the kernel's
 * table after relocation, when insn values are known), the kernel (which searches it on a fault
 * and sorts each module's table at load time) and {@code objdump --extable} all use.
 *
 * <p>Fixup's table is Linux 2.4's: 8-byte little-endian entries {u32 insn; u32 fixup}, absolute
 * addresses, searched by binary search for an exact, unsigned match of the faulting EIP. Linux
 * 4.6 and later use a 12-byte relative form {s32 insn - .; s32 fixup - .; u32 data}, whose data
 * word names the handler (EX_TYPE_*); {@link Format} and {@link #typeName} decode it for objdump.
 */
public final class ExTable {
    public static final int ENTRY_SIZE = 8;

    private ExTable() {}

    /** The two layouts of an entry. */
    public enum Format {
        LINUX24(8), RELATIVE(12);

        public final int entrySize;

        Format(int entrySize) { this.entrySize = entrySize; }
    }

    /** The handler types of Linux 6.x's extable_fixup_types.h, by number. */
    private static final String[] TYPES = {"EX_TYPE_NONE", "EX_TYPE_DEFAULT", "EX_TYPE_FAULT", "EX_TYPE_UACCESS", "EX_TYPE_COPY",
            "EX_TYPE_CLEAR_FS", "EX_TYPE_FPU_RESTORE", "EX_TYPE_BPF", "EX_TYPE_WRMSR", "EX_TYPE_RDMSR", "EX_TYPE_WRMSR_SAFE",
            "EX_TYPE_RDMSR_SAFE", "EX_TYPE_WRMSR_IN_MCE", "EX_TYPE_RDMSR_IN_MCE", "EX_TYPE_DEFAULT_MCE_SAFE",
            "EX_TYPE_FAULT_MCE_SAFE", "EX_TYPE_POP_REG", "EX_TYPE_IMM_REG", "EX_TYPE_FAULT_SGX", "EX_TYPE_UCOPY_LEN",
            "EX_TYPE_ZEROPAD", "EX_TYPE_ERETU", "EX_TYPE_FUNC_REWIND"};
    private static final String[] REGS = {"%eax", "%ecx", "%edx", "%ebx", "%esp", "%ebp", "%esi", "%edi",
            "%ds", "%es", "%fs", "r11", "r12", "r13", "r14", "r15"};

    /**
     * A relative entry's data word as text: the type ("EX_TYPE_UACCESS"), then the register, flags
     * and immediate a handler uses when they are set (bits 8-11, 12-15 and 16-31).
     */
    public static String typeName(int data) {
        int type = data & 0xFF, reg = (data >> 8) & 0xF, flags = (data >> 12) & 0xF, imm = data >> 16;
        StringBuilder b = new StringBuilder(type < TYPES.length ? TYPES[type] : "EX_TYPE_" + type);
        if (reg != 0 || type == 16 || type == 17 || type == 19) b.append(" reg=").append(REGS[reg]);
        if (flags != 0) b.append(" flags=").append(flags);
        if (imm != 0) b.append(" imm=").append(imm);
        return b.toString();
    }

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

    private static int le32(byte[] d, int p) { return LittleEndian.get32(d, p); }

    private static void put32(byte[] d, int p, int v) { LittleEndian.put32(d, p, v); }
}

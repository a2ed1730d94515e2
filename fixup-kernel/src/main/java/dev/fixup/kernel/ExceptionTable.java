package dev.fixup.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * search_exception_tables: the pairs {insn, fixup} the linker gathered between
 * __start___ex_table and __stop___ex_table, plus one table per loaded module. Each table is
 * sorted by insn (the linker sorts the kernel's, the module loader each module's), so a lookup is
 * a binary search for an EXACT, UNSIGNED match of the faulting EIP. Modules are searched newest
 * first, the kernel last. Only kernel code with an entry may fault on a user address and live.
 */
public final class ExceptionTable {
    public static final int ENTRY_SIZE = 8;

    /** One sorted table: parallel arrays of faulting addresses and fixup addresses. */
    public record Table(String owner, int[] insn, int[] fixup) {
        /** The fixup for eip, or 0. */
        int search(int eip) {
            int lo = 0, hi = insn.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Integer.compareUnsigned(insn[mid], eip);
                if (c == 0) return fixup[mid];
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            return 0;
        }

        public int size() { return insn.length; }

        public boolean isSorted() {
            for (int i = 1; i < insn.length; i++) if (Integer.compareUnsigned(insn[i - 1], insn[i]) > 0) return false;
            return true;
        }
    }

    private final Table kernel;
    /** Newest first. */
    private final List<Table> modules = new ArrayList<>();

    public ExceptionTable(Table kernel) { this.kernel = kernel; }

    /** Decodes little-endian 8-byte entries. */
    public static Table decode(String owner, byte[] bytes, int off, int len) {
        if (len % ENTRY_SIZE != 0) throw new IllegalArgumentException(owner + ": exception table size " + len + " is not a multiple of 8");
        int n = len / ENTRY_SIZE;
        int[] insn = new int[n], fixup = new int[n];
        for (int i = 0; i < n; i++) {
            insn[i] = le32(bytes, off + 8 * i);
            fixup[i] = le32(bytes, off + 8 * i + 4);
        }
        return new Table(owner, insn, fixup);
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    /** The fixup address for a faulting EIP, or 0 when no table lists it. */
    public int search(int eip) {
        for (Table t : modules) {
            int f = t.search(eip);
            if (f != 0) return f;
        }
        return kernel.search(eip);
    }

    public Table kernelTable() { return kernel; }

    /**
     * Adds a module's table (it becomes the first searched). The table must lie inside the
     * module image [imageStart, imageEnd), start <= end, and its size must be whole entries;
     * the entries are sorted here, as the module loader does.
     */
    public void addModule(String name, Ram ram, int imageStart, int imageEnd, int start, int end) {
        long s = Layout.u(start), e = Layout.u(end);
        if (s > e || s < Layout.u(imageStart) || e > Layout.u(imageEnd) || (e - s) % ENTRY_SIZE != 0) {
            throw new IllegalArgumentException("init_module: mod->ex_table_* invalid.");
        }
        Table t = decode(name, ram.read(Layout.pa(start), (int) (e - s)), 0, (int) (e - s));
        modules.add(0, sorted(t));
    }

    public void removeModule(String name) { modules.removeIf(t -> t.owner.equals(name)); }

    static Table sorted(Table t) {
        Integer[] order = new Integer[t.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Integer.compareUnsigned(t.insn[a], t.insn[b]));
        int[] insn = new int[order.length], fixup = new int[order.length];
        for (int i = 0; i < order.length; i++) { insn[i] = t.insn[order[i]]; fixup[i] = t.fixup[order[i]]; }
        return new Table(t.owner, insn, fixup);
    }
}

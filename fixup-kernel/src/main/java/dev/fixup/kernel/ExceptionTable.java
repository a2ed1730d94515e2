package dev.fixup.kernel;

import dev.fixup.kernel.mm.Ram;

import dev.fixup.elf.ExTable;


import java.util.ArrayList;
import java.util.List;

/**
 * search_exception_tables: the pairs {insn, fixup} the linker gathered between
 * __start___ex_table and __stop___ex_table, plus one table per loaded module. Each table is
 * sorted by insn (the linker sorts the kernel's, the module loader each module's), so a lookup is
 * a binary search for an EXACT, UNSIGNED match of the faulting EIP ({@link ExTable#search}).
 * Modules are searched newest first, the kernel last. Only kernel code with an entry may fault on
 * a user address and live.
 */
public final class ExceptionTable {
    /** One sorted table in its memory form: 8-byte entries {u32 insn; u32 fixup}, little endian. */
    public record Table(String owner, byte[] bytes) {
        /** The fixup for eip, or 0. */
        int search(int eip) { return ExTable.search(bytes, 0, bytes.length, eip); }

        public int size() { return bytes.length / ExTable.ENTRY_SIZE; }
        public int insn(int i) { return ExTable.entry(bytes, 0, i).insn(); }
        public int fixup(int i) { return ExTable.entry(bytes, 0, i).fixup(); }
        public boolean isSorted() { return ExTable.isSorted(bytes); }
    }

    private final Table kernel;
    /** Newest first. */
    private final List<Table> modules = new ArrayList<>();

    public ExceptionTable(Table kernel) { this.kernel = kernel; }

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
     * fixup_exception: a kernel instruction faulted. When a table lists it, the saved EIP becomes
     * its repair code (the trace shows the pair) and the caller lets the guest resume there;
     * false means no entry covers it, and the fault is the kernel's own bug.
     */
    public boolean fixupException(PtRegs regs, Tracer tracer) {
        int fixup = search(regs.eip());
        if (fixup == 0) return false;
        tracer.fixup(regs.eip(), fixup);
        regs.set(PtRegs.EIP, fixup);
        return true;
    }

    /**
     * Adds a module's table (it becomes the first searched). The table must lie inside the
     * module image [imageStart, imageEnd), start <= end, and its size must be whole entries;
     * the entries are sorted here, as the module loader does.
     */
    public void addModule(String name, Ram ram, int imageStart, int imageEnd, int start, int end) {
        checkBounds(imageStart, imageEnd, start, end);
        byte[] image = ram.read(Layout.pa(imageStart), (int) (Layout.u(imageEnd) - Layout.u(imageStart)));
        addModule(name, image, imageStart, start, end);
    }

    /**
     * The same for an image not yet mapped (the module loader's byte array, whose first byte
     * will be at imageStart): the table is validated, sorted in place inside image, so the
     * module's memory and the search agree, and a copy is kept for the search.
     */
    public void addModule(String name, byte[] image, int imageStart, int start, int end) {
        checkBounds(imageStart, imageStart + image.length, start, end);
        int off = start - imageStart, len = end - start;
        if (!ExTable.duplicates(image, off, len).isEmpty()) {
            throw new IllegalArgumentException("init_module: duplicate __ex_table entries in " + name);
        }
        ExTable.sort(image, off, len);
        modules.add(0, new Table(name, java.util.Arrays.copyOfRange(image, off, off + len)));
    }

    private static void checkBounds(int imageStart, int imageEnd, int start, int end) {
        long s = Layout.u(start), e = Layout.u(end);
        if (s > e || s < Layout.u(imageStart) || e > Layout.u(imageEnd) || (e - s) % ExTable.ENTRY_SIZE != 0) {
            throw new IllegalArgumentException("init_module: mod->ex_table_* invalid.");
        }
    }

    /** The tables of the loaded modules, newest first. */
    public List<Table> moduleTables() { return List.copyOf(modules); }

    public void removeModule(String name) { modules.removeIf(t -> t.owner.equals(name)); }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.proc.ThreadArea;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

/**
 * modify_ldt (arch/x86/kernel/ldt.c): a process's own segment descriptors. The table belongs to
 * the address space ({@link Mm#ldt}: fork copies it, exec drops it); the running task's is copied
 * into one kernel area and described by GDT entry 17 (selector 0x88, where Linux puts its LDT
 * descriptor), and the context switch loads LDTR with it, so that a selector with TI=1, such as
 * 0x0f for entry 1 at RPL 3, reaches the program's descriptor in any segment load.
 */
public final class LocalDescriptorTable extends SyscallGroup {
    static final int LDT_ENTRIES = 8192, LDT_ENTRY_SIZE = 8;
    static final int GDT_ENTRY_LDT = 17, LDT_SELECTOR = GDT_ENTRY_LDT * 8;
    private static final int SEG_32BIT = 1, READ_EXEC_ONLY = 8, LIMIT_IN_PAGES = 16, SEG_NOT_PRESENT = 32,
            USEABLE = 64;
    /** read_default_ldt's size on 32-bit: five empty descriptors. */
    private static final int DEFAULT_LDT_SIZE = 5 * LDT_ENTRY_SIZE;

    private final int gdt;
    /** Physical address of the running task's LDT copy (LDT_ENTRIES descriptors), once a program has used one. */
    private int area = -1;

    public LocalDescriptorTable(Kernel k, UserAccess ua) {
        super(k, ua);
        this.gdt = Layout.pa(k.image.symbol("gdt_table"));
    }

    @Override public void register(Syscalls s) {
        s.add(123, "modify_ldt", "dpd", x -> modifyLdt(x.a(), x.b(), x.c()));
    }

    private int modifyLdt(int func, int ptr, int bytecount) {
        switch (func) {
            case 0: return read(ptr, bytecount);
            case 1: return write(ptr, bytecount, true);
            case 2: return readDefault(ptr, bytecount);
            case 0x11: return write(ptr, bytecount, false);
            default: return -Errno.ENOSYS;
        }
    }

    /** func 0: the table's descriptors, and zeros up to bytecount (which is returned); 0 without a table. */
    private int read(int ptr, int bytecount) {
        int[] ldt = k.current.mm.ldt;
        if (ldt == null) return 0;
        long want = Math.min(Integer.toUnsignedLong(bytecount), (long) LDT_ENTRIES * LDT_ENTRY_SIZE);
        int have = (int) Math.min(want, (long) ldt.length * 4);
        byte[] b = new byte[(int) want];
        for (int i = 0; i < have; i += 4) Bytes.put32(b, i, ldt[i / 4]);
        return ua.write(ptr, b) ? (int) want : -Errno.EFAULT;
    }

    private int readDefault(int ptr, int bytecount) {
        int n = (int) Math.min(Integer.toUnsignedLong(bytecount), DEFAULT_LDT_SIZE);
        return ua.write(ptr, new byte[n]) ? n : -Errno.EFAULT;
    }

    /**
     * func 1 (the old mode) and 0x11: one struct user_desc. An empty description clears the entry
     * (in the old mode also base 0 with limit 0); contents 3 (conforming code) is refused in the
     * old mode and accepted only not present in the new one; the old mode also clears AVL.
     */
    private int write(int ptr, int bytecount, boolean oldMode) {
        if (bytecount != ThreadArea.USER_DESC_SIZE) return -Errno.EINVAL;
        byte[] d = ua.read(ptr, ThreadArea.USER_DESC_SIZE);
        if (d == null) return -Errno.EFAULT;
        int entry = Bytes.get32(d, 0), base = Bytes.get32(d, 4), limit = Bytes.get32(d, 8), flags = Bytes.get32(d, 12);
        if (Integer.compareUnsigned(entry, LDT_ENTRIES) >= 0) return -Errno.EINVAL;
        int contents = (flags >> 1) & 3;
        if (contents == 3 && (oldMode || (flags & SEG_NOT_PRESENT) == 0)) return -Errno.EINVAL;
        boolean empty = base == 0 && limit == 0 && contents == 0 && (flags & READ_EXEC_ONLY) != 0
                && (flags & SEG_32BIT) == 0 && (flags & LIMIT_IN_PAGES) == 0 && (flags & SEG_NOT_PRESENT) != 0
                && (flags & USEABLE) == 0;
        int lo = 0, hi = 0;
        if (!(oldMode && base == 0 && limit == 0) && !empty) {
            lo = (base & 0xFFFF) << 16 | (limit & 0xFFFF);
            hi = (base & 0xFF000000) | ((base >>> 16) & 0xFF) | (limit & 0xF0000)
                    | 0x100                                   // accessed, as Linux's fill_ldt sets it
                    | ((flags & READ_EXEC_ONLY) == 0 ? 0x200 : 0) | contents << 10
                    | 0x1000 | 0x6000                         // code/data, DPL 3
                    | ((flags & SEG_NOT_PRESENT) == 0 ? 0x8000 : 0)
                    | (!oldMode && (flags & USEABLE) != 0 ? 1 << 20 : 0)
                    | ((flags & SEG_32BIT) != 0 ? 1 << 22 : 0) | ((flags & LIMIT_IN_PAGES) != 0 ? 1 << 23 : 0);
        }
        Mm mm = k.current.mm;
        int[] ldt = mm.ldt;
        int entries = Math.max(entry + 1, ldt == null ? 0 : ldt.length / 2);
        if (ldt == null || ldt.length < 2 * entries) {
            int[] grown = new int[2 * entries];
            if (ldt != null) System.arraycopy(ldt, 0, grown, 0, ldt.length);
            ldt = grown;
        }
        ldt[2 * entry] = lo;
        ldt[2 * entry + 1] = hi;
        mm.ldt = ldt;
        install(k.current);
        return 0;
    }

    /** load_mm_ldt: LDTR for t's address space (the null selector when it has no table). */
    public void install(Task t) {
        int[] ldt = t.mm == null ? null : t.mm.ldt;
        if (ldt == null) {
            if (k.cpu.getLdtSelector() != 0) k.cpu.loadLdt(0);
            return;
        }
        if (area == -1) {
            area = k.frames.allocContiguous(LDT_ENTRIES * LDT_ENTRY_SIZE / Layout.PAGE_SIZE);
            if (area == -1) throw new IllegalStateException("out of memory for the LDT");
        }
        for (int i = 0; i < ldt.length; i++) k.ram.write32(area + 4 * i, ldt[i]);
        int base = Layout.va(area), limit = ldt.length * 4 - 1;
        k.ram.write32(gdt + LDT_SELECTOR, base << 16 | (limit & 0xFFFF));
        k.ram.write32(gdt + LDT_SELECTOR + 4, (base & 0xFF000000) | ((base >>> 16) & 0xFF) | 0x8200 | (limit & 0xF0000));
        k.cpu.loadLdt(LDT_SELECTOR);
    }
}

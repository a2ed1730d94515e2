package dev.fixup.kernel.proc;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

/**
 * Thread-local storage segments (arch/x86/kernel/tls.c): set_thread_area and get_thread_area
 * manage three GDT descriptors per task (entries 6..8); the context switch copies the running
 * task's three into the GDT, so that %gs:0 reaches glibc's thread control block.
 */
public final class ThreadArea extends SyscallGroup {
    /** struct user_desc: entry_number, base_addr, limit, then the flag bits. */
    public static final int USER_DESC_SIZE = 16;
    private static final int SEG_32BIT = 1, CONTENTS_SHIFT = 1, READ_EXEC_ONLY = 8, LIMIT_IN_PAGES = 16,
            SEG_NOT_PRESENT = 32, USEABLE = 64;

    private final int gdt;

    public ThreadArea(Kernel k, UserAccess ua) {
        super(k, ua);
        this.gdt = Layout.pa(k.image.symbol("gdt_table"));
    }

    @Override public void register(Syscalls s) {
        s.add(243, "set_thread_area", "p", x -> set(k.current, x.a()));
        s.add(244, "get_thread_area", "p", x -> get(x.a()));
        s.add(311, "set_robust_list", "pd", x -> x.b() != 12 ? -Errno.EINVAL : 0);   // no futexes to clean up yet
    }

    /** Copies t's TLS descriptors into the GDT (the context switch's load_TLS). */
    public void install(Task t) {
        for (int i = 0; i < Layout.GDT_ENTRY_TLS_ENTRIES; i++) {
            int at = gdt + 8 * (Layout.GDT_ENTRY_TLS_MIN + i);
            k.ram.write32(at, t.tls[2 * i]);
            k.ram.write32(at + 4, t.tls[2 * i + 1]);
        }
    }

    /** set_thread_area(u_info) for task t (also CLONE_SETTLS, from the parent's memory). */
    int set(Task t, int uinfo) {
        byte[] d = ua.read(uinfo, USER_DESC_SIZE);
        if (d == null) return -Errno.EFAULT;
        int idx = Bytes.get32(d, 0);
        if (idx == -1) {
            for (int i = 0; i < Layout.GDT_ENTRY_TLS_ENTRIES && idx == -1; i++) {
                if (t.tls[2 * i] == 0 && t.tls[2 * i + 1] == 0) idx = Layout.GDT_ENTRY_TLS_MIN + i;
            }
            if (idx == -1) return -Errno.ESRCH;
            if (ua.putUser(4, uinfo, idx) != 0) return -Errno.EFAULT;
        }
        if (idx < Layout.GDT_ENTRY_TLS_MIN || idx >= Layout.GDT_ENTRY_TLS_MIN + Layout.GDT_ENTRY_TLS_ENTRIES) return -Errno.EINVAL;
        int base = Bytes.get32(d, 4), limit = Bytes.get32(d, 8), flags = Bytes.get32(d, 12);
        int contents = (flags >> CONTENTS_SHIFT) & 3;
        boolean empty = base == 0 && limit == 0 && contents == 0 && (flags & READ_EXEC_ONLY) != 0
                && (flags & SEG_32BIT) == 0 && (flags & LIMIT_IN_PAGES) == 0 && (flags & SEG_NOT_PRESENT) != 0
                && (flags & USEABLE) == 0;
        boolean zero = base == 0 && limit == 0 && flags == 0;
        int i = idx - Layout.GDT_ENTRY_TLS_MIN;
        if (empty || zero) {
            t.tls[2 * i] = t.tls[2 * i + 1] = 0;
        } else {
            // Only 32-bit data segments may go in the TLS slots.
            if ((flags & SEG_32BIT) == 0 || contents > 1) return -Errno.EINVAL;
            t.tls[2 * i] = (base & 0xFFFF) << 16 | (limit & 0xFFFF);
            t.tls[2 * i + 1] = (base & 0xFF000000) | ((base >>> 16) & 0xFF) | (limit & 0xF0000)
                    | ((flags & READ_EXEC_ONLY) == 0 ? 1 << 9 : 0) | contents << 10
                    | ((flags & SEG_NOT_PRESENT) == 0 ? 1 << 15 : 0) | 1 << 22
                    | ((flags & LIMIT_IN_PAGES) != 0 ? 1 << 23 : 0) | ((flags & USEABLE) != 0 ? 1 << 20 : 0)
                    | 0x7000;                                // a code/data descriptor of DPL 3
        }
        if (t == k.current) install(t);
        return 0;
    }

    /** get_thread_area(u_info): the descriptor of entry u_info->entry_number as a user_desc. */
    private int get(int uinfo) {
        int[] e = ua.getUser(4, uinfo);
        if (e[0] != 0) return -Errno.EFAULT;
        int idx = e[1];
        if (idx < Layout.GDT_ENTRY_TLS_MIN || idx >= Layout.GDT_ENTRY_TLS_MIN + Layout.GDT_ENTRY_TLS_ENTRIES) return -Errno.EINVAL;
        int lo = k.current.tls[2 * (idx - Layout.GDT_ENTRY_TLS_MIN)], hi = k.current.tls[2 * (idx - Layout.GDT_ENTRY_TLS_MIN) + 1];
        byte[] d = new byte[USER_DESC_SIZE];
        Bytes.put32(d, 0, idx);
        Bytes.put32(d, 4, (lo >>> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000));
        Bytes.put32(d, 8, (lo & 0xFFFF) | (hi & 0xF0000));
        int flags = ((hi >> 22) & 1) * SEG_32BIT | ((hi >> 10) & 3) << CONTENTS_SHIFT
                | ((hi >> 9) & 1 ^ 1) * READ_EXEC_ONLY | ((hi >> 23) & 1) * LIMIT_IN_PAGES
                | ((hi >> 15) & 1 ^ 1) * SEG_NOT_PRESENT | ((hi >> 20) & 1) * USEABLE;
        Bytes.put32(d, 12, flags);
        return ua.write(uinfo, d) ? 0 : -Errno.EFAULT;
    }
}

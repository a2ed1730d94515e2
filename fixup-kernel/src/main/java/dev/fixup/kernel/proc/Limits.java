package dev.fixup.kernel.proc;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.fs.FdTable;
import dev.fixup.kernel.mm.Vma;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

/**
 * Resource limits: getrlimit, ugetrlimit, setrlimit and prlimit64 on the calling process. The
 * kernel enforces RLIMIT_STACK (stack growth), RLIMIT_AS (mappings) and RLIMIT_NOFILE.
 */
public final class Limits extends SyscallGroup {
    public static final int RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_NOFILE = 7, RLIMIT_AS = 9, RLIM_NLIMITS = 16;
    /** RLIM_INFINITY as the kernel stores it (and as prlimit64 shows it). */
    static final long INFINITY = -1L;


    public Limits(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    /** What the first process starts with (Linux's defaults): 8 MB of stack, no core files, 1024 files. */
    static long[][] defaults() {
        long[][] l = new long[RLIM_NLIMITS][];
        for (int i = 0; i < RLIM_NLIMITS; i++) l[i] = new long[] {INFINITY, INFINITY};
        l[RLIMIT_STACK][0] = 8L << 20;
        l[RLIMIT_CORE][0] = 0;
        l[RLIMIT_NOFILE] = new long[] {FdTable.MAX_FDS, FdTable.MAX_FDS};
        return l;
    }

    /** A task's soft limit for resource res, in bytes or items; {@link #INFINITY} for none (Mm.NO_LIMIT). */
    public static long current(Task t, int res) { return t.rlimits[res][0]; }

    /** expand_stack under t's RLIMIT_STACK and RLIMIT_AS: the fault path and verify_area both grow stacks this way. */
    public static boolean expandStack(Task t, Vma vma, long address) {
        return t.mm.expandStack(vma, address, current(t, RLIMIT_STACK), current(t, RLIMIT_AS));
    }

    @Override public void register(Syscalls s) {
        s.add(75, "setrlimit", "dp", x -> setrlimit(x.a(), x.b()));
        s.add(76, "getrlimit", "dp", x -> getrlimit(x.a(), x.b(), true));
        s.add(191, "ugetrlimit", "dp", x -> getrlimit(x.a(), x.b(), false));
        s.add(340, "prlimit64", "ddpp", x -> prlimit64(x.a(), x.b(), x.c(), x.d()));
    }

    /** A 32-bit rlimit field: infinity is ~0 (the old getrlimit clips it to 0x7fffffff, as Linux does). */
    private static int clip(long v, boolean old) {
        if (v == INFINITY || v > 0xFFFFFFFFL) return old ? 0x7FFFFFFF : -1;
        return old && v > 0x7FFFFFFFL ? 0x7FFFFFFF : (int) v;
    }

    private int getrlimit(int res, int addr, boolean old) {
        if (res < 0 || res >= RLIM_NLIMITS) return -Errno.EINVAL;
        long[] l = k.current.rlimits[res];
        byte[] b = new byte[8];
        Bytes.put32(b, 0, clip(l[0], old));
        Bytes.put32(b, 4, clip(l[1], old));
        return ua.write(addr, b) ? 0 : -Errno.EFAULT;
    }

    private static long widen(int v) { return v == -1 ? INFINITY : Layout.u(v); }

    private int setrlimit(int res, int addr) {
        if (res < 0 || res >= RLIM_NLIMITS) return -Errno.EINVAL;
        byte[] b = ua.read(addr, 8);
        if (b == null) return -Errno.EFAULT;
        return set(k.current, res, widen(Bytes.get32(b, 0)), widen(Bytes.get32(b, 4)));
    }

    /** Unsigned comparison with INFINITY above everything. */
    private static boolean above(long a, long b) { return Long.compareUnsigned(a, b) > 0; }

    private static int set(Task t, int res, long soft, long hard) {
        if (above(soft, hard)) return -Errno.EINVAL;
        long[] l = t.rlimits[res];
        if (above(hard, l[1])) return -Errno.EPERM;          // an unprivileged process only lowers its hard limit
        if (res == RLIMIT_NOFILE && above(hard, FdTable.MAX_FDS)) return -Errno.EPERM;
        l[0] = soft;
        l[1] = hard;
        return 0;
    }

    /** prlimit64(pid, resource, new, old) with 64-bit fields; only the caller itself (or pid 0). */
    private int prlimit64(int pid, int res, int newp, int oldp) {
        if (res < 0 || res >= RLIM_NLIMITS) return -Errno.EINVAL;
        Task t = pid == 0 ? k.current : k.sched.find(pid);
        if (t == null) return -Errno.ESRCH;
        long[] before = t.rlimits[res].clone();
        if (newp != 0) {
            byte[] b = ua.read(newp, 16);
            if (b == null) return -Errno.EFAULT;
            int r = set(t, res, Bytes.get64(b, 0), Bytes.get64(b, 8));
            if (r != 0) return r;
        }
        if (oldp != 0) {
            byte[] b = new byte[16];
            Bytes.put64(b, 0, before[0]);
            Bytes.put64(b, 8, before[1]);
            if (!ua.write(oldp, b)) return -Errno.EFAULT;
        }
        return 0;
    }
}

package dev.fixup.kernel.syscall;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Task;

/**
 * Small questions a C library asks at start-up: sysinfo, getrandom, getgroups32, and the
 * harmless prctl options (the name of the task, the dumpable and no-new-privileges flags).
 */
public final class SystemCalls extends SyscallGroup {
    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
    static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    private static final java.security.SecureRandom RNG = new java.security.SecureRandom();

    private final long boot = System.nanoTime();

    public SystemCalls(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(116, "sysinfo", "p", x -> sysinfo(x.a()));
        s.add(355, "getrandom", "pdx", x -> getrandom(x.a(), x.b(), x.c()));
        s.add(172, "prctl", "dxxxx", x -> prctl(x.a(), x.b()));
        s.add(205, "getgroups32", "dp", x -> getgroups(x.a(), x.b()));
        s.add(80, "getgroups", "dp", x -> getgroups(x.a(), x.b()));
    }

    /** struct sysinfo of i386 (64 bytes): uptime, loads, memory in units of mem_unit = 1, process count. */
    private int sysinfo(int buf) {
        byte[] b = new byte[64];
        Bytes.put32(b, 0, (int) ((System.nanoTime() - boot) / 1_000_000_000L) + 1);
        Bytes.put32(b, 16, k.cfg.ramBytes);                                  // totalram
        Bytes.put32(b, 20, k.cfg.ramBytes / 2);                              // freeram: a fair guess
        Bytes.put16(b, 40, k.sched.all().size());                            // procs
        Bytes.put32(b, 52, 1);                                               // mem_unit
        return ua.write(buf, b) ? 0 : -Errno.EFAULT;
    }

    private int getrandom(int buf, int len, int flags) {
        if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0
                || (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE)) return -Errno.EINVAL;
        if (len < 0) return -Errno.EINVAL;
        int n = Math.min(len, 32 << 20);                // Linux hands out at most 32 MB per call
        byte[] chunk = new byte[Math.min(n, UserAccess.CHUNK)];
        int done = 0;
        while (done < n) {
            int c = Math.min(chunk.length, n - done);
            RNG.nextBytes(chunk);
            int left = ua.copyToUser(buf + done, chunk, 0, c);
            done += c - left;
            if (left != 0) return done > 0 ? done : -Errno.EFAULT;
        }
        return done;
    }

    private int prctl(int option, int arg) {
        switch (option) {
            case PR_SET_NAME: {
                Object name = ua.getname(arg);
                if (name instanceof Integer err && err != -Errno.ENOENT) return err == -Errno.ENAMETOOLONG ? 0 : err;
                k.current.comm = name instanceof String str ? Task.shortName(str.replace('/', '_')) : "";
                return 0;
            }
            case PR_GET_NAME: {
                byte[] b = java.util.Arrays.copyOf(k.current.comm.getBytes(java.nio.charset.StandardCharsets.UTF_8), 16);
                b[15] = 0;
                return ua.write(arg, b) ? 0 : -Errno.EFAULT;
            }
            case PR_GET_DUMPABLE: return 1;
            case PR_SET_DUMPABLE: return arg == 0 || arg == 1 ? 0 : -Errno.EINVAL;
            case PR_SET_PDEATHSIG: return arg >= 0 && arg <= 64 ? 0 : -Errno.EINVAL;
            case PR_GET_PDEATHSIG: return ua.putUser(4, arg, 0) == 0 ? 0 : -Errno.EFAULT;
            case PR_SET_NO_NEW_PRIVS: return arg == 1 ? 0 : -Errno.EINVAL;
            case PR_GET_NO_NEW_PRIVS: return 0;
            default: return -Errno.EINVAL;
        }
    }

    /** The guest's process has no supplementary groups: an empty list. */
    private int getgroups(int size, int list) {
        return size < 0 ? -Errno.EINVAL : 0;
    }
}

package dev.fixup.kernel.syscall;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Task;

import java.nio.charset.StandardCharsets;

/** System information and time: uname, the clocks, times, and the user and group ids (all root's). */
public final class InfoCalls extends SyscallGroup {
    /** USER_HZ: the clock ticks of times() and sysconf(_SC_CLK_TCK). */
    static final int HZ = 100;


    public InfoCalls(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(13, "time", "p", x -> time(x.a()));
        s.add(43, "times", "p", x -> times(x.a()));
        s.add(60, "umask", "x", x -> { int old = k.current.umask; k.current.umask = x.a() & 0777; return old; });
        s.add(77, "getrusage", "dp", x -> getrusage(x.a(), x.b()));
        s.add(78, "gettimeofday", "pp", x -> gettimeofday(x.a(), x.b()));
        s.add(122, "uname", "p", x -> uname(x.a()));
        s.add(265, "clock_gettime", "dp", x -> clockGettime(x.a(), x.b(), false, false));
        s.add(266, "clock_getres", "dp", x -> clockGettime(x.a(), x.b(), false, true));
        s.add(403, "clock_gettime64", "dp", x -> clockGettime(x.a(), x.b(), true, false));
        s.add(406, "clock_getres_time64", "dp", x -> clockGettime(x.a(), x.b(), true, true));
        int[][] ids = {{24, 0}, {47, 0}, {49, 0}, {50, 0}, {199, 0}, {200, 0}, {201, 0}, {202, 0}};
        String[] names = {"getuid", "getgid", "geteuid", "getegid", "getuid32", "getgid32", "geteuid32", "getegid32"};
        for (int i = 0; i < ids.length; i++) s.add(ids[i][0], names[i], "", x -> 0);
    }

    /** struct new_utsname: six fields of 65 bytes. */
    private int uname(int buf) {
        String[] fields = {"Linux", "fixup", "2.4.37-fixup", "#1 Fixup", "i686", "(none)"};
        byte[] u = new byte[6 * 65];
        for (int i = 0; i < fields.length; i++) {
            byte[] s = fields[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, u, 65 * i, s.length);
        }
        return ua.copyToUser(buf, u, 0, u.length) != 0 ? -Errno.EFAULT : 0;
    }

    private int gettimeofday(int tv, int tz) {
        if (tv != 0) {
            long micros = System.currentTimeMillis() * 1000;
            byte[] t = new byte[8];
            Bytes.put32(t, 0, (int) (micros / 1_000_000));
            Bytes.put32(t, 4, (int) (micros % 1_000_000));
            if (ua.copyToUser(tv, t, 0, 8) != 0) return -Errno.EFAULT;
        }
        if (tz != 0 && ua.copyToUser(tz, new byte[8], 0, 8) != 0) return -Errno.EFAULT;
        return 0;
    }

    /**
     * clock_gettime and clock_getres, with the 32-bit timespec {sec, nsec} or the 64-bit one of the
     * *_time64 calls. The realtime clocks read the host's time; the others count from boot.
     */
    private int clockGettime(int clock, int ts, boolean wide, boolean resolution) {
        long sec, nsec;
        switch (clock) {
            case 0: case 5: {                                // CLOCK_REALTIME(_COARSE)
                java.time.Instant now = java.time.Instant.now();
                sec = now.getEpochSecond();
                nsec = now.getNano();
                break;
            }
            case 1: case 4: case 6: case 7: case 2: case 3: { // monotonic, boot time, cpu time
                long n = System.nanoTime() - k.bootNanos;
                sec = n / 1_000_000_000L;
                nsec = n % 1_000_000_000L;
                break;
            }
            default: return -Errno.EINVAL;
        }
        if (resolution) {
            sec = 0;
            nsec = 1;
            if (ts == 0) return 0;
        }
        byte[] b = new byte[wide ? 16 : 8];
        if (wide) {
            Bytes.put64(b, 0, sec);
            Bytes.put64(b, 8, nsec);
        } else {
            Bytes.put32(b, 0, (int) sec);
            Bytes.put32(b, 4, (int) nsec);
        }
        return ua.write(ts, b) ? 0 : -Errno.EFAULT;
    }

    private int time(int t) {
        int now = (int) (System.currentTimeMillis() / 1000);
        if (t != 0 && ua.putUser(4, t, now) != 0) return -Errno.EFAULT;
        return now;
    }

    /** getrusage(who, usage): user time from the timer ticks a task ran through; the other fields 0. */
    private int getrusage(int who, int buf) {
        Task t = k.current;
        long ticks;
        if (who == 0) ticks = t.utime;
        else if (who == -1) ticks = t.cutime;
        else return -Errno.EINVAL;
        byte[] b = new byte[72];
        Bytes.put32(b, 0, (int) (ticks / HZ));
        Bytes.put32(b, 4, (int) (ticks % HZ * (1_000_000 / HZ)));
        return ua.write(buf, b) ? 0 : -Errno.EFAULT;
    }

    /** times(): struct tms {utime, stime, cutime, cstime} in ticks; the ticks since boot. */
    private int times(int buf) {
        Task t = k.current;
        if (buf != 0) {
            byte[] b = new byte[16];
            Bytes.put32(b, 0, (int) t.utime);
            Bytes.put32(b, 8, (int) t.cutime);
            if (!ua.write(buf, b)) return -Errno.EFAULT;
        }
        return (int) ((System.nanoTime() - k.bootNanos) / (1_000_000_000L / HZ));
    }
}

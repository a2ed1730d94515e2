package dev.fixup.kernel;

/**
 * The POSIX clocks: clock_gettime and clock_getres with the 32-bit timespec of the old i386 calls
 * and the 64-bit one of the *_time64 calls glibc tries first. CLOCK_REALTIME (and its coarse
 * and TAI variants) reads the host's wall clock; the monotonic and boot-time clocks count from the
 * kernel's start; the CPU-time clocks count the timer ticks the task has run.
 */
final class ClockCalls {
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
            CLOCK_TAI = 11;
    /** The resolution clock_getres reports: 1 ns for the fine clocks, a tick for the coarse ones. */
    private static final long FINE = 1, COARSE = 1_000_000_000L / InfoCalls.HZ;

    private final Kernel k;
    private final UserAccess ua;
    private final long boot = System.nanoTime();

    ClockCalls(Kernel k, UserAccess ua) {
        this.k = k;
        this.ua = ua;
    }

    void register(Syscalls s) {
        s.add(265, "clock_gettime", "dp", x -> gettime(x.a(), x.b(), false));
        s.add(266, "clock_getres", "dp", x -> getres(x.a(), x.b(), false));
        s.add(403, "clock_gettime64", "dp", x -> gettime(x.a(), x.b(), true));
        s.add(406, "clock_getres_time64", "dp", x -> getres(x.a(), x.b(), true));
    }

    /** The clock's time in nanoseconds, or null for a clock id Linux does not have. */
    private Long now(int clock) {
        switch (clock) {
            case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_TAI: {
                java.time.Instant i = java.time.Instant.now();
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            }
            case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
                return System.nanoTime() - boot + 1_000_000_000L;
            case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
                return k.current.utime * (1_000_000_000L / InfoCalls.HZ);
            default:
                return null;
        }
    }

    private int put(int tp, long ns, boolean wide) {
        byte[] b = new byte[wide ? 16 : 8];
        long sec = ns / 1_000_000_000L, nsec = ns % 1_000_000_000L;
        if (wide) {
            Bytes.put64(b, 0, sec);
            Bytes.put64(b, 8, nsec);
        } else {
            if (sec > Integer.MAX_VALUE) return -Errno.EOVERFLOW;
            Bytes.put32(b, 0, (int) sec);
            Bytes.put32(b, 4, (int) nsec);
        }
        return ua.write(tp, b) ? 0 : -Errno.EFAULT;
    }

    private int gettime(int clock, int tp, boolean wide) {
        Long ns = now(clock);
        return ns == null ? -Errno.EINVAL : put(tp, ns, wide);
    }

    private int getres(int clock, int tp, boolean wide) {
        if (now(clock) == null) return -Errno.EINVAL;
        if (tp == 0) return 0;
        boolean coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
        return put(tp, coarse ? COARSE : FINE, wide);
    }
}

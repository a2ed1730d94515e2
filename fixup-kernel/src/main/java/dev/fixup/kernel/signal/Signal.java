package dev.fixup.kernel.signal;

/** Linux i386 signal numbers, sigaction flags, siginfo codes and wait statuses. */
public final class Signal {
    private Signal() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
    /** Signals are 1..64; 32..64 are the real-time ones. */
    public static final int NSIG = 64;

    /** siginfo si_code values. */
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1,
            TRAP_BRKPT = 1, CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;

    /** sigaction handlers and flags. */
    public static final int SIG_DFL = 0, SIG_IGN = 1;
    public static final int SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_RESTORER = 0x04000000,
            SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

    static long bit(int sig) { return 1L << (sig - 1); }

    /** SIGKILL and SIGSTOP can be neither caught, blocked nor ignored. */
    static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);

    enum Default { TERMINATE, CORE, IGNORE, STOP, CONTINUE }

    static Default defaultAction(int sig) {
        switch (sig) {
            case SIGCHLD: case SIGURG: case SIGWINCH: return Default.IGNORE;
            case SIGCONT: return Default.CONTINUE;
            case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return Default.STOP;
            case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
            case SIGXCPU: case SIGXFSZ: case SIGSYS: return Default.CORE;
            default: return Default.TERMINATE;
        }
    }

    /** The wait status of a task that called exit(code). */
    public static int exited(int code) { return (code & 0xFF) << 8; }

    /** The wait status of a task killed by sig (no core file is written: RLIMIT_CORE is 0). */
    public static int killedBy(int sig) { return sig & 0x7F; }

    /** The status a shell shows for a wait status: the exit code, or 128 + the signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7F;
        return sig == 0 ? (waitStatus >> 8) & 0xFF : 128 + sig;
    }

    /** The shell's exit status for a task killed by a signal. */
    public static int exitStatus(int sig) { return 128 + sig; }
}

package dev.fixup.kernel;

/** The signals the kernel sends, with Linux i386 numbers. */
public final class Signal {
    private Signal() {}
    public static final int SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11;
    /** siginfo codes for SIGSEGV. */
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2;

    /** The shell's exit status for a task killed by a signal. */
    public static int exitStatus(int sig) { return 128 + sig; }
}

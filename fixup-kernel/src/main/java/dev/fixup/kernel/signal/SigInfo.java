package dev.fixup.kernel.signal;

import dev.fixup.kernel.Bytes;

/**
 * What a queued signal carries (siginfo_t, 128 bytes on i386): signo, code, and the sender's pid
 * and uid, or the faulting address, or a child's status. trapno and err go to the sigcontext of a
 * fault's frame.
 */
public record SigInfo(int signo, int code, int pid, int uid, int addr, int status, int trapno, int err) {
    static final int SIZE = 128;

    public static SigInfo kernel(int sig) { return new SigInfo(sig, Signal.SI_KERNEL, 0, 0, 0, 0, 0, 0); }

    public static SigInfo user(int sig, int code, int pid) { return new SigInfo(sig, code, pid, 0, 0, 0, 0, 0); }

    public static SigInfo fault(int sig, int code, int addr, int trapno, int err) {
        return new SigInfo(sig, code, 0, 0, addr, 0, trapno, err);
    }

    public static SigInfo child(int code, int pid, int status) {
        return new SigInfo(Signal.SIGCHLD, code, pid, 0, 0, status, 0, 0);
    }

    /** The user-visible layout: si_signo, si_errno, si_code, then the union at offset 12. */
    byte[] toBytes() {
        byte[] b = new byte[SIZE];
        Bytes.put32(b, 0, signo);
        Bytes.put32(b, 8, code);
        if (signo == Signal.SIGSEGV || signo == Signal.SIGBUS || signo == Signal.SIGILL || signo == Signal.SIGFPE
                || signo == Signal.SIGTRAP) {
            if (code > 0 && code != Signal.SI_KERNEL) { Bytes.put32(b, 12, addr); return b; }
        }
        Bytes.put32(b, 12, pid);
        Bytes.put32(b, 16, uid);
        if (signo == Signal.SIGCHLD) Bytes.put32(b, 20, status);
        return b;
    }
}

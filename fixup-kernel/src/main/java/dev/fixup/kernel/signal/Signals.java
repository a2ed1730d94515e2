package dev.fixup.kernel.signal;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.fs.FileCalls;
import dev.fixup.kernel.proc.Processes;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import static dev.fixup.kernel.signal.Signal.bit;

/**
 * Signals (Linux kernel/signal.c and arch/i386/kernel/signal.c in the small): sending, the
 * synchronous signals of faults, delivery on the way back to user mode (default action, or a
 * frame for the handler), and the signal system calls. A syscall that slept and is interrupted by
 * a handler returns -EINTR, or is issued again after the handler when SA_RESTART is set.
 */
public final class Signals extends SyscallGroup {
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    private static final int MINSIGSTKSZ = 2048;
    /** Faults a task caused itself are delivered before anything else pending. */
    private static final long SYNCHRONOUS = bit(Signal.SIGSEGV) | bit(Signal.SIGBUS) | bit(Signal.SIGILL)
            | bit(Signal.SIGTRAP) | bit(Signal.SIGFPE) | bit(Signal.SIGSYS);

    /** rt_sigsuspend sleeps with a temporary mask; the handler's frame saves the old one. */
    record Suspend(long oldMask) {}

    public final SigFrame frames;

    public Signals(Kernel k, UserAccess ua) {
        super(k, ua);
        this.frames = new SigFrame(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(29, "pause", "", x -> sleepForSignal());
        s.add(37, "kill", "dd", x -> kill(x.a(), x.b()));
        s.add(48, "signal", "dp", x -> signal(x.a(), x.b()));
        s.add(67, "sigaction", "dpp", x -> sigaction(x.a(), x.b(), x.c()));
        s.add(73, "sigpending", "p", x -> sigpending(x.a(), 4));
        s.add(119, "sigreturn", "", x -> sigreturn(x.regs(), false));
        s.add(126, "sigprocmask", "dpp", x -> sigprocmask(x.a(), x.b(), x.c(), 4));
        s.add(173, "rt_sigreturn", "", x -> sigreturn(x.regs(), true));
        s.add(174, "rt_sigaction", "dppd", x -> x.d() != 8 ? -Errno.EINVAL : rtSigaction(x.a(), x.b(), x.c()));
        s.add(175, "rt_sigprocmask", "dppd", x -> x.d() != 8 ? -Errno.EINVAL : sigprocmask(x.a(), x.b(), x.c(), 8));
        s.add(176, "rt_sigpending", "pd", x -> x.b() > 8 || x.b() < 0 ? -Errno.EINVAL : sigpending(x.a(), x.b()));
        s.add(179, "rt_sigsuspend", "pd", x -> x.b() != 8 ? -Errno.EINVAL : sigsuspend(x.a(), 8));
        // The old i386 entry takes the 32-bit mask itself, in its third argument (the first two are unused).
        s.add(72, "sigsuspend", "ddx", x -> suspendWith(x.c() & 0xFFFFFFFFL));
        s.add(186, "sigaltstack", "pp", x -> sigaltstack(x.regs(), x.a(), x.b()));
        s.add(238, "tkill", "dd", x -> tkill(x.a(), x.b()));
        s.add(270, "tgkill", "ddd", x -> x.a() <= 0 ? -Errno.EINVAL : tkill(x.b(), x.c()));
    }

    // ---- sending

    /** send_sig_info: marks sig pending for t and wakes t if it sleeps and does not block sig. */
    public void send(Task t, int sig, SigInfo info) {
        if (!t.alive()) return;
        SignalState s = t.signals;
        if (sig == Signal.SIGKILL || sig == Signal.SIGCONT) {
            s.pending &= ~(bit(Signal.SIGSTOP) | bit(Signal.SIGTSTP) | bit(Signal.SIGTTIN) | bit(Signal.SIGTTOU));
            if (t.state == Task.State.STOPPED) k.sched.enqueue(t);
        }
        if (Signal.defaultAction(sig) == Signal.Default.STOP) s.pending &= ~bit(Signal.SIGCONT);
        if (s.ignores(sig) && !s.isBlocked(sig)) return;
        if ((s.pending & bit(sig)) == 0) s.info[sig] = info;
        s.pending |= bit(sig);
        if (!s.isBlocked(sig) && t.state == Task.State.BLOCKED && (!t.vforkWait || sig == Signal.SIGKILL)) k.sched.wake(t);
    }

    /** force_sig_info: a fault of t's own; blocked or ignored, it still takes effect, with its default action. */
    public void force(Task t, SigInfo info) {
        int sig = info.signo();
        SignalState s = t.signals;
        if (s.isBlocked(sig) || s.actions[sig].handler() == Signal.SIG_IGN) {
            s.actions[sig] = SignalState.Action.DEFAULT;
            s.blocked &= ~bit(sig);
        }
        send(t, sig, info);
    }

    // ---- delivery

    /**
     * do_signal, on the way back to user mode: the first deliverable signal's action. A fatal one
     * throws the task's exit; a caught one gets a frame. A stopping one leaves t STOPPED.
     */
    public void deliver(Task t, PtRegs regs) {
        SignalState s = t.signals;
        while (true) {
            long ready = s.pending & ~(s.blocked & ~Signal.UNBLOCKABLE);
            if (ready == 0) return;
            long pick = (ready & SYNCHRONOUS) != 0 ? ready & SYNCHRONOUS : ready;
            int sig = Long.numberOfTrailingZeros(pick) + 1;
            s.pending &= ~bit(sig);
            SigInfo info = s.info[sig] != null ? s.info[sig] : SigInfo.kernel(sig);
            s.info[sig] = null;
            SignalState.Action a = s.actions[sig];
            if (sig == Signal.SIGKILL) throw k.exit(t, Signal.killedBy(sig));
            if (a.handler() == Signal.SIG_IGN) continue;
            if (a.handler() == Signal.SIG_DFL) {
                switch (Signal.defaultAction(sig)) {
                    case IGNORE: case CONTINUE: continue;
                    case STOP: k.procs.stop(t, sig); return;
                    default: throw k.exit(t, Signal.killedBy(sig));
                }
            }
            long saved = t.restart instanceof Suspend su ? su.oldMask() : s.blocked;
            interruptSyscall(t, regs, (a.flags() & Signal.SA_RESTART) != 0);
            if (!frames.setup(t, regs, sig, a, info, saved)) {
                // A stack the kernel cannot write: the task dies of SIGSEGV (force_sigsegv).
                if (sig == Signal.SIGSEGV) s.actions[sig] = SignalState.Action.DEFAULT;
                force(t, SigInfo.kernel(Signal.SIGSEGV));
                continue;
            }
            s.blocked |= a.mask() | ((a.flags() & Signal.SA_NODEFER) != 0 ? 0 : bit(sig));
            s.blocked &= ~Signal.UNBLOCKABLE;
            if ((a.flags() & Signal.SA_RESETHAND) != 0) s.actions[sig] = SignalState.Action.DEFAULT;
            return;
        }
    }

    /**
     * A handler is about to run while a syscall sleeps (its EIP rewound): restart the call after
     * the handler (SA_RESTART, for calls that allow it) or make it return -EINTR, or the bytes a
     * write had already moved.
     */
    private void interruptSyscall(Task t, PtRegs regs, boolean saRestart) {
        if (!t.restarting || saRestart && !t.restartNoHandler) return;
        int result = -Errno.EINTR;
        if (t.restart instanceof FileCalls.Progress p && p.done() > 0) result = p.done();
        if (t.restart instanceof Processes.Sleep sl) k.procs.writeRemaining(sl);
        regs.set(PtRegs.EIP, regs.eip() + 2);
        regs.set(PtRegs.EAX, result);
        t.restarting = false;
        t.restart = null;
    }

    // ---- the system calls

    private int sleepForSignal() {
        k.current.restartNoHandler = true;
        k.sched.sleep(k.current, 0);
        return Syscalls.RESTART;
    }

    private int kill(int pid, int sig) {
        if (sig < 0 || sig > Signal.NSIG) return -Errno.EINVAL;
        Task me = k.current;
        java.util.List<Task> targets = new java.util.ArrayList<>();
        for (Task t : k.sched.all()) {
            boolean hit = pid > 0 ? t.pid == pid
                    : pid == 0 ? t.pgid == me.pgid
                    : pid == -1 ? t.pid != 1 && t != me
                    : t.pgid == -pid;
            if (hit) targets.add(t);
        }
        if (targets.isEmpty()) return -Errno.ESRCH;
        if (sig != 0) for (Task t : targets) send(t, sig, SigInfo.user(sig, Signal.SI_USER, me.pid));
        return 0;
    }

    private int tkill(int tid, int sig) {
        if (tid <= 0 || sig < 0 || sig > Signal.NSIG) return -Errno.EINVAL;
        Task t = k.sched.tasks.get(tid);
        if (t == null) return -Errno.ESRCH;
        if (sig != 0) send(t, sig, SigInfo.user(sig, Signal.SI_TKILL, k.current.pid));
        return 0;
    }

    private static boolean validForAction(int sig) {
        return sig >= 1 && sig <= Signal.NSIG && sig != Signal.SIGKILL && sig != Signal.SIGSTOP;
    }

    /** Sets sig's action; setting SIG_IGN (or a default that ignores) drops it if pending. */
    private void setAction(Task t, int sig, SignalState.Action a) {
        SignalState s = t.signals;
        s.actions[sig] = new SignalState.Action(a.handler(), a.flags(), a.restorer(), a.mask() & ~Signal.UNBLOCKABLE);
        if (s.ignores(sig)) {
            s.pending &= ~bit(sig);
            s.info[sig] = null;
        }
    }

    /** rt_sigaction: struct sigaction {handler, flags, restorer, mask[8]}. */
    private int rtSigaction(int sig, int act, int oact) {
        if (sig < 1 || sig > Signal.NSIG || act != 0 && !validForAction(sig)) return -Errno.EINVAL;
        SignalState s = k.current.signals;
        SignalState.Action old = s.actions[sig];
        if (act != 0) {
            byte[] b = ua.read(act, 20);
            if (b == null) return -Errno.EFAULT;
            setAction(k.current, sig, new SignalState.Action(Bytes.get32(b, 0), Bytes.get32(b, 4), Bytes.get32(b, 8), Bytes.get64(b, 12)));
        }
        if (oact != 0) {
            byte[] b = new byte[20];
            Bytes.put32(b, 0, old.handler());
            Bytes.put32(b, 4, old.flags());
            Bytes.put32(b, 8, old.restorer());
            Bytes.put64(b, 12, old.mask());
            if (!ua.write(oact, b)) return -Errno.EFAULT;
        }
        return 0;
    }

    /** sigaction (the old call): struct old_sigaction {handler, mask, flags, restorer}. */
    private int sigaction(int sig, int act, int oact) {
        if (sig < 1 || sig > Signal.NSIG || act != 0 && !validForAction(sig)) return -Errno.EINVAL;
        SignalState s = k.current.signals;
        SignalState.Action old = s.actions[sig];
        if (act != 0) {
            byte[] b = ua.read(act, 16);
            if (b == null) return -Errno.EFAULT;
            setAction(k.current, sig, new SignalState.Action(Bytes.get32(b, 0), Bytes.get32(b, 8), Bytes.get32(b, 12),
                    Layout.u(Bytes.get32(b, 4))));
        }
        if (oact != 0) {
            byte[] b = new byte[16];
            Bytes.put32(b, 0, old.handler());
            Bytes.put32(b, 4, (int) old.mask());
            Bytes.put32(b, 8, old.flags());
            Bytes.put32(b, 12, old.restorer());
            if (!ua.write(oact, b)) return -Errno.EFAULT;
        }
        return 0;
    }

    /** signal(): SysV semantics as Linux gives them (SA_ONESHOT | SA_NOMASK); the old handler. */
    private int signal(int sig, int handler) {
        if (!validForAction(sig)) return -Errno.EINVAL;
        int old = k.current.signals.actions[sig].handler();
        setAction(k.current, sig, new SignalState.Action(handler, Signal.SA_RESETHAND | Signal.SA_NODEFER, 0, 0));
        return old;
    }

    private int sigprocmask(int how, int set, int oset, int size) {
        SignalState s = k.current.signals;
        long old = s.blocked;
        if (set != 0) {
            byte[] b = ua.read(set, size);
            if (b == null) return -Errno.EFAULT;
            long m = size == 8 ? Bytes.get64(b, 0) : Layout.u(Bytes.get32(b, 0));
            long keep = size == 8 ? 0 : old & 0xFFFFFFFF00000000L;
            switch (how) {
                case SIG_BLOCK: s.blocked |= m; break;
                case SIG_UNBLOCK: s.blocked &= ~m; break;
                case SIG_SETMASK: s.blocked = m | keep; break;
                default: return -Errno.EINVAL;
            }
            s.blocked &= ~Signal.UNBLOCKABLE;
        }
        if (oset != 0) {
            byte[] b = new byte[size];
            if (size == 8) Bytes.put64(b, 0, old); else Bytes.put32(b, 0, (int) old);
            if (!ua.write(oset, b)) return -Errno.EFAULT;
        }
        return 0;
    }

    private int sigpending(int set, int size) {
        SignalState s = k.current.signals;
        byte[] b = new byte[8];
        Bytes.put64(b, 0, s.pending & s.blocked);
        return ua.write(set, java.util.Arrays.copyOf(b, size)) ? 0 : -Errno.EFAULT;
    }

    /** rt_sigsuspend: wait with a temporary mask until a handler runs; always -EINTR. */
    private int sigsuspend(int mask, int size) {
        if (k.current.restart instanceof Suspend) return suspendWith(0);
        byte[] b = ua.read(mask, size);
        if (b == null) return -Errno.EFAULT;
        return suspendWith(Bytes.get64(b, 0));
    }

    /** Sleeps with blocked = mask until a handler runs (a re-issued call keeps the mask it set first). */
    private int suspendWith(long mask) {
        Task t = k.current;
        if (!(t.restart instanceof Suspend)) {
            long old = t.signals.blocked;
            t.signals.blocked = mask & ~Signal.UNBLOCKABLE;
            t.restart = new Suspend(old);
        }
        t.restartNoHandler = true;
        k.sched.sleep(t, 0);
        // A signal that came while blocked and that the new mask lets through ends the wait at once.
        if ((t.signals.pending & ~t.signals.blocked) != 0) k.sched.wake(t);
        return Syscalls.RESTART;
    }

    private int sigreturn(PtRegs regs, boolean rt) {
        Integer eax = frames.restore(k.current, regs, rt);
        if (eax == null) {
            force(k.current, SigInfo.kernel(Signal.SIGSEGV));
            return 0;
        }
        return eax;
    }

    /** sigaltstack(ss, old): stack_t {ss_sp, ss_flags, ss_size}. */
    private int sigaltstack(PtRegs regs, int ss, int oss) {
        SignalState s = k.current.signals;
        int usp = regs.get(PtRegs.ESP);
        byte[] old = new byte[12];
        Bytes.put32(old, 0, s.altSp);
        Bytes.put32(old, 4, s.altFlags == SignalState.SS_DISABLE ? SignalState.SS_DISABLE
                : s.onAltStack(usp) ? SignalState.SS_ONSTACK : 0);
        Bytes.put32(old, 8, s.altSize);
        if (ss != 0) {
            byte[] b = ua.read(ss, 12);
            if (b == null) return -Errno.EFAULT;
            int r = setAltStack(k.current, Bytes.get32(b, 0), Bytes.get32(b, 4), Bytes.get32(b, 8), regs);
            if (r != 0) return r;
        }
        if (oss != 0 && !ua.write(oss, old)) return -Errno.EFAULT;
        return 0;
    }

    int setAltStack(Task t, int sp, int flags, int size, PtRegs regs) {
        SignalState s = t.signals;
        if (s.onAltStack(regs.get(PtRegs.ESP))) return -Errno.EPERM;
        if (flags != 0 && flags != SignalState.SS_DISABLE && flags != SignalState.SS_ONSTACK) return -Errno.EINVAL;
        if (flags == SignalState.SS_DISABLE) {
            s.altSp = s.altSize = 0;
            s.altFlags = SignalState.SS_DISABLE;
            return 0;
        }
        if (Integer.compareUnsigned(size, MINSIGSTKSZ) < 0) return -Errno.ENOMEM;
        s.altSp = sp;
        s.altSize = size;
        s.altFlags = 0;
        return 0;
    }
}

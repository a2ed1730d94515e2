package dev.fixup.kernel.proc;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.fs.FdTable;
import dev.fixup.kernel.fs.OpenFile;
import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.PageDirectory;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.signal.SignalState;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes (kernel/fork.c, exit.c, fs/exec.c in the small): fork, vfork and clone; execve;
 * exit and the zombie a parent reaps with wait4; process groups and sessions; sleeping and the
 * alarm clock.
 */
public final class Processes extends SyscallGroup {
    static final int CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;
    static final int WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, WNOTHREAD = 0x20000000, WALL = 0x40000000,
            WCLONE = 0x80000000;
    private static final int RUSAGE_SIZE = 72;

    /** nanosleep's deadline, and where to write the time left if a handler interrupts it. */
    public record Sleep(long at, int rem, boolean wide) {
        Sleep(long at, int rem) { this(at, rem, false); }
    }

    private final Exec exec;

    public Processes(Kernel k, UserAccess ua) {
        super(k, ua);
        this.exec = new Exec(k);
    }

    @Override public void register(Syscalls s) {
        s.add(Syscalls.EXIT, "exit", "d", x -> { throw k.exit(k.current, Signal.exited(x.a())); });
        s.add(Syscalls.EXIT_GROUP, "exit_group", "d", x -> { throw k.exit(k.current, Signal.exited(x.a())); });
        s.add(2, "fork", "", x -> clone(x.regs(), Signal.SIGCHLD, 0, 0, 0, 0));
        s.add(7, "waitpid", "dpd", x -> wait4(x.a(), x.b(), x.c(), 0));
        s.add(11, "execve", "ppp", x -> execve(x.regs(), x.a(), x.b(), x.c()));
        s.add(20, "getpid", "", x -> k.current.pid);
        s.add(27, "alarm", "d", x -> alarm(x.a()));
        s.add(57, "setpgid", "dd", x -> setpgid(x.a(), x.b()));
        s.add(64, "getppid", "", x -> k.current.parent == null ? 0 : k.current.parent.pid);
        s.add(65, "getpgrp", "", x -> k.current.pgid);
        s.add(66, "setsid", "", x -> setsid());
        s.add(114, "wait4", "dpdp", x -> wait4(x.a(), x.b(), x.c(), x.d()));
        s.add(120, "clone", "xpppp", x -> clone(x.regs(), x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(132, "getpgid", "d", x -> getpgid(x.a()));
        s.add(147, "getsid", "d", x -> getsid(x.a()));
        s.add(158, "sched_yield", "", x -> { k.sched.needResched = true; return 0; });
        s.add(162, "nanosleep", "pp", x -> nanosleep(x.a(), x.b()));
        s.add(267, "clock_nanosleep", "dxpp", x -> clockNanosleep(x.a(), x.b(), x.c(), x.d(), false));
        s.add(407, "clock_nanosleep_time64", "dxpp", x -> clockNanosleep(x.a(), x.b(), x.c(), x.d(), true));
        s.add(190, "vfork", "", x -> clone(x.regs(), CLONE_VM | CLONE_VFORK | Signal.SIGCHLD, 0, 0, 0, 0));
        s.add(224, "gettid", "", x -> k.current.pid);
        s.add(258, "set_tid_address", "p", x -> { k.current.clearChildTid = x.a(); return k.current.pid; });
    }

    // ---- fork, vfork, clone

    /** do_fork: the child's pid to the parent; the child returns 0 from the same call. */
    private int clone(PtRegs regs, int flags, int newsp, int ptid, int tls, int ctid) {
        if ((flags & (CLONE_THREAD | CLONE_SIGHAND)) != 0) return -Errno.EINVAL;   // no threads yet
        Task p = k.current;
        int kstack = k.frames.allocContiguous(2);
        if (kstack == -1) return -Errno.ENOMEM;
        Mm mm;
        if ((flags & CLONE_VM) != 0) {
            mm = p.mm;
            mm.users++;
        } else {
            PageDirectory pgd = PageDirectory.user(k.masterPgd);
            mm = pgd == null ? null : p.mm.fork(pgd);
            if (mm == null) {
                freeKernelStack(kstack);
                return -Errno.ENOMEM;
            }
        }
        Task c = new Task(k.sched.allocPid(), p.comm, mm, kstack, p.signals.forkCopy(), copyLimits(p.rlimits));
        c.parent = p;
        p.children.add(c);
        c.pgid = p.pgid;
        c.sid = p.sid;
        c.cwd = p.cwd;
        c.umask = p.umask;
        c.files = p.files.copy();
        c.exitSignal = flags & 0xFF;
        c.fsSel = k.cpu.get(dev.fixup.x86.Reg.FS);
        c.gsSel = k.cpu.get(dev.fixup.x86.Reg.GS);
        c.setFs(k.ram, Layout.USER_DS);
        System.arraycopy(p.tls, 0, c.tls, 0, c.tls.length);
        c.fpu = k.cpu.fpuSaveFnsave();
        if ((flags & CLONE_SETTLS) != 0) {
            int r = k.threadArea.set(c, tls);
            if (r != 0) {
                p.children.remove(c);
                releaseMm(mm);
                c.files.closeAll();
                freeKernelStack(kstack);
                return r;
            }
        }
        byte[] frame = k.ram.read(Layout.pa(p.regsAddr()), PtRegs.SIZE);
        k.ram.write(Layout.pa(c.regsAddr()), frame);
        PtRegs cr = new PtRegs(k.ram, c.regsAddr());
        cr.set(PtRegs.EAX, 0);
        if (newsp != 0) cr.set(PtRegs.ESP, newsp);
        if ((flags & CLONE_CHILD_SETTID) != 0) c.setChildTid = ctid;
        if ((flags & CLONE_CHILD_CLEARTID) != 0) c.clearChildTid = ctid;
        if ((flags & CLONE_PARENT_SETTID) != 0) ua.putUser(4, ptid, c.pid);
        k.sched.add(c);
        k.sched.enqueue(c);
        k.tracer.sched(String.format("fork: %s -> %s flags=%x", p, c, flags));
        if ((flags & CLONE_VFORK) != 0) {
            // The parent waits, without re-issuing the call, until the child execs or exits.
            c.vforkParent = p;
            p.vforkWait = true;
            k.sched.sleep(p, 0);
        }
        return c.pid;
    }

    private static long[][] copyLimits(long[][] l) {
        long[][] c = new long[l.length][];
        for (int i = 0; i < l.length; i++) c[i] = l[i].clone();
        return c;
    }

    void freeKernelStack(int kstack) {
        k.frames.put(kstack);
        k.frames.put(kstack + Layout.PAGE_SIZE);
    }

    /** The child no longer borrows its parent's memory: the vfork parent goes on. */
    private void releaseVforkParent(Task c) {
        Task p = c.vforkParent;
        if (p == null) return;
        c.vforkParent = null;
        p.vforkWait = false;
        k.sched.wake(p);
    }

    // ---- execve

    private int execve(PtRegs regs, int filename, int argvPtr, int envpPtr) throws IOException {
        Task t = k.current;
        Object name = ua.getname(filename);
        if (name instanceof Integer err) return err;
        int[] total = new int[1];
        Object argv = exec.copyStrings(argvPtr, total);
        if (argv instanceof Integer err) return err;
        Object envp = exec.copyStrings(envpPtr, total);
        if (envp instanceof Integer err) return err;
        @SuppressWarnings("unchecked") List<byte[]> args = (List<byte[]>) argv;
        @SuppressWarnings("unchecked") List<byte[]> env = (List<byte[]>) envp;
        Object resolved = exec.resolve(t.cwd, (String) name, args);
        if (resolved instanceof Integer err) return err;
        Object[] r = (Object[]) resolved;
        @SuppressWarnings("unchecked") List<byte[]> finalArgs = (List<byte[]>) r[2];
        Exec.Image img;
        try {
            img = exec.load((byte[]) r[0], (String) name, finalArgs, env);
        } catch (ProgramLoader.ExecFormatException e) {
            return -Errno.ENOEXEC;
        }
        if (img == null) return -Errno.ENOMEM;
        // The point of no return: the old image goes.
        Mm old = t.mm;
        t.mm = img.mm();
        k.cpu.setCr3(t.mm.pgd.phys);
        releaseMm(old);
        releaseVforkParent(t);
        t.files.closeOnExec();
        t.signals.execReset();
        t.comm = img.comm();
        t.clearChildTid = 0;
        java.util.Arrays.fill(t.tls, 0);
        k.cpu.fpuReset();
        k.threadArea.install(t);
        k.ldt.install(t);
        for (int f = 0; f < PtRegs.SIZE; f += 4) if (f != PtRegs.ORIG_EAX) regs.set(f, 0);
        regs.set(PtRegs.DS, Layout.USER_DS_SEL);
        regs.set(PtRegs.ES, Layout.USER_DS_SEL);
        regs.set(PtRegs.CS, Layout.USER_CS);
        regs.set(PtRegs.SS, Layout.USER_DS_SEL);
        regs.set(PtRegs.EFLAGS, 0x202);
        regs.set(PtRegs.EIP, img.entry());
        regs.set(PtRegs.ESP, img.esp());
        k.cpu.loadSegment(dev.fixup.cpu.Cpu.SEG_FS, 0);
        k.cpu.loadSegment(dev.fixup.cpu.Cpu.SEG_GS, 0);
        k.traceExec(t, img);
        return 0;
    }

    /** Starts the first program: the init task (pid 1) with its image, ready to enter user mode. */
    public Task startInit(byte[] file, String path, java.util.List<byte[]> argv, java.util.List<byte[]> envp) {
        Exec.Image img = exec.load(file, path, argv, envp);
        if (img == null) throw new IllegalStateException("out of memory for the first program");
        int kstack = k.frames.allocContiguous(2);
        if (kstack == -1) {
            img.mm().destroy();
            throw new IllegalStateException("out of memory for a kernel stack");
        }
        Task t = new Task(k.sched.allocPid(), path, img.mm(), kstack,
                new SignalState(), Limits.defaults());
        t.files = new FdTable();
        t.cwd = k.fs.initialCwd(k.cfg.workingDir);
        for (OpenFile f : k.fs.standardFiles(k.cfg.stderr, k.cfg.interactive)) t.files.install(f, 0, false);
        t.setFs(k.ram, Layout.USER_DS);
        PtRegs r = new PtRegs(k.ram, t.regsAddr());
        for (int f = 0; f < PtRegs.SIZE; f += 4) r.set(f, 0);
        r.set(PtRegs.DS, Layout.USER_DS_SEL);
        r.set(PtRegs.ES, Layout.USER_DS_SEL);
        r.set(PtRegs.ORIG_EAX, -1);
        r.set(PtRegs.EIP, img.entry());
        r.set(PtRegs.CS, Layout.USER_CS);
        r.set(PtRegs.EFLAGS, 0x202);
        r.set(PtRegs.ESP, img.esp());
        r.set(PtRegs.SS, Layout.USER_DS_SEL);
        k.sched.add(t);
        k.sched.enqueue(t);
        k.terminal.foregroundPgrp = t.pgid;
        k.traceExec(t, img);
        return t;
    }

    // ---- exit and wait

    /** Drops a task's use of an address space; the last user frees it. */
    void releaseMm(Mm mm) {
        if (--mm.users == 0) mm.destroy();
    }

    /**
     * do_exit after the task's run has unwound: its files, memory and kernel stack go, it becomes
     * a zombie holding its wait status, its children go to init, and its parent hears of it.
     */
    public void finishExit(Task t, int status) {
        if (!t.alive()) return;
        if (t.clearChildTid != 0 && t.mm.users > 1 && k.current == t && ua.putUser(4, t.clearChildTid, 0) == 0) {
            k.futexes.wakeOne(t, t.clearChildTid);
        }
        k.cpu.setCr3(k.masterPgd.phys);
        t.files.closeAll();
        releaseVforkParent(t);
        releaseMm(t.mm);
        freeKernelStack(t.kstack);
        t.kstack = -1;
        t.state = Task.State.ZOMBIE;
        t.exitStatus = status;
        t.alarmAt = 0;
        k.sched.remove(t);
        if (k.current == t) k.current = null;
        k.tracer.sched(String.format("exit: %s status=%04x", t, status));
        Task init = k.sched.init;
        for (Task c : t.children) {
            c.parent = init;
            c.exitSignal = Signal.SIGCHLD;                  // a clone's odd exit signal must not reach init
            if (init != null && init != t && init.alive()) {
                init.children.add(c);
                if (!c.alive()) init.childWait.wakeAll(k.sched);
            }
        }
        t.children.clear();
        Task p = t.parent;
        if (p == null || !p.alive()) return;
        SignalState.Action a = p.signals.actions[Signal.SIGCHLD];
        if (t.exitSignal == Signal.SIGCHLD && (a.handler() == Signal.SIG_IGN || (a.flags() & Signal.SA_NOCLDWAIT) != 0)) {
            p.children.remove(t);                            // nobody will wait: no zombie
            k.sched.reap(t);
        } else if (t.exitSignal > 0 && t.exitSignal <= Signal.NSIG) {    // clone takes any byte; Linux sends only a valid signal
            int code = (status & 0x7F) == 0 ? Signal.CLD_EXITED : Signal.CLD_KILLED;
            int st = code == Signal.CLD_EXITED ? (status >> 8) & 0xFF : status & 0x7F;
            k.signals.send(p, t.exitSignal, SigInfo.child(code, t.pid, st));
        }
        p.childWait.wakeAll(k.sched);
    }

    /** A default stop action: t stops until SIGCONT; the parent may learn it through wait4. */
    public void stop(Task t, int sig) {
        t.state = Task.State.STOPPED;
        t.stopReport = sig;
        Task p = t.parent;
        if (p == null || !p.alive()) return;
        if ((p.signals.actions[Signal.SIGCHLD].flags() & Signal.SA_NOCLDSTOP) == 0) {
            k.signals.send(p, Signal.SIGCHLD, SigInfo.child(Signal.CLD_STOPPED, t.pid, sig));
        }
        p.childWait.wakeAll(k.sched);
    }

    private static boolean waitMatches(Task me, Task c, int pid) {
        if (pid > 0) return c.pid == pid;
        if (pid == 0) return c.pgid == me.pgid;
        if (pid == -1) return true;
        return c.pgid == -pid;
    }

    /** wait4(pid, status, options, rusage): a child's pid and status, 0 with WNOHANG, or -ECHILD. */
    private int wait4(int pid, int status, int options, int rusage) {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) return -Errno.EINVAL;
        Task me = k.current;
        boolean any = false;
        for (Task c : new ArrayList<>(me.children)) {
            if (!waitMatches(me, c, pid)) continue;
            any = true;
            int st;
            if (!c.alive()) st = c.exitStatus;
            else if ((options & WUNTRACED) != 0 && c.stopReport != 0) st = c.stopReport << 8 | 0x7F;
            else if ((options & WCONTINUED) != 0 && c.continueReport) st = 0xFFFF;
            else continue;
            // As in Linux, a zombie is reaped even when its status cannot be stored: the caller gets -EFAULT.
            int r = c.pid;
            if (rusage != 0 && !ua.write(rusage, new byte[RUSAGE_SIZE])) r = -Errno.EFAULT;
            else if (status != 0 && ua.putUser(4, status, st) != 0) r = -Errno.EFAULT;
            if (r < 0 && c.alive()) return r;
            if (!c.alive()) {
                me.children.remove(c);
                me.cutime += c.utime + c.cutime;
                k.sched.reap(c);
            } else if (c.stopReport != 0 && (options & WUNTRACED) != 0) {
                c.stopReport = 0;
            } else {
                c.continueReport = false;
            }
            return r;
        }
        if (!any) return -Errno.ECHILD;
        if ((options & WNOHANG) != 0) return 0;
        k.sched.sleep(me, 0, me.childWait);
        return Syscalls.RESTART;
    }

    // ---- groups and sessions

    private int setpgid(int pid, int pgid) {
        Task me = k.current;
        Task t = pid == 0 ? me : k.sched.find(pid);
        if (t == null || t != me && t.parent != me) return -Errno.ESRCH;
        if (pgid < 0) return -Errno.EINVAL;
        if (t.sid != me.sid) return -Errno.EPERM;
        if (t.pid == t.sid) return -Errno.EPERM;             // a session leader keeps its group
        int g = pgid == 0 ? t.pid : pgid;
        if (g != t.pid) {
            boolean exists = false;
            for (Task o : k.sched.all()) exists |= o.pgid == g && o.sid == me.sid;
            if (!exists) return -Errno.EPERM;
        }
        t.pgid = g;
        return 0;
    }

    private int getpgid(int pid) {
        Task t = pid == 0 ? k.current : k.sched.find(pid);
        return t == null ? -Errno.ESRCH : t.pgid;
    }

    private int getsid(int pid) {
        Task t = pid == 0 ? k.current : k.sched.find(pid);
        return t == null ? -Errno.ESRCH : t.sid;
    }

    private int setsid() {
        Task me = k.current;
        for (Task o : k.sched.all()) if (o.pgid == me.pid) return -Errno.EPERM;
        me.sid = me.pgid = me.pid;
        return me.pid;
    }

    // ---- time

    private int nanosleep(int req, int rem) { return clockNanosleep(1, 0, req, rem, false); }

    /** A handler cut a nanosleep short: the time left goes to rem. */
    public void writeRemaining(Sleep s) {
        if (s.rem() == 0) return;
        long left = Math.max(0, s.at() - System.nanoTime());
        byte[] ts = new byte[s.wide() ? 16 : 8];
        if (s.wide()) {
            Bytes.put64(ts, 0, left / 1_000_000_000L);
            Bytes.put64(ts, 8, left % 1_000_000_000L);
        } else {
            Bytes.put32(ts, 0, (int) (left / 1_000_000_000L));
            Bytes.put32(ts, 4, (int) (left % 1_000_000_000L));
        }
        ua.write(s.rem(), ts);
    }

    static final int TIMER_ABSTIME = 1;

    /**
     * clock_nanosleep(clock, flags, request, remain) with the 32-bit timespec or the 64-bit one of
     * the _time64 call: a relative sleep as nanosleep, or until an absolute time of the realtime,
     * monotonic or boot-time clock (TIMER_ABSTIME; nothing is written to remain then).
     */
    private int clockNanosleep(int clock, int flags, int req, int rem, boolean wide) {
        Task t = k.current;
        if (t.restart instanceof Sleep s) return sleepUntil(t, s);
        if (clock != 0 && clock != 1 && clock != 7) return -Errno.EINVAL;       // no sleeping on the CPU-time clocks
        byte[] ts = ua.read(req, wide ? 16 : 8);
        if (ts == null) return -Errno.EFAULT;
        long sec = wide ? Bytes.get64(ts, 0) : Bytes.get32(ts, 0), nsec = wide ? Bytes.get64(ts, 8) : Bytes.get32(ts, 4);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -Errno.EINVAL;
        long span = Math.min(sec, Long.MAX_VALUE / 4_000_000_000L) * 1_000_000_000L + nsec;
        long now = System.nanoTime();
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        if (absolute) {
            java.time.Instant wall = java.time.Instant.now();
            span -= clock == 0 ? wall.getEpochSecond() * 1_000_000_000L + wall.getNano() : now - k.bootNanos;
        }
        long at = now + Math.max(span, 0);
        if (at == 0) at = 1;
        return sleepUntil(t, new Sleep(at, absolute ? 0 : rem, wide));
    }

    private int sleepUntil(Task t, Sleep s) {
        if (s.at() - System.nanoTime() <= 0) return 0;
        t.restart = s;
        t.restartNoHandler = true;
        k.sched.sleep(t, s.at());
        return Syscalls.RESTART;
    }

    /** alarm(seconds): the seconds left on the previous alarm (rounded up), 0 for none. */
    private int alarm(int seconds) {
        Task t = k.current;
        long now = System.nanoTime();
        int left = t.alarmAt == 0 ? 0 : (int) Math.max(1, (t.alarmAt - now + 999_999_999L) / 1_000_000_000L);
        t.alarmAt = seconds == 0 ? 0 : now + Layout.u(seconds) * 1_000_000_000L;
        if (seconds != 0 && t.alarmAt == 0) t.alarmAt = 1;
        k.sched.noteDeadline(t.alarmAt);
        return left;
    }
}

package dev.fixup.kernel;

import dev.fixup.kernel.fs.FileCalls;
import dev.fixup.kernel.fs.FileSystem;
import dev.fixup.kernel.fs.FsCalls;
import dev.fixup.kernel.fs.HostInput;
import dev.fixup.kernel.fs.Sockets;
import dev.fixup.kernel.fs.Terminal;
import dev.fixup.kernel.mm.FrameAllocator;
import dev.fixup.kernel.mm.LocalDescriptorTable;
import dev.fixup.kernel.mm.MachineRam;
import dev.fixup.kernel.mm.MemoryCalls;
import dev.fixup.kernel.mm.OomKiller;
import dev.fixup.kernel.mm.PageDirectory;
import dev.fixup.kernel.mm.PageFaultHandler;
import dev.fixup.kernel.mm.Ram;
import dev.fixup.kernel.module.ModuleLoader;
import dev.fixup.kernel.proc.Exec;
import dev.fixup.kernel.proc.Futexes;
import dev.fixup.kernel.proc.Limits;
import dev.fixup.kernel.proc.Processes;
import dev.fixup.kernel.proc.Scheduler;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.proc.ThreadArea;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.signal.Signals;
import dev.fixup.kernel.syscall.InfoCalls;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;
import dev.fixup.kernel.syscall.SystemCalls;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.StopReason;
import dev.fixup.elf.AddressSymbolizer;

/**
 * The running kernel: a machine booted with vmlinux, the Java services its guest code calls
 * (the host-call page), and the way Java calls guest code back (callGuest). It runs a program as
 * its first process (pid 1) with everything that process forks, until pid 1 exits; then the next
 * program may run on the same machine. A task that oopses dies and the kernel goes on.
 *
 * <p>The nested run loops: {@link #run} drives the CPU; a host call (a syscall, a page fault)
 * runs Java inside that run; Java may call guest code back ({@link #callGuest}), which runs the
 * CPU again, re-entrantly, until the guest routine returns to its gate. A task's exit unwinds all
 * of that as a {@link TaskExit} to {@link #run}, which picks the next task.
 */
public final class Kernel {
    public final KernelConfig cfg;
    public final KernelImage image;
    public final Machine machine;
    public final Cpu cpu;
    public final Ram ram;
    public final FrameAllocator frames;
    public final PageDirectory masterPgd;
    public final ExceptionTable extable;
    public final FileSystem fs;
    public final Tracer tracer;
    public final Scheduler sched = new Scheduler(this);
    public final Terminal terminal;
    /** What host threads report (input, SIGWINCH, Fixup's SIGINT); the scheduler looks here as at its timers. */
    public final HostEvents hostEvents = new HostEvents();
    /** The thread-read stdin when reads of it may block; null otherwise. */
    public final HostInput hostInput;
    private final PageFaultHandler pageFaults = new PageFaultHandler(this);
    public final OomKiller oom = new OomKiller(this);
    private final Traps traps = new Traps(this);
    public final UserAccess uaccess;
    public final Signals signals;
    public final Processes procs;
    public final ThreadArea threadArea;
    public final LocalDescriptorTable ldt;
    public final Futexes futexes;
    private final Syscalls syscalls;
    final SelfTests selfTests;
    public final ModuleLoader modules;
    private final int tss, textStart, textEnd, retToUser;
    public Task current;
    /** Nesting depth of callGuest: each level returns to its own gate address. */
    private int callDepth;
    private boolean panicked;
    long jiffies;
    /** System.nanoTime() at boot: the monotonic clocks count from here. */
    public final long bootNanos = System.nanoTime();
    /** Tests only: what syscall 1001 runs (null: ENOSYS). */
    public java.util.function.Consumer<Kernel> testProbe;

    /** Boots vmlinux and runs one program: its exit status, or 128 + the signal that killed it. */
    public static int run(KernelConfig cfg, KernelImage image, byte[] programElf, String[] argv, String[] envp) {
        return boot(cfg, image).exec(programElf, argv, envp);
    }

    public static Kernel boot(KernelConfig cfg, KernelImage image) { return new Kernel(cfg, image); }

    /**
     * {@code fixup run --selftest NAME}: boots vmlinux and runs an in-kernel self-test inside a
     * task; it prints a PASS/FAIL line per case to cfg.stdout. 0 when every case passed, else 1.
     */
    public static int selfTest(KernelConfig cfg, KernelImage image, String name) {
        return boot(cfg, image).selfTests.run(name);
    }

    private Kernel(KernelConfig cfg, KernelImage image) {
        this.cfg = cfg;
        this.image = image;
        machine = new Machine(cfg.ramBytes);
        cpu = machine.cpu;
        if (cfg.translateThreshold >= 0) cpu.setTranslateThreshold(cfg.translateThreshold);
        ram = new MachineRam(machine.mem);
        Boot.loadImage(image, ram, cfg.ramBytes);
        int end = Layout.pa(image.symbol("_end"));
        frames = new FrameAllocator(ram, (int) Layout.pageAlign(end), cfg.ramBytes);
        masterPgd = PageDirectory.kernel(ram, frames, cfg.ramBytes);
        extable = new ExceptionTable(Boot.kernelTable(image, ram));
        textStart = image.symbol("_text");
        textEnd = image.symbol("_etext");
        retToUser = image.symbol("ret_to_user");
        tss = image.symbol("init_tss");
        tracer = new Tracer(cfg, () -> new AddressSymbolizer(image.elf), this);
        fs = new FileSystem(cfg.root, cfg.stdin, cfg.stdout);
        hostInput = cfg.stdinMayBlock ? new HostInput(cfg.stdin, hostEvents, cfg.interactive && cfg.hostTerminal) : null;
        if (hostInput != null) fs.setTerminalInput(hostInput);
        terminal = new Terminal(this, cfg.interactive);
        uaccess = new UserAccess(this, image, frames.alloc());
        signals = new Signals(this, uaccess);
        procs = new Processes(this, uaccess);
        threadArea = new ThreadArea(this, uaccess);
        ldt = new LocalDescriptorTable(this, uaccess);
        futexes = new Futexes(this, uaccess);
        syscalls = new Syscalls(this);
        for (SyscallGroup g : new SyscallGroup[] {new FileCalls(this, uaccess), new FsCalls(this, uaccess),
                new SystemCalls(this, uaccess), new MemoryCalls(this, uaccess), new InfoCalls(this, uaccess),
                new Limits(this, uaccess), procs, threadArea, ldt, futexes, new Sockets(this, uaccess), signals}) {
            g.register(syscalls);
        }
        modules = new ModuleLoader(this);
        modules.register(syscalls, uaccess);
        syscalls.registerDebug();
        selfTests = new SelfTests(this, uaccess);
        selfTests.register(syscalls);
        Boot.setUpCpu(cpu, ram, image, masterPgd);
        machine.setHostCallPage(Layout.HOSTCALL_PHYS, (c, off) -> hostCall(off));
        cpu.setExceptionListener(tracer::exception);
    }

    // ------------------------------------------------------------------ programs

    /**
     * Runs a program as pid 1, with every process it starts, until pid 1 exits: its exit status,
     * or 128 + the signal that killed it. Processes still running then are killed.
     */
    public int exec(byte[] programElf, String[] argv, String[] envp) {
        return exec(programElf, Exec.bytes(argv), Exec.bytes(envp));
    }

    /** The same with the strings as bytes, passed to the program exactly (they need not be UTF-8). */
    public int exec(byte[] programElf, java.util.List<byte[]> argv, java.util.List<byte[]> envp) {
        if (panicked) throw new IllegalStateException("the kernel halted after a panic");
        String path = argv.isEmpty() ? "program" : new String(argv.get(0), java.nio.charset.StandardCharsets.UTF_8);
        Task init = procs.startInit(programElf, path, argv, envp);
        PhaseClock.mark("exec");
        try {
            terminal.attach();
            return Signal.shellStatus(run(init));
        } finally {
            terminal.detach();
            for (Task t : sched.all()) procs.finishExit(t, Signal.killedBy(Signal.SIGKILL));
            sched.clear();
            current = null;
            cpu.setCr3(masterPgd.phys);
        }
    }

    /** Logs what exec made (-d mm, -d page). */
    public void traceExec(Task t, Exec.Image img) { tracer.exec(t, img); }

    /**
     * Runs tasks until init exits; its wait status. Every task enters user mode through
     * ret_to_user, where do_return_to_user picks who runs and delivers signals.
     */
    private int run(Task init) {
        enter(init);
        long budget = cfg.maxInstructions > 0 ? cfg.maxInstructions : Long.MAX_VALUE;
        while (true) {
            try {
                long before = cpu.instructionCount();
                StopReason why = cpu.run(budget);
                if (cfg.maxInstructions > 0) budget -= cpu.instructionCount() - before;
                switch (why) {
                    case INSTRUCTION_LIMIT:
                        if (cfg.maxInstructions > 0) {
                            printk("fixup: " + current.comm + " ran " + cfg.maxInstructions + " instructions: killed");
                            return Signal.killedBy(Signal.SIGKILL);
                        }
                        break;
                    case STOP_REQUESTED:
                        break;
                    default:
                        panic("the CPU stopped (" + why + ") at eip " + String.format("%08x", cpu.getEip()));
                }
            } catch (TaskExit e) {
                procs.finishExit(e.task, e.status);
                if (e.task == init) {
                    PhaseClock.mark("program exit");
                    return e.status;
                }
                Task next = sched.schedule(null);
                if (next == null) return deadlock(init);
                enter(next);
            } catch (Deadlock d) {
                return deadlock(init);
            }
        }
    }

    private int deadlock(Task init) {
        printk("fixup: every task sleeps and nothing can wake one: killing them");
        return init.alive() ? Signal.killedBy(Signal.SIGKILL) : init.exitStatus;
    }

    /** Starts t from its saved registers: kernel mode, at ret_to_user, with its kernel stack. */
    private void enter(Task t) {
        cpu.setSegment(Cpu.SEG_CS, Layout.KERNEL_CS);
        cpu.setSegment(Cpu.SEG_SS, Layout.KERNEL_DS_SEL);
        cpu.setSegment(Cpu.SEG_DS, Layout.KERNEL_DS_SEL);
        cpu.setSegment(Cpu.SEG_ES, Layout.KERNEL_DS_SEL);
        cpu.setEflags(0x2);
        current = null;
        switchTo(t);
        cpu.setReg(Cpu.ESP, t.regsAddr());
        cpu.setEip(retToUser);
    }

    /** The context switch: TSS esp0, the page directory, and the user fs/gs. */
    private void switchTo(Task t) {
        Task prev = current;
        if (prev != null && prev != t && prev.alive()) {
            prev.fsSel = cpu.get(dev.fixup.x86.Reg.FS);
            prev.gsSel = cpu.get(dev.fixup.x86.Reg.GS);
            prev.fpu = cpu.fpuSaveFnsave();
        }
        current = t;
        ram.write32(Layout.pa(tss) + 4, t.kstackTop());     // esp0: where the CPU enters the kernel
        cpu.setCr3(t.mm.pgd.phys);
        if (prev != t) {
            threadArea.install(t);
            ldt.install(t);
            if (t.fpu == null) cpu.fpuReset(); else cpu.fpuRestoreFnsave(t.fpu);
            signals.frames.loadUserSegment(Cpu.SEG_FS, t.fsSel);
            signals.frames.loadUserSegment(Cpu.SEG_GS, t.gsSel);
        }
    }

    public void flushTlb() { cpu.setCr3(cpu.getCr3()); }

    /** invlpg: one page's PTE changed. */
    public void flushTlbPage(int va) { cpu.invalidateTlb(va); }

    // ------------------------------------------------------------------ guest -> Java

    private void hostCall(int offset) {
        HostCall h = HostCall.at(offset);
        if (h == null) panic("jump into the host-call page at offset " + Integer.toHexString(offset));
        int result = 0;
        switch (h) {
            case DO_SYSCALL:
                result = syscalls.dispatch(new PtRegs(ram, cpu.arg(0)));
                break;
            case DO_TIMER:
                jiffies++;
                if (current != null) current.utime++;
                sched.needResched = true;
                break;
            case DO_RETURN_TO_USER:
                result = returnToUser();
                break;
            case DO_EXIT:
                throw exit(current, Signal.killedBy(cpu.arg(0)));
            case DO_PAGE_FAULT:
                pageFaults.doPageFault(new PtRegs(ram, cpu.arg(0)), cpu.arg(1), cpu.getCr2());
                break;
            default:
                traps.doTrap(Traps.vectorOf(h), new PtRegs(ram, cpu.arg(0)), cpu.arg(1));
                break;
        }
        cpu.returnFromHostCall(result);
    }

    /**
     * On every return to user mode: pick the task to run (it may be another one: its kernel stack
     * holds only its pt_regs), finish its fork, deliver its signals. Returns the pt_regs to restore.
     */
    private int returnToUser() {
        Task cur = current;
        if (cur != null && cur.addrLimit(ram) != Layout.USER_DS) addrLimitUserCheck(cur);
        if (cur != null && cur.state == Task.State.RUNNABLE && !sched.needResched && cur.setChildTid == 0
                && (cur.signals.pending & ~cur.signals.blocked) == 0 && !sched.timersDue()) {
            return cur.regsAddr();                           // the common case: straight back to the same task
        }
        while (true) {
            Task next = sched.schedule(current);
            if (next == null) throw new Deadlock();
            if (next != current) switchTo(next);
            if (next.setChildTid != 0) {                    // schedule_tail of a CLONE_CHILD_SETTID child
                uaccess.putUser(4, next.setChildTid, next.pid);
                next.setChildTid = 0;
            }
            signals.deliver(next, new PtRegs(ram, next.regsAddr()));
            if (next.state == Task.State.RUNNABLE) return next.regsAddr();
        }
    }

    /**
     * A kernel path left KERNEL_DS set (CVE-2010-4258's kind of bug): before anything on the way
     * to user mode touches user memory (a signal frame, a tid), addr_limit goes back to USER_DS
     * and the task, whose kernel state cannot be trusted, is killed, as Linux's
     * addr_limit_user_check does.
     */
    private void addrLimitUserCheck(Task t) {
        t.setFs(ram, Layout.USER_DS);
        printk("Invalid address limit on user-mode return: " + t.comm + " (pid " + t.pid + ") killed");
        signals.force(t, SigInfo.kernel(Signal.SIGKILL));
    }

    // ------------------------------------------------------------------ Java -> guest

    /** Calls a guest function (cdecl) from a Java service and returns its eax. Re-entrant. */
    public int callGuest(int function, int... args) {
        for (int i = args.length - 1; i >= 0; i--) cpu.push(args[i]);
        return (int) call(function, args.length, 0, 0);
    }

    // The user-access routines take up to three arguments: these forms push them without an array.
    public int callGuest(int function) { return (int) call(function, 0, 0, 0); }

    public int callGuest(int function, int a) {
        cpu.push(a);
        return (int) call(function, 1, 0, 0);
    }

    public int callGuest(int function, int a, int b) {
        cpu.push(b);
        cpu.push(a);
        return (int) call(function, 2, 0, 0);
    }

    public int callGuest(int function, int a, int b, int c) {
        cpu.push(c);
        cpu.push(b);
        cpu.push(a);
        return (int) call(function, 3, 0, 0);
    }

    /** Calls a guest routine with a register interface (eax, edx in; eax, edx out as edx:eax). */
    long callGuestRegs(int function, int eax, int edx) {
        return call(function, 0, eax, edx);
    }

    /** The registers each callGuest level restores: the eight general ones, eip, eflags (reused, not allocated per call). */
    private int[][] savedState = new int[4][10];

    /**
     * Runs a guest routine whose nargs arguments the caller has pushed: pushes the return address
     * (this level's gate), runs until the routine returns there, and puts back every register
     * (ESP as it was before the arguments).
     */
    private long call(int function, int nargs, int eax, int edx) {
        if (callDepth == savedState.length) savedState = java.util.Arrays.copyOf(savedState, 2 * callDepth);
        int[] saved = savedState[callDepth];
        if (saved == null) saved = savedState[callDepth] = new int[10];
        for (int i = 0; i < 8; i++) saved[i] = cpu.reg(i);
        saved[Cpu.ESP] += 4 * nargs;
        saved[8] = cpu.getEip();
        saved[9] = cpu.getEflags();
        int gate = Layout.va(Layout.GATE_PHYS) + callDepth;
        callDepth++;
        try {
            cpu.push(gate);
            cpu.setReg(Cpu.EAX, eax);
            cpu.setReg(Cpu.EDX, edx);
            cpu.setEip(function);
            StopReason why = cpu.runUntil(gate);
            if (why != StopReason.REACHED_ADDRESS) panic("guest call to " + tracer.symbolize(function) + " stopped: " + why);
            return Integer.toUnsignedLong(cpu.reg(Cpu.EAX)) | (long) cpu.reg(Cpu.EDX) << 32;
        } finally {
            callDepth--;
            for (int i = 0; i < 8; i++) cpu.setReg(i, saved[i]);
            cpu.setEip(saved[8]);
            cpu.setEflags(saved[9]);
        }
    }

    // ------------------------------------------------------------------ signals, exit, oops

    /** do_exit: addr_limit back to USER_DS first (CVE-2010-4258), then unwind to the run loop. */
    public TaskExit exit(Task t, int waitStatus) {
        if (t != null && t.kstack != -1) t.setFs(ram, Layout.USER_DS);
        return new TaskExit(t, waitStatus);
    }

    /** The kernel faulted on an address with no table entry for the faulting instruction. */
    public void pageFaultOops(PtRegs regs, int errorCode, int address) {
        int dir = cpu.getCr3() & Layout.PAGE_MASK;
        int pde = ram.read32(dir + 4 * (address >>> 22));
        Integer pte = (pde & PageDirectory.P) != 0
                ? ram.read32((pde & Layout.PAGE_MASK) + 4 * ((address >>> 12) & 1023)) : null;
        die("Oops", regs, errorCode, Oops.pageFaultHeader(address, regs.eip(), pde, pte));
    }

    /** die(): print the oops, then kill the task with SIGSEGV (or halt with --panic-on-oops). */
    void die(String str, PtRegs regs, int errorCode, String header) {
        Task t = current;
        Oops.Memory mem = new Oops.Memory() {
            public Integer read32(int va) {
                long pa = cpu.translate(va);
                return pa < 0 || (va & 3) != 0 ? null : ram.read32((int) pa);
            }
            public int read8(int va) {
                long pa = cpu.translate(va);
                return pa < 0 ? -1 : ram.read8((int) pa);
            }
            public String symbolize(int va) { return modules.describe(va); }
            public boolean isKernelText(int va) {
                return Integer.compareUnsigned(va, textStart) >= 0 && Integer.compareUnsigned(va, textEnd) < 0;
            }
        };
        String comm = t == null ? "swapper" : t.comm;
        int pid = t == null ? 0 : t.pid;
        int stackpage = t == null ? 0 : Layout.va(t.kstack) + Layout.PAGE_SIZE;
        String text = header + Oops.die(str, errorCode, regs, comm, pid, stackpage, mem);
        tracer.oops(text);
        printk(text);
        if (cfg.panicOnOops || t == null) panic("Fatal exception");
        throw exit(t, Signal.killedBy(Signal.SIGSEGV));
    }

    private void panic(String why) {
        printk("Kernel panic: " + why);
        panicked = true;
        throw new KernelPanic("Kernel panic: " + why);
    }

    public void printk(String text) {
        cfg.klog.print(text.endsWith("\n") ? text : text + "\n");
        cfg.klog.flush();
    }

    /**
     * Fixup itself got SIGINT (from a terminal it does not drive, or from kill): as qemu-user
     * does, the guest's foreground process group gets it, and decides whether it dies.
     */
    public void interruptFromHost() { hostEvents.post(HostEvents.INTERRUPT); }

    /** The exception table the page-fault handler searches (kernel, then loaded modules). */
    public ExceptionTable exceptionTable() { return extable; }

    /** Guest instructions this kernel's CPU has executed, user and kernel mode together (for benchmarks). */
    public long instructionCount() { return cpu.instructionCount(); }

    /** Free physical page frames (for leak checks). */
    public int freeFrames() { return frames.freeFrames(); }

    public KernelImage image() { return image; }

    /** Loadable modules: fixup run --module loads through this before the first program. */
    public ModuleLoader modules() { return modules; }

    /** The machine's CPU, for a debugger (the gdb stub stops it, reads and writes its state). */
    public Cpu cpu() { return cpu; }

    /** Unwinds the CPU's run loops when a task is gone; status is its wait status. */
    static final class TaskExit extends RuntimeException {
        final Task task;
        final int status;

        TaskExit(Task task, int status) {
            super(null, null, false, false);
            this.task = task;
            this.status = status;
        }
    }

    /** Every task sleeps and nothing can wake one. */
    private static final class Deadlock extends RuntimeException {
        Deadlock() { super(null, null, false, false); }
    }

    /** The kernel cannot go on (an oops with --panic-on-oops, a CPU that stopped). */
    public static final class KernelPanic extends RuntimeException {
        public KernelPanic(String m) { super(m); }
    }
}

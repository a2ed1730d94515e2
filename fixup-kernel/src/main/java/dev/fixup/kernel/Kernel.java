package dev.fixup.kernel;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.StopReason;
import dev.fixup.elf.AddressSymbolizer;
import dev.fixup.elf.ElfFile;

import java.security.SecureRandom;

/**
 * The running kernel: a machine booted with vmlinux, the Java services its guest code calls
 * (the host-call page), and the way Java calls guest code back (callGuest). One kernel can run
 * several programs one after the other; a task that oopses dies and the kernel goes on.
 */
public final class Kernel {
    final KernelConfig cfg;
    final KernelImage image;
    final Machine machine;
    final Cpu cpu;
    final Ram ram;
    final FrameAllocator frames;
    final PageDirectory masterPgd;
    final ExceptionTable extable;
    final FileSystem fs;
    final Tracer tracer;
    private final PageFaultHandler pageFaults = new PageFaultHandler(this);
    private final Traps traps = new Traps(this);
    final UserAccess uaccess;
    private final Syscalls syscalls;
    private final int tss, textStart, textEnd, restoreAll;
    Task current;
    private int nextPid = 1;
    /** Nesting depth of callGuest: each level returns to its own gate address. */
    private int callDepth;
    private boolean panicked;
    long jiffies;
    /** Tests only: what syscall 1001 runs (null: ENOSYS). */
    java.util.function.Consumer<Kernel> testProbe;

    /** Boots vmlinux and runs one program: its exit status, or 128 + the signal that killed it. */
    public static int run(KernelConfig cfg, KernelImage image, byte[] programElf, String[] argv, String[] envp) {
        return boot(cfg, image).exec(programElf, argv, envp);
    }

    public static Kernel boot(KernelConfig cfg, KernelImage image) { return new Kernel(cfg, image); }

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
        restoreAll = image.symbol("restore_all");
        tss = image.symbol("init_tss");
        tracer = new Tracer(cfg, new AddressSymbolizer(image.elf));
        fs = new FileSystem(cfg.root, cfg.stdin, cfg.stdout);
        uaccess = new UserAccess(this, image, frames.alloc());
        syscalls = new Syscalls(this, uaccess);
        Boot.setUpCpu(cpu, ram, image, masterPgd);
        machine.setHostCallPage(Layout.HOSTCALL_PHYS, (c, off) -> hostCall(off));
        cpu.setExceptionListener(tracer::exception);
    }

    // ------------------------------------------------------------------ programs

    /** Runs a program to its end: the exit status, or 128 + the signal that killed it. */
    public int exec(byte[] programElf, String[] argv, String[] envp) {
        if (panicked) throw new IllegalStateException("the kernel halted after a panic");
        ElfFile prog = ProgramLoader.parse(programElf);
        int kstack = frames.allocContiguous(2);
        if (kstack == -1) throw new IllegalStateException("out of memory for a kernel stack");
        Mm mm = new Mm(PageDirectory.user(masterPgd), ram, frames);
        mm.tlbFlush = this::flushTlb;
        String name = argv.length > 0 ? argv[0] : "program";
        Task t = new Task(nextPid++, name.substring(name.lastIndexOf('/') + 1), mm, kstack);
        t.setFs(ram, Layout.USER_DS);
        OpenFile[] std = fs.standardFiles(cfg.stderr);
        System.arraycopy(std, 0, t.files, 0, std.length);
        current = t;
        try {
            UserStack.ProgramInfo info = ProgramLoader.load(prog, programElf, mm);
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            UserStack.Image stack = UserStack.build(Layout.STACK_TOP, name, argv, envp, info, random);
            installStack(mm, stack);
            if (cfg.tracing(KernelConfig.TraceClass.EXEC)) {
                tracer.line(String.format("exec: %s pid=%d entry=%08x esp=%08x brk=%08x", name, t.pid, info.entry(), stack.esp(), mm.brk));
                for (Vma v : mm.vmas()) tracer.line("exec:   " + v);
            }
            return runTask(t, info.entry(), (int) stack.esp());
        } catch (TaskExit e) {
            return e.status;
        } finally {
            current = null;
            for (OpenFile f : t.files) {
                try { if (f != null) f.close(); } catch (java.io.IOException ignored) { /* closing on exit */ }
            }
            cpu.setCr3(masterPgd.phys);
            mm.destroy();
            frames.put(kstack);
            frames.put(kstack + Layout.PAGE_SIZE);
        }
    }

    /** The stack vma and its first pages, written by the kernel before the task runs. */
    private void installStack(Mm mm, UserStack.Image s) {
        long low = s.low() & ~(long) (Layout.PAGE_SIZE - 1);
        mm.insert(new Vma(low, s.top(), Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC | Vma.VM_GROWSDOWN));
        for (long page = low; page < s.top(); page += Layout.PAGE_SIZE) {
            int frame = frames.alloc();
            if (frame == -1) throw new IllegalStateException("out of memory for the initial stack");
            long from = Math.max(page, s.low());
            ram.write(frame + (int) (from - page), s.bytes(), (int) (from - s.low()), (int) (Math.min(page + Layout.PAGE_SIZE, s.top()) - from));
            mm.installPage(page, frame);
        }
    }

    /** Enters user mode through restore_all with a pt_regs frame built by hand, and runs. */
    private int runTask(Task t, int entry, int esp) {
        int regs = t.kstackTop() - PtRegs.SIZE;
        PtRegs r = new PtRegs(ram, regs);
        for (int f = 0; f < PtRegs.SIZE; f += 4) r.set(f, 0);
        r.set(PtRegs.DS, Layout.USER_DS_SEL);
        r.set(PtRegs.ES, Layout.USER_DS_SEL);
        r.set(PtRegs.ORIG_EAX, -1);
        r.set(PtRegs.EIP, entry);
        r.set(PtRegs.CS, Layout.USER_CS);
        r.set(PtRegs.EFLAGS, 0x202);
        r.set(PtRegs.ESP, esp);
        r.set(PtRegs.SS, Layout.USER_DS_SEL);
        switchTo(t);
        cpu.setEflags(0x2);
        cpu.setReg(Cpu.ESP, regs);
        cpu.setEip(restoreAll);
        cpu.setSegment(Cpu.SEG_FS, 0);
        cpu.setSegment(Cpu.SEG_GS, 0);
        long budget = cfg.maxInstructions > 0 ? cfg.maxInstructions : Long.MAX_VALUE;
        while (true) {
            StopReason why = cpu.run(budget);
            switch (why) {
                case INSTRUCTION_LIMIT:
                    if (cfg.maxInstructions > 0) {
                        printk("fixup: " + t.comm + " ran " + cfg.maxInstructions + " instructions: killed");
                        throw exit(t, Signal.exitStatus(Signal.SIGKILL));
                    }
                    break;
                case STOP_REQUESTED:
                    break;
                default:
                    panic("the CPU stopped (" + why + ") at eip " + String.format("%08x", cpu.getEip()));
            }
        }
    }

    private void switchTo(Task t) {
        current = t;
        ram.write32(Layout.pa(tss) + 4, t.kstackTop());     // esp0: where the CPU enters the kernel
        cpu.setCr3(t.mm.pgd.phys);
    }

    void flushTlb() { cpu.setCr3(cpu.getCr3()); }

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
                break;
            case DO_RETURN_TO_USER:
                result = returnToUser(cpu.arg(0));
                break;
            case DO_EXIT:
                throw exit(current, Signal.exitStatus(cpu.arg(0)));
            case DO_PAGE_FAULT:
                pageFaults.doPageFault(new PtRegs(ram, cpu.arg(0)), cpu.arg(1), cpu.getCr2());
                break;
            default:
                traps.doTrap(Traps.vectorOf(h), new PtRegs(ram, cpu.arg(0)), cpu.arg(1));
                break;
        }
        cpu.returnFromHostCall(result);
    }

    /** On every return to user mode: deliver a pending signal (default action: die); the pt_regs to restore. */
    private int returnToUser(int regs) {
        Task t = current;
        if (t.pendingSignal != 0) throw exit(t, Signal.exitStatus(t.pendingSignal));
        return regs;
    }

    // ------------------------------------------------------------------ Java -> guest

    /** Calls a guest function (cdecl) from a Java service and returns its eax. Re-entrant. */
    int callGuest(int function, int... args) {
        return (int) call(function, args, 0, 0);
    }

    /** Calls a guest routine with a register interface (eax, edx in; eax, edx out as edx:eax). */
    long callGuestRegs(int function, int eax, int edx) {
        return call(function, new int[0], eax, edx);
    }

    private long call(int function, int[] args, int eax, int edx) {
        int[] saved = new int[8];
        for (int i = 0; i < 8; i++) saved[i] = cpu.reg(i);
        int eip = cpu.getEip(), eflags = cpu.getEflags();
        int gate = Layout.va(Layout.GATE_PHYS) + callDepth;
        callDepth++;
        try {
            for (int i = args.length - 1; i >= 0; i--) cpu.push(args[i]);
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
            cpu.setEip(eip);
            cpu.setEflags(eflags);
        }
    }

    // ------------------------------------------------------------------ signals, exit, oops

    /** force_sig: the default action happens on the way back to user mode. */
    void forceSignal(Task t, int sig) {
        if (t.pendingSignal == 0) t.pendingSignal = sig;
    }

    /** do_exit: addr_limit back to USER_DS first (CVE-2010-4258), then unwind to exec. */
    TaskExit exit(Task t, int status) {
        if (t != null) t.setFs(ram, Layout.USER_DS);
        return new TaskExit(status);
    }

    /** The kernel faulted on an address with no table entry for the faulting instruction. */
    void pageFaultOops(PtRegs regs, int errorCode, int address) {
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
            public boolean isKernelText(int va) {
                return Integer.compareUnsigned(va, textStart) >= 0 && Integer.compareUnsigned(va, textEnd) < 0;
            }
        };
        String comm = t == null ? "swapper" : t.comm;
        int pid = t == null ? 0 : t.pid;
        int stackpage = t == null ? 0 : Layout.va(t.kstack) + Layout.PAGE_SIZE;
        printk(header + Oops.die(str, errorCode, regs, comm, pid, stackpage, mem));
        if (cfg.panicOnOops || t == null) panic("Fatal exception");
        throw exit(t, Signal.exitStatus(Signal.SIGSEGV));
    }

    private void panic(String why) {
        printk("Kernel panic: " + why);
        panicked = true;
        throw new KernelPanic("Kernel panic: " + why);
    }

    void printk(String text) {
        cfg.klog.print(text.endsWith("\n") ? text : text + "\n");
        cfg.klog.flush();
    }

    /** The exception table the page-fault handler searches (kernel, then loaded modules). */
    public ExceptionTable exceptionTable() { return extable; }

    /** Guest instructions this kernel's CPU has executed, user and kernel mode together (for benchmarks). */
    public long instructionCount() { return cpu.instructionCount(); }

    public KernelImage image() { return image; }

    /** Unwinds the CPU's run loop when the current task is gone. */
    static final class TaskExit extends RuntimeException {
        final int status;

        TaskExit(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** The kernel cannot go on (an oops with --panic-on-oops, a CPU that stopped). */
    public static final class KernelPanic extends RuntimeException {
        KernelPanic(String m) { super(m); }
    }

}

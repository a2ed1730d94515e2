package dev.fixup.cpu;

import dev.fixup.x86.Reg;

/**
 * An i386 in protected mode with paging. Registers, control registers, descriptor-table
 * registers, the run loop and the embedding API. Instruction semantics live in
 * {@link Interpreter}; code that runs often is translated into JVM bytecode by
 * {@link BlockTranslator} and run a block at a time. Exception delivery is in
 * {@link InterruptDelivery}, address translation in {@link Mmu}.
 *
 * <p>Fault model: an instruction commits at its end. When it faults, EIP goes back to its first
 * byte (prefixes included) and ESP to its value before the instruction; every other register is
 * written only after the instruction's last possible fault. REP string instructions update
 * ECX/ESI/EDI after each iteration, so a fault keeps the completed iterations.
 */
public final class Cpu {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    /** Segment register numbers as in the instruction encoding. */
    public static final int SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3, SEG_FS = 4, SEG_GS = 5;
    static final int CR0_PE = 1, CR0_TS = 8, CR0_WP = 1 << 16, CR0_PG = 1 << 31, CR4_PSE = 1 << 4;

    final Machine machine;
    final PhysicalMemory mem;
    final Mmu mmu;
    final Flags flags = new Flags();
    final GuestFault fault = new GuestFault();
    final Protection protection = new Protection(this);
    final InterruptDelivery delivery = new InterruptDelivery(this);
    final CodeCache codeCache;
    final Interpreter interpreter;

    final int[] regs = new int[8];
    int eip;
    int cpl;
    /** cpl == 3: the privilege used for ordinary memory accesses. */
    boolean user;
    final Segment es = new Segment("es"), cs = new Segment("cs"), ss = new Segment("ss"),
            ds = new Segment("ds"), fs = new Segment("fs"), gs = new Segment("gs");
    final Segment[] segs = {es, cs, ss, ds, fs, gs};
    int gdtBase, gdtLimit, idtBase, idtLimit;
    int trSelector, trBase, trLimit;
    /** LDTR: the selector of the LDT's descriptor in the GDT and the table it describes (limit -1: no LDT). */
    int ldtSelector, ldtBase, ldtLimit = -1;
    int cr0 = CR0_PE, cr2, cr3, cr4;
    final int[] dr = new int[8];

    long instructions;
    /** Set when a write dropped cached code; a translated block checks it after its writes. */
    boolean codeWritten;
    /** Instructions a translated block completed, and those of its earlier passes when it loops (see {@link Block}). */
    int blockDone, blockIterated;
    /** A looping block starts another pass only while blockIterated stays at or below this (see {@link #loopAgain}). */
    private int loopLimit;
    /** Calls of translated blocks from the run loop (a chained loop is one call however many passes it makes). */
    long blockCalls;
    /** EIP and ESP at the start of the current instruction, restored when it faults. */
    int startEip, startEsp;
    /** sti / mov ss: interrupts stay blocked until after the next instruction. */
    boolean interruptShadow;
    boolean halted;
    boolean shutdown;
    private volatile boolean stopRequested; // may be set from another thread (a watchdog, a debugger)
    /** The stop request is the embedder's (return STOP_REQUESTED), not only the debugger's. */
    private volatile boolean embedderStop;
    int pendingIrqs;
    int irqBase = 0x20;
    long timerPeriod;
    long timerLeft = Long.MAX_VALUE;
    private int depth;
    ExceptionListener listener;
    /** A debugger asked for something (see {@link DebugControl}): run one checked instruction at a time. */
    boolean debugging;
    final DebugControl debug = new DebugControl(this);
    /** Called before each instruction when set; setting one turns {@link #debugging} on. */
    InstructionHook instructionHook;

    Cpu(Machine machine, PhysicalMemory mem) {
        this.machine = machine;
        this.mem = mem;
        this.mmu = new Mmu(mem, this);
        this.codeCache = new CodeCache(mem);
        this.interpreter = new Interpreter(this);
        mmu.tlb.interpreter = interpreter;
        codeCache.interpreter = interpreter;
        codeCache.tlb = mmu.tlb;
        // Power-on-like flat ring-0 state so that small programs run without a GDT.
        for (Segment s : segs) s.load(0, 0, -1, s == cs ? 0x9B : 0x93, true);
    }

    // ------------------------------------------------------------------ registers

    /** 32-bit general register by number (EAX=0 .. EDI=7). */
    public int reg(int num) { return regs[num]; }

    public void setReg(int num, int value) { regs[num] = value; }

    /** Any register by name: general registers of each size, segment selectors, CR0/2/3/4, DR0-7. */
    public int get(Reg r) {
        switch (r.kind()) {
            case GPR: return readGpr(r.size(), r.num());
            case SEG: return segs[r.num()].selector;
            case CR: return getCr(r.num());
            default: return dr[r.num()];
        }
    }

    /** Sets a register; a segment register is loaded from the GDT without checks (see {@link #setSegment}). */
    public void set(Reg r, int value) {
        switch (r.kind()) {
            case GPR: writeGpr(r.size(), r.num(), value); break;
            case SEG: setSegment(r.num(), value); break;
            case CR: setCr(r.num(), value); break;
            default: dr[r.num()] = value;
        }
    }

    int readGpr(int size, int num) {
        if (size == 4) return regs[num];
        if (size == 2) return regs[num] & 0xFFFF;
        return num < 4 ? regs[num] & 0xFF : (regs[num - 4] >>> 8) & 0xFF;
    }

    void writeGpr(int size, int num, int v) {
        if (size == 4) regs[num] = v;
        else if (size == 2) regs[num] = (regs[num] & 0xFFFF0000) | (v & 0xFFFF);
        else if (num < 4) regs[num] = (regs[num] & 0xFFFFFF00) | (v & 0xFF);
        else regs[num - 4] = (regs[num - 4] & 0xFFFF00FF) | (v & 0xFF) << 8;
    }

    public int getEip() { return eip; }

    /** Moves the CPU to {@code eip}; also ends a hlt. */
    public void setEip(int eip) {
        this.eip = eip;
        this.halted = false;
    }

    public int getEflags() { return flags.get(); }

    public void setEflags(int value) { flags.set(value & ~Flags.VM); }

    public int getCpl() { return cpl; }

    public int getCr0() { return cr0; }
    public int getCr2() { return cr2; }
    public int getCr3() { return cr3; }
    public int getCr4() { return cr4; }

    public void setCr0(int v) { setCr(0, v); }
    public void setCr2(int v) { cr2 = v; }
    public void setCr3(int v) { setCr(3, v); }
    public void setCr4(int v) { setCr(4, v); }

    int getCr(int n) {
        switch (n) {
            case 0: return cr0;
            case 2: return cr2;
            case 3: return cr3;
            case 4: return cr4;
            default: throw fault.set(Vector.UD, -1);
        }
    }

    /** mov to CRn semantics: CR0/CR3/CR4 writes flush the TLB. */
    void setCr(int n, int v) {
        switch (n) {
            case 0:
                // Real mode is not emulated: PE stays set. ET (bit 4) reads as 1 on a 386 with a 387.
                cr0 = v | CR0_PE | 0x10;
                break;
            case 2: cr2 = v; return;
            case 3: cr3 = v; break;
            case 4: cr4 = v & CR4_PSE; break;
            default: throw fault.set(Vector.UD, -1);
        }
        mmu.paging = (cr0 & CR0_PG) != 0;
        mmu.writeProtect = (cr0 & CR0_WP) != 0;
        mmu.pse = (cr4 & CR4_PSE) != 0;
        mmu.directory = cr3 & 0xFFFFF000;
        mmu.tlb.flush();
    }

    void setCpl(int cpl) {
        if (cpl != this.cpl) interpreter.leaveFetchPage(); // fetch rights depend on CPL
        this.cpl = cpl;
        this.user = cpl == 3;
    }

    /** Drops every TLB entry (the host changed page tables, as a CR3 reload would). */
    public void flushTlb() { mmu.tlb.flush(); }

    /** Drops the TLB entry for {@code linear} (what invlpg does), after the host edited its PTE. */
    public void invalidateTlb(int linear) { mmu.tlb.invalidate(linear); }

    // ------------------------------------------------------------------ segments and tables

    /** The segment register with encoding number {@code seg} (SEG_ES..SEG_GS). */
    public Segment segment(int seg) { return segs[seg]; }

    public Segment segment(Reg r) { return segs[r.num()]; }

    public void setGdtr(int base, int limit) { gdtBase = base; gdtLimit = limit & 0xFFFF; }
    public void setIdtr(int base, int limit) { idtBase = base; idtLimit = limit & 0xFFFF; }
    public int getGdtBase() { return gdtBase; }
    public int getGdtLimit() { return gdtLimit; }
    public int getIdtBase() { return idtBase; }
    public int getIdtLimit() { return idtLimit; }
    public int getTr() { return trSelector; }

    /**
     * Boot-time load: reads the descriptor for {@code selector} from the GDT and loads it without
     * privilege checks. Loading CS also sets CPL to the selector's RPL.
     */
    public void setSegment(int seg, int selector) {
        Segment s = segs[seg];
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            if (seg == SEG_CS || seg == SEG_SS) throw new IllegalArgumentException("null selector for " + s.name);
            s.loadNull(selector);
            return;
        }
        try {
            protection.read(selector, 0, Vector.GP);
        } catch (GuestFault f) {
            throw new IllegalArgumentException(String.format("selector %04x for %s: %s(%04x) reading the GDT",
                    selector, s.name, Vector.name(f.vector), f.errorCode));
        }
        boolean wasBig = cs.big;
        protection.setFrom(s, selector);
        if (seg == SEG_CS) {
            setCpl(selector & 3);
            if (wasBig != cs.big) codeCache.clear(); // cached decodings assume the old default size
        }
    }

    /** Sets a segment register's selector and descriptor cache directly (no GDT access). */
    public void setSegmentRaw(int seg, int selector, int base, int limit, int access, boolean big) {
        boolean wasBig = cs.big;
        segs[seg].load(selector, base, limit, access, big);
        if (seg == SEG_CS) {
            setCpl(selector & 3);
            if (wasBig != cs.big) codeCache.clear();
        }
    }

    /**
     * Loads DS/ES/FS/GS/SS the way mov to a segment register does, with its checks at the
     * current CPL. A failing check throws IllegalArgumentException naming the guest fault.
     */
    public void loadSegment(int seg, int selector) {
        try {
            loadSegmentChecked(seg, selector);
        } catch (GuestFault f) {
            throw new IllegalArgumentException(String.format("loading %04x into %s: %s(%04x)",
                    selector & 0xFFFF, segs[seg].name, Vector.name(f.vector), f.errorCode));
        }
    }

    void loadSegmentChecked(int seg, int selector) {
        if (seg == SEG_CS || seg > SEG_GS) throw fault.set(Vector.UD, -1);
        if (seg == SEG_SS) protection.loadStack(selector);
        else protection.loadData(segs[seg], selector);
    }

    /** ltr semantics without the CPL check: an available 32-bit TSS in the GDT, marked busy. */
    public void loadTr(int selector) {
        try {
            loadTrChecked(selector);
        } catch (GuestFault f) {
            throw new IllegalArgumentException(String.format("ltr %04x: %s(%04x)", selector, Vector.name(f.vector), f.errorCode));
        }
    }

    /** lldt semantics without the CPL check: an LDT descriptor in the GDT, or the null selector for no LDT. */
    public void loadLdt(int selector) {
        try {
            loadLdtChecked(selector);
        } catch (GuestFault f) {
            throw new IllegalArgumentException(String.format("lldt %04x: %s(%04x)", selector, Vector.name(f.vector), f.errorCode));
        }
    }

    public int getLdtSelector() { return ldtSelector; }

    void loadLdtChecked(int selector) {
        selector &= 0xFFFF;
        if ((selector & 0xFFFC) == 0) {
            ldtSelector = selector;
            ldtBase = 0;
            ldtLimit = -1;
            return;
        }
        if ((selector & 4) != 0) throw fault.set(Vector.GP, selector & 0xFFFC);   // the LDT's descriptor lives in the GDT
        protection.read(selector, 0, Vector.GP);
        int hi = protection.hi;
        if (Descriptor.codeOrData(hi) || Descriptor.systemType(hi) != 2) throw fault.set(Vector.GP, selector & 0xFFFC);
        if (!Descriptor.present(hi)) throw fault.set(Vector.NP, selector & 0xFFFC);
        ldtSelector = selector;
        ldtBase = Descriptor.base(protection.lo, hi);
        ldtLimit = Descriptor.limit(protection.lo, hi);
    }

    void loadTrChecked(int selector) {
        if ((selector & 0xFFFC) == 0) throw fault.set(Vector.GP, 0);
        protection.read(selector, 0, Vector.GP);
        int hi = protection.hi;
        if (Descriptor.codeOrData(hi) || Descriptor.systemType(hi) != 9) throw fault.set(Vector.GP, selector & 0xFFFC);
        if (!Descriptor.present(hi)) throw fault.set(Vector.NP, selector & 0xFFFC);
        mmu.write32(gdtBase + (selector & 0xFFF8) + 4, hi | 0x200, false); // busy
        trSelector = selector & 0xFFFF;
        trBase = Descriptor.base(protection.lo, hi);
        trLimit = Descriptor.limit(protection.lo, hi);
    }

    // ------------------------------------------------------------------ running

    /** Runs at most {@code maxInstructions} instructions. */
    public StopReason run(long maxInstructions) {
        return execute(maxInstructions, 0, false);
    }

    /**
     * Runs until EIP equals {@code address} at an instruction boundary. Re-entrant: a host-call
     * handler may call it while an outer run is in progress.
     */
    public StopReason runUntil(int address) {
        return execute(Long.MAX_VALUE, address, true);
    }

    public StopReason runUntil(int address, long maxInstructions) {
        return execute(maxInstructions, address, true);
    }

    /** Makes the innermost active run return STOP_REQUESTED at the next instruction boundary. */
    public void requestStop() {
        embedderStop = true;
        stopRequested = true;
    }

    /** Makes the run loop look at the debugger's interrupt at the next instruction boundary. */
    void wakeForDebugger() {
        stopRequested = true;
    }

    public long instructionCount() { return instructions; }

    /** How many blocks of guest code this CPU has put in place (translated, or shared with an earlier machine). */
    public long translatedBlocks() { return interpreter.translatedBlocks; }

    /** Blocks the translator could not make (they run in the interpreter instead); 0 unless the translator has a bug. */
    public long translationFailures() { return interpreter.translationFailures; }

    /**
     * Executions of a block start before its translation; 0 keeps every instruction in the
     * interpreter. The default is 1024, or the system property {@code fixup.cpu.translate}.
     */
    public void setTranslateThreshold(int executions) {
        interpreter.translateThreshold = Interpreter.clampThreshold(executions);
        interpreter.resetFetchPage(); // with 0, no block found earlier may run either
    }

    /** How many run()/runUntil() calls are active (more than one inside a host call that re-entered). */
    public int runDepth() { return depth; }

    public boolean isHalted() { return halted; }

    /** True after a triple fault until the embedder calls {@link #reset()} or sets EIP. */
    public boolean isShutdown() { return shutdown; }

    /** Raises hardware interrupt line {@code irq} (vector irqBase+irq), delivered when IF=1. */
    public void raiseIrq(int irq) {
        pendingIrqs |= 1 << irq;
    }

    /** Vector of IRQ0 (default 0x20, as Linux programs the PIC). */
    public void setIrqBase(int vector) { irqBase = vector; }

    /** Raises IRQ0 every {@code period} instructions; 0 disables the timer. */
    public void setTimer(long period) {
        timerPeriod = period;
        timerLeft = period > 0 ? period : Long.MAX_VALUE;
    }

    public void setExceptionListener(ExceptionListener l) { listener = l; }

    /** The listener in place (null if none), so that another can be chained in front of it. */
    public ExceptionListener getExceptionListener() { return listener; }

    /** Sets (or, with null, removes) the hook called before each instruction; see {@link InstructionHook}. */
    public void setInstructionHook(InstructionHook hook) {
        instructionHook = hook;
        debug.update();
    }

    /** Breakpoints, single step, watchpoints and interrupts for a debugger (the gdb stub). */
    public DebugControl debug() { return debug; }

    /** Clears the shutdown state (after a triple fault) and any halt. */
    // ------------------------------------------------------------------ the x87, for the kernel

    /** Puts the x87 in its FNINIT state (control 0x037F, empty stack, no exceptions): what exec gives a program. */
    public void fpuReset() { interpreter.x87.init(); }

    /**
     * The x87 state as the 108-byte image FNSAVE writes in 32-bit protected mode (control, status, tag
     * and pointer words, then ST0..ST7 at 10 bytes each): the start of Linux i386's {@code struct _fpstate}.
     * Unlike FNSAVE it leaves the unit as it is.
     */
    public byte[] fpuSaveFnsave() { return interpreter.x87.fnsaveImage(); }

    /** Loads an image in {@link #fpuSaveFnsave}'s format (FRSTOR): a pending unmasked exception stays pending. */
    public void fpuRestoreFnsave(byte[] image) {
        if (image.length < 108) throw new IllegalArgumentException("FNSAVE image is 108 bytes, got " + image.length);
        interpreter.x87.loadFnsaveImage(image);
    }

    public int fpuStatusWord() { return interpreter.x87.statusWord(); }

    public int fpuControlWord() { return interpreter.x87.cw; }

    public int fpuTagWord() { return interpreter.x87.tagWord(); }

    /**
     * The si_code Linux's {@code math_error} gives the SIGFPE of a #MF (vector 16), computed as it does from
     * the status and control words: FPE_FLTINV 7 (invalid operation or stack fault), FPE_FLTUND 5
     * (denormal or underflow), FPE_FLTDIV 3, FPE_FLTOVF 4, FPE_FLTRES 6 (inexact), or 0 when the
     * unmasked exceptions are none or several (Linux then leaves its default, __SI_FAULT).
     */
    public int fpuSiCode() {
        int sw = fpuStatusWord(), cw = fpuControlWord();
        switch (~cw & sw & 0x3F | sw & 0x240) {
            case 0x001: case 0x041: case 0x241: return 7;
            case 0x002: case 0x010: return 5;
            case 0x004: return 3;
            case 0x008: return 4;
            case 0x020: return 6;
            default: return 0;
        }
    }

    public void reset() {
        shutdown = false;
        halted = false;
        pendingIrqs = 0;
    }

    private StopReason execute(long budget, int until, boolean hasUntil) {
        depth++;
        try {
            while (true) {
                if (shutdown) return StopReason.TRIPLE_FAULT;
                if (hasUntil && eip == until && !halted) return StopReason.REACHED_ADDRESS;
                if (stopRequested) {
                    stopRequested = false;
                    debug.takeInterrupt();
                    if (embedderStop) {
                        embedderStop = false;
                        return StopReason.STOP_REQUESTED;
                    }
                    continue; // only the debugger's stop: it has been served, go on
                }
                if (budget <= 0) return StopReason.INSTRUCTION_LIMIT;
                if (pendingIrqs != 0 && (flags.bits & Flags.IF) != 0 && !interruptShadow
                        && (!debugging || halted || !debug.holdsInterrupts())) {
                    budget--;
                    deliverIrq();
                    continue;
                }
                if (halted) {
                    budget--;
                    if ((flags.bits & Flags.IF) != 0 && timerPeriod > 0) {
                        // Nothing runs until the next tick: skip the idle time.
                        timerLeft = 1;
                    } else {
                        return StopReason.HALTED;
                    }
                    tick();
                    continue;
                }
                budget -= debugging ? debugStep() : burst(budget, until, hasUntil);
            }
        } finally {
            depth--;
        }
    }

    /**
     * Runs up to {@code max} (>= 1) instructions while nothing needs the outer loop's attention:
     * one timer countdown per instruction and one combined test for every other event. Returns
     * how many instructions (or faults) it executed.
     */
    private long burst(long max, int until, boolean hasUntil) {
        long n = 0;
        boolean lookup = true;
        Interpreter in = interpreter;
        while (n < max) {
            Block b = null;
            if (lookup && (flags.bits & Flags.TF) == 0 && pendingIrqs == 0) {
                b = in.block();
                if (b != null && fits(b, max - n, until, hasUntil)) {
                    n += runBlocks(b, max - n, until, hasUntil);
                    if (halted || shutdown || stopRequested || (hasUntil && eip == until)) break;
                    continue;
                }
            }
            step();
            n++;
            lookup = b != null || !in.coldMiss || eip != in.fallThrough;
            if (tick() || pendingIrqs != 0 || halted || shutdown || stopRequested || (hasUntil && eip == until)) break;
        }
        return n;
    }

    /**
     * One instruction under a debugger: a breakpoint at EIP stops the CPU before it (and returns 0
     * so that the run loop looks at EIP again: the debugger may have moved it); otherwise one
     * interpreted instruction, then the watchpoints and a single step are checked.
     */
    private long debugStep() {
        if (debug.stopBefore(eip)) return 0;
        if (instructionHook != null) {
            int at = eip;
            instructionHook.beforeInstruction(this, at);
            if (stopRequested || eip != at) return 0;
        }
        step();
        tick();
        debug.afterInstruction();
        return 1;
    }

    /** Counts one instruction slot for the timer; true when it raised IRQ0. */
    private boolean tick() {
        if (--timerLeft != 0) return false;
        timerLeft = timerPeriod;
        pendingIrqs |= 1;
        return true;
    }

    private void deliverIrq() {
        int irq = Integer.numberOfTrailingZeros(pendingIrqs);
        pendingIrqs &= ~(1 << irq);
        halted = false;
        delivery.raise(irqBase + irq, -1, InterruptDelivery.KIND_EXTERNAL, eip);
    }

    /**
     * A block runs whole only if no instruction-level event (the budget {@code max}, the next
     * timer tick, the runUntil address) falls inside it.
     */
    private boolean fits(Block b, long max, int until, boolean hasUntil) {
        return b.count <= max && b.count < timerLeft && !(hasUntil && b.covers(until - eip));
    }

    /**
     * Runs {@code b}, then block after block as {@link Interpreter#block} finds them (the jump
     * cache, mostly), using at most {@code max} instruction slots, while each next block fits and
     * no event (an interrupt request, a halt, a stop, the trap flag, the runUntil address, a
     * fault) wants the outer loops. Returns the slots used: instructions, and one for a fault's
     * delivery as in {@link #step}. One loop with no calls but the block and the lookup, since
     * this runs between every two blocks.
     */
    private long runBlocks(Block b, long max, int until, boolean hasUntil) {
        Interpreter in = interpreter;
        long n = 0;
        while (true) {
            int first = eip;
            int count = b.count;
            interruptShadow = false;
            codeWritten = false;
            blockDone = count;
            blockIterated = 0;
            if (b.loops) loopLimit = (int) Math.min(Math.min(max - n, timerLeft - 1), LOOP_SLICE) - count;
            blockCalls++;
            int done;
            try {
                eip = b.run(this);
                done = blockIterated + blockDone;
            } catch (GuestFault f) {
                done = blockIterated + b.indexOf(startEip - first);
                instructions += done;
                deliverFault(f);
                timerLeft -= done + 1;
                return n + done + 1;
            }
            instructions += done;
            n += done;
            long left = timerLeft -= done;
            if (pendingIrqs != 0 || halted || shutdown || stopRequested || (flags.bits & Flags.TF) != 0
                    || (hasUntil && eip == until)) {
                return n;
            }
            b = in.block();
            if (b == null || b.count > max - n || b.count >= left || (hasUntil && b.covers(until - eip))) return n;
        }
    }

    /**
     * The most instructions one call of a looping block runs, so that the instruction count (which
     * another thread may watch, as the gdb stub's tests do) moves on at least every so often.
     */
    private static final int LOOP_SLICE = 1 << 16;

    /**
     * Asked by a translated block at a jump back into itself, with the instructions of its passes so
     * far: true when it may run another whole pass, that is no instruction-level event (the run's
     * budget, the next timer tick) can fall inside it, no interrupt is pending and no one asked the
     * CPU to stop. Otherwise the block returns to the run loop, which looks at all of these.
     */
    boolean loopAgain(int iterated) {
        return iterated <= loopLimit && pendingIrqs == 0 && !stopRequested;
    }

    /** Executes one instruction, or delivers the fault it raises. Kept small so that the run loop inlines it. */
    private void step() {
        startEip = eip;
        startEsp = regs[ESP];
        interruptShadow = false;
        if ((flags.bits & Flags.TF) != 0) {
            stepWithTrap();
            return;
        }
        try {
            interpreter.step();
            instructions++;
        } catch (GuestFault f) {
            deliverFault(f);
        }
    }

    /**
     * TF as the instruction starts decides the single-step trap after it (popf setting TF does not
     * trap itself); an instruction that entered a handler itself (int n) is not trapped.
     */
    private void stepWithTrap() {
        softwareInterruptDelivered = false;
        try {
            interpreter.step();
            instructions++;
        } catch (GuestFault f) {
            deliverFault(f);
            return;
        }
        if (!softwareInterruptDelivered) {
            dr[6] |= 0x4000; // DR6.BS
            delivery.raise(Vector.DB, -1, InterruptDelivery.KIND_FAULT, eip); // a trap: EIP of the next instruction
        }
    }

    private void deliverFault(GuestFault f) {
        eip = startEip;
        regs[ESP] = startEsp;
        delivery.raise(f.vector, Vector.hasErrorCode(f.vector) ? f.errorCode : -1, InterruptDelivery.KIND_FAULT, eip);
    }

    /** Set when the current instruction entered a handler itself (int n, int3, into, icebp): no single-step trap. */
    boolean softwareInterruptDelivered;

    /** int n / int3 / into: delivered with the DPL check, pushing the next instruction's EIP. */
    void softwareInterrupt(int vector) {
        softwareInterruptDelivered = true;
        delivery.raise(vector, -1, InterruptDelivery.KIND_SOFTWARE, eip);
    }

    void tripleFault() {
        shutdown = true;
    }

    void notifyListener(int vector, int errorCode, int kind, int pushedEip) {
        if (listener != null) {
            listener.exception(this, new ExceptionEvent(vector, errorCode, cr2, cs.selector,
                    pushedEip, cpl,
                    ss.selector, regs[ESP], kind == InterruptDelivery.KIND_SOFTWARE,
                    kind == InterruptDelivery.KIND_EXTERNAL));
        }
    }

    /** EFLAGS written by popf/iret: IOPL only in ring 0, IF only when CPL <= IOPL; VM is never set. */
    void writeFlagsPrivileged(int value, int atCpl) {
        int old = flags.get();
        int changeable = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT | Flags.RF | Flags.AC | Flags.ID;
        if (atCpl == 0) changeable |= Flags.IOPL | Flags.IF;
        else if (atCpl <= ((old >>> 12) & 3)) changeable |= Flags.IF;
        flags.set((old & ~changeable) | (value & changeable));
    }

    // ------------------------------------------------------------------ debugger-style memory access

    /** Physical address for {@code linear} by the current page tables, or -1 when not present. */
    public long translate(int linear) { return mmu.probe(linear); }

    /**
     * The frame the TLB holds for {@code linear} (it always carries the kernel read tag of a
     * filled page, and is flushed whenever page tables change), else a walk without side effects.
     * Host calls read their arguments and callGuest pushes its frame here: the kernel stack is
     * almost always in the TLB.
     */
    private int physical(int linear) {
        Tlb t = mmu.tlb;
        int s = Tlb.slot(linear);
        if (t.kernelRead[s] == (linear & 0xFFFFF000)) return t.frame[s] | (linear & 0xFFF);
        long pa = mmu.probe(linear);
        if (pa < 0) throw new UnmappedAddressException(linear);
        return (int) pa;
    }

    public int readLinear8(int lin) { return mem.read8(physical(lin)); }

    public int readLinear16(int lin) { return readLinear8(lin) | readLinear8(lin + 1) << 8; }

    public int readLinear32(int lin) {
        if ((lin & 0xFFF) <= 0xFFC) return mem.read32(physical(lin));
        return readLinear16(lin) | readLinear16(lin + 2) << 16;
    }

    public void writeLinear8(int lin, int v) { mem.write8(physical(lin), v); }

    public void writeLinear16(int lin, int v) { writeLinear8(lin, v); writeLinear8(lin + 1, v >> 8); }

    public void writeLinear32(int lin, int v) {
        if ((lin & 0xFFF) <= 0xFFC) mem.write32(physical(lin), v);
        else { writeLinear16(lin, v); writeLinear16(lin + 2, v >> 16); }
    }

    public byte[] readLinear(int lin, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) readLinear8(lin + i);
        return b;
    }

    public void writeLinear(int lin, byte[] data) {
        for (int i = 0; i < data.length; i++) writeLinear8(lin + i, data[i]);
    }

    /** Pushes a dword on the guest stack (SS:ESP) with supervisor rights, without faulting. */
    public void push(int value) {
        regs[ESP] -= 4;
        writeLinear32(ss.base + regs[ESP], value);
    }

    /** Pops a dword from the guest stack (a host-call handler's "ret" uses it). */
    public int pop() {
        int v = readLinear32(ss.base + regs[ESP]);
        regs[ESP] += 4;
        return v;
    }

    /** The n-th cdecl argument (0-based) of a host call entered by a near call: [ESP+4+4n]. */
    public int arg(int n) { return readLinear32(ss.base + regs[ESP] + 4 + 4 * n); }

    /** Completes a host call: EAX = result, EIP = popped return address. */
    public void returnFromHostCall(int result) {
        regs[EAX] = result;
        setEip(pop());
    }

    public PhysicalMemory memory() { return mem; }

    public Machine machine() { return machine; }

    @Override
    public String toString() {
        return String.format("eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x esp=%08x eip=%08x efl=%08x cpl=%d",
                regs[EAX], regs[EBX], regs[ECX], regs[EDX], regs[ESI], regs[EDI], regs[EBP], regs[ESP], eip, getEflags(), cpl);
    }
}

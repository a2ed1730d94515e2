package dev.fixup.cpu.embed;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.DebugControl;
import dev.fixup.cpu.ExceptionEvent;
import dev.fixup.cpu.Machine;
import dev.fixup.cpu.PhysicalMemory;
import dev.fixup.cpu.StopReason;
import dev.fixup.cpu.Vector;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Insn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An i386 for embedding, in the spirit of Unicorn: flat 32-bit protected mode with paging, memory
 * mapped page by page with permissions, registers, hooks, and {@link #start} / {@link #stop}.
 *
 * <p>The guest runs in ring 3 with flat 4 GB segments, IOPL 3 (in/out work) and CR0.WP set, so a
 * page's permissions hold for every access: not mapped or {@link #NONE} faults, read-only faults
 * on write. Execute permission is not enforced: i386 paging has no no-execute bit. Exceptions and
 * interrupts enter the machine's own ring-0 code, which calls the hooks: the top 4 MB of the
 * address space ({@link #RESERVED_BASE} and up) hold the GDT, IDT, TSS, that code and its stack,
 * and cannot be mapped.
 *
 * <p>Hooks run on the thread that called {@link #start}. {@link #stop()} may be called from a
 * hook or from any other thread.
 */
public final class Emulator {
    /** Page permissions for {@link #map} and {@link #protect}. */
    public static final int NONE = 0, READ = 1, WRITE = 2, EXEC = 4, ALL = 7;
    /** Linear addresses from here up belong to the machine. */
    public static final int RESERVED_BASE = 0xFFC00000;
    public static final int PAGE_SIZE = 4096;

    private static final int KCS = 0x08, KDS = 0x10, UCS = 0x18 | 3, UDS = 0x20 | 3, TSS_SEL = 0x28;
    // the machine's pages, linear (in the reserved region) and physical (the first frames)
    private static final int GDT = RESERVED_BASE, IDT = RESERVED_BASE + 0x1000, TSS = RESERVED_BASE + 0x2000,
            ENTRY = RESERVED_BASE + 0x3000, KSTACK_TOP = RESERVED_BASE + 0x6000;
    private static final int SYSTEM_PAGES = 6, PD_FRAME = SYSTEM_PAGES << 12, SYSTEM_PT_FRAME = (SYSTEM_PAGES + 1) << 12;

    private final Machine machine;
    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final Deque<Integer> freeFrames = new ArrayDeque<>();
    /** Mapped page (linear >>> 12) -> [physical frame, permissions]. */
    private final Map<Integer, int[]> pages = new HashMap<>();
    private final List<Hook<CodeHook>> codeHooks = new ArrayList<>();
    private final List<Hook<MemoryHook>> readHooks = new ArrayList<>(), writeHooks = new ArrayList<>();
    private final List<InvalidMemoryHook> invalidHooks = new ArrayList<>();
    private final List<InterruptHook> interruptHooks = new ArrayList<>();
    private ExceptionEvent lastEvent;
    private final Insn insn = new Insn();

    /** A hook on [begin, end] (inclusive, as Unicorn's). */
    private record Hook<T>(int begin, int end, T hook) {
        boolean covers(int a) {
            return Integer.compareUnsigned(a, begin) >= 0 && Integer.compareUnsigned(a, end) <= 0;
        }
    }

    /** A handle that removes its hook. */
    public interface HookHandle {
        void remove();
    }

    /** A machine with {@code ramBytes} of physical memory (a multiple of 4 KB; the machine keeps 32 KB of it). */
    public Emulator(int ramBytes) {
        if (ramBytes < (SYSTEM_PAGES + 4) * PAGE_SIZE || ramBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM must be a multiple of 4 KB and at least 40 KB, got " + ramBytes);
        }
        machine = new Machine(ramBytes);
        cpu = machine.cpu();
        mem = machine.memory();
        for (int f = SYSTEM_PAGES + 2; f < ramBytes / PAGE_SIZE; f++) freeFrames.add(f << 12);
        buildSystem();
    }

    /** A machine with 64 MB of RAM. */
    public Emulator() {
        this(64 << 20);
    }

    /** The GDT, IDT, TSS, entry page and stack in the reserved region; ring 3 with paging on. */
    private void buildSystem() {
        for (int i = 0; i < SYSTEM_PAGES; i++) {
            mem.write32(SYSTEM_PT_FRAME + 4 * i, Tables.entry(i << 12, Tables.P | Tables.RW)); // supervisor only
        }
        mem.write32(PD_FRAME + 4 * (RESERVED_BASE >>> 22), Tables.entry(SYSTEM_PT_FRAME, Tables.P | Tables.RW | Tables.US));
        int gdt = 0, idt = 0x1000, tss = 0x2000;
        Tables.flatSegment(mem, gdt, 1, 0x9A);
        Tables.flatSegment(mem, gdt, 2, 0x92);
        Tables.flatSegment(mem, gdt, 3, 0xFA);
        Tables.flatSegment(mem, gdt, 4, 0xF2);
        Tables.tssDescriptor(mem, gdt, 5, TSS, 0x67);
        Tables.tssStack(mem, tss, KDS, KSTACK_TOP);
        for (int v = 0; v < 256; v++) Tables.gate(mem, idt, v, KCS, ENTRY + v, 0xE, 3);
        machine.setHostCallPage(0x3000, (c, offset) -> enter(offset));
        cpu.setCr3(PD_FRAME);
        cpu.setCr0(cpu.getCr0() | 1 << 31 | 1 << 16);
        cpu.setGdtr(GDT, 6 * 8 - 1);
        cpu.setIdtr(IDT, 256 * 8 - 1);
        cpu.loadTr(TSS_SEL);
        cpu.setSegment(Cpu.SEG_CS, UCS);
        for (int s : new int[] {Cpu.SEG_SS, Cpu.SEG_DS, Cpu.SEG_ES, Cpu.SEG_FS, Cpu.SEG_GS}) cpu.setSegment(s, UDS);
        cpu.setEflags(0x3202); // IF, IOPL 3
        cpu.setExceptionListener((c, e) -> lastEvent = e);
        cpu.debug().setAccessListener(this::accessed);
    }

    // ------------------------------------------------------------------ memory

    /** Maps [addr, addr+size) with fresh zeroed pages; both page aligned, none of them mapped yet. */
    public void map(int addr, int size, int perms) {
        checkRange(addr, size);
        for (int p = 0; p < size / PAGE_SIZE; p++) {
            if (pages.containsKey((addr >>> 12) + p)) {
                throw new EmulatorException(EmulatorException.Kind.MAP, addr + p * PAGE_SIZE,
                        String.format("page %08x is already mapped", addr + p * PAGE_SIZE));
            }
        }
        if (freeFrames.size() < size / PAGE_SIZE + 1) {
            throw new EmulatorException(EmulatorException.Kind.MAP, addr, "out of RAM mapping " + size + " bytes");
        }
        for (int p = 0; p < size / PAGE_SIZE; p++) {
            int frame = freeFrames.pop();
            mem.fill(frame, PAGE_SIZE, 0);
            int page = (addr >>> 12) + p;
            pages.put(page, new int[] {frame, perms});
            setPte(page, frame, perms);
        }
    }

    /** Unmaps [addr, addr+size): every page must be mapped. */
    public void unmap(int addr, int size) {
        checkMapped(addr, size);
        for (int p = 0; p < size / PAGE_SIZE; p++) {
            int page = (addr >>> 12) + p;
            int[] e = pages.remove(page);
            freeFrames.push(e[0]);
            writePte(page, 0);
        }
    }

    /** Changes the permissions of [addr, addr+size): every page must be mapped. */
    public void protect(int addr, int size, int perms) {
        checkMapped(addr, size);
        for (int p = 0; p < size / PAGE_SIZE; p++) {
            int page = (addr >>> 12) + p;
            int[] e = pages.get(page);
            e[1] = perms;
            setPte(page, e[0], perms);
        }
    }

    /** The permissions of the page holding addr, or -1 when it is not mapped. */
    public int permissions(int addr) {
        int[] e = pages.get(addr >>> 12);
        return e == null ? -1 : e[1];
    }

    /** Reads mapped memory whatever its permissions (as a debugger would). */
    public byte[] read(int addr, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) mem.read8(physical(addr + i));
        return b;
    }

    public int read32(int addr) {
        byte[] b = read(addr, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** Writes mapped memory whatever its permissions (code written here is picked up by the CPU). */
    public void write(int addr, byte[] data) {
        for (int i = 0; i < data.length; i++) mem.write8(physical(addr + i), data[i]);
    }

    public void write32(int addr, int value) {
        write(addr, new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)});
    }

    private int physical(int addr) {
        int[] e = pages.get(addr >>> 12);
        if (e == null) {
            throw new EmulatorException(EmulatorException.Kind.READ_UNMAPPED, addr, String.format("%08x is not mapped", addr));
        }
        return e[0] | addr & 0xFFF;
    }

    private void checkRange(int addr, int size) {
        if ((addr & 0xFFF) != 0 || size <= 0 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("address %08x and size %x must be page aligned, size > 0", addr, size));
        }
        long end = Integer.toUnsignedLong(addr) + size;
        if (end > Integer.toUnsignedLong(RESERVED_BASE)) {
            throw new IllegalArgumentException(String.format("%08x-%08x reaches the machine's reserved region at %08x", addr, end, RESERVED_BASE));
        }
    }

    private void checkMapped(int addr, int size) {
        checkRange(addr, size);
        for (int p = 0; p < size / PAGE_SIZE; p++) {
            if (!pages.containsKey((addr >>> 12) + p)) {
                throw new EmulatorException(EmulatorException.Kind.MAP, addr + p * PAGE_SIZE,
                        String.format("page %08x is not mapped", addr + p * PAGE_SIZE));
            }
        }
    }

    /** Present unless NONE; writable with WRITE; always a user page. */
    private void setPte(int page, int frame, int perms) {
        int flags = (perms & (READ | WRITE | EXEC)) == 0 ? 0 : Tables.P | Tables.US | ((perms & WRITE) != 0 ? Tables.RW : 0);
        writePte(page, flags == 0 ? 0 : Tables.entry(frame, flags));
    }

    private void writePte(int page, int value) {
        int pdeAddr = PD_FRAME + 4 * (page >>> 10);
        int pde = mem.read32(pdeAddr);
        if ((pde & Tables.P) == 0) {
            if (value == 0) return;
            int table = freeFrames.pop();
            mem.fill(table, PAGE_SIZE, 0);
            pde = Tables.entry(table, Tables.P | Tables.RW | Tables.US);
            mem.write32(pdeAddr, pde);
        }
        mem.write32((pde & 0xFFFFF000) + 4 * (page & 0x3FF), value);
        cpu.invalidateTlb(page << 12);
    }

    // ------------------------------------------------------------------ registers and context

    public int reg(Register r) {
        switch (r) {
            case EIP: return cpu.getEip();
            case EFLAGS: return cpu.getEflags();
            default: return cpu.reg(r.ordinal());
        }
    }

    public void setReg(Register r, int value) {
        switch (r) {
            case EIP: cpu.setEip(value); break;
            case EFLAGS: cpu.setEflags(value); break;
            default: cpu.setReg(r.ordinal(), value);
        }
    }

    public Context saveContext() {
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) regs[i] = cpu.reg(i);
        return new Context(regs, cpu.getEip(), cpu.getEflags());
    }

    public void restoreContext(Context c) {
        int[] regs = c.registers();
        for (int i = 0; i < 8; i++) cpu.setReg(i, regs[i]);
        cpu.setEip(c.eip());
        cpu.setEflags(c.eflags());
    }

    // ------------------------------------------------------------------ hooks

    /** Calls {@code hook} before each instruction whose address is in [begin, end]. */
    public HookHandle hookCode(int begin, int end, CodeHook hook) {
        Hook<CodeHook> h = new Hook<>(begin, end, hook);
        codeHooks.add(h);
        cpu.setInstructionHook(this::beforeInstruction);
        return () -> {
            codeHooks.remove(h);
            if (codeHooks.isEmpty()) cpu.setInstructionHook(null);
        };
    }

    /** Calls {@code hook} for each read of memory in [begin, end]. */
    public HookHandle hookMemRead(int begin, int end, MemoryHook hook) {
        return hookMemory(readHooks, begin, end, hook, DebugControl.WatchKind.READ);
    }

    /** Calls {@code hook} for each write of memory in [begin, end]. */
    public HookHandle hookMemWrite(int begin, int end, MemoryHook hook) {
        return hookMemory(writeHooks, begin, end, hook, DebugControl.WatchKind.WRITE);
    }

    /**
     * Memory hooks ride on the debugger's watchpoints: a watched page never enters the TLB, so the
     * MMU reports each access to it (see {@link DebugControl}).
     */
    private HookHandle hookMemory(List<Hook<MemoryHook>> list, int begin, int end, MemoryHook hook, DebugControl.WatchKind kind) {
        Hook<MemoryHook> h = new Hook<>(begin, end, hook);
        list.add(h);
        List<int[]> watches = new ArrayList<>();
        long last = Integer.toUnsignedLong(end);
        for (long a = Integer.toUnsignedLong(begin); a <= last; a += PAGE_SIZE) {
            int len = (int) Math.min(PAGE_SIZE, last - a + 1);
            cpu.debug().addWatch((int) a, len, kind);
            watches.add(new int[] {(int) a, len});
        }
        return () -> {
            list.remove(h);
            for (int[] w : watches) cpu.debug().removeWatch(w[0], w[1], kind);
        };
    }

    /** Calls {@code hook} when an access faults on an unmapped page or for want of a permission. */
    public HookHandle hookInvalidMemory(InvalidMemoryHook hook) {
        invalidHooks.add(hook);
        return () -> invalidHooks.remove(hook);
    }

    /** Calls {@code hook} for {@code int n} and for exceptions other than page faults. */
    public HookHandle hookInterrupt(InterruptHook hook) {
        interruptHooks.add(hook);
        return () -> interruptHooks.remove(hook);
    }

    private void beforeInstruction(Cpu c, int eip) {
        if (Integer.compareUnsigned(eip, RESERVED_BASE) >= 0) return; // the machine's own entry code
        int size = -1;
        for (Hook<CodeHook> h : List.copyOf(codeHooks)) {
            if (!h.covers(eip)) continue;
            if (size < 0) size = instructionLength(eip);
            h.hook().code(this, eip, size);
        }
    }

    private int instructionLength(int eip) {
        try {
            Decoder.decode(a -> cpu.readLinear8(a), eip, true, insn);
            return Math.max(1, insn.length);
        } catch (RuntimeException e) {
            return 0; // its bytes are not all mapped: fetching it will fault
        }
    }

    private void accessed(int lin, boolean write) {
        if (cpu.getCpl() != 3) return; // the machine's own accesses (delivering an exception)
        for (Hook<MemoryHook> h : List.copyOf(write ? writeHooks : readHooks)) {
            if (h.covers(lin)) h.hook().access(this, write ? MemoryAccess.WRITE : MemoryAccess.READ, lin);
        }
    }

    /**
     * The machine's ring-0 entry for {@code vector}: back to the interrupted ring-3 state (as iret
     * would), then the hooks decide. Throwing unwinds the run loop with EIP at the faulting instruction.
     */
    private void enter(int vector) {
        ExceptionEvent e = lastEvent;
        if (e != null && e.errorCode() >= 0) cpu.pop();
        int eip = cpu.pop(), cs = cpu.pop(), eflags = cpu.pop(), esp = cpu.pop(), ss = cpu.pop();
        cpu.setSegment(Cpu.SEG_CS, cs);
        cpu.setSegment(Cpu.SEG_SS, ss);
        cpu.setReg(Cpu.ESP, esp);
        cpu.setEflags(eflags);
        cpu.setEip(eip);
        boolean software = e != null && e.software();
        if (vector == Vector.PF && !software) {
            pageFault(e.cr2(), e.errorCode(), eip);
            return;
        }
        if (interruptHooks.isEmpty()) {
            throw new EmulatorException(EmulatorException.Kind.EXCEPTION, vector,
                    String.format("%s at %08x and no interrupt hook", Vector.name(vector), eip));
        }
        for (InterruptHook h : List.copyOf(interruptHooks)) h.interrupt(this, vector);
    }

    private void pageFault(int address, int errorCode, int eip) {
        boolean write = (errorCode & 2) != 0;
        boolean fetch = !write && Integer.compareUnsigned(address - eip, 16) < 0 && (address == eip || (address & 0xFFF) < 16);
        boolean mapped = pages.containsKey(address >>> 12);
        MemoryAccess type = mapped
                ? (write ? MemoryAccess.WRITE_PROT : fetch ? MemoryAccess.FETCH_PROT : MemoryAccess.READ_PROT)
                : (write ? MemoryAccess.WRITE_UNMAPPED : fetch ? MemoryAccess.FETCH_UNMAPPED : MemoryAccess.READ_UNMAPPED);
        for (InvalidMemoryHook h : List.copyOf(invalidHooks)) {
            if (h.invalid(this, type, address)) return; // run the instruction again
        }
        throw new EmulatorException(EmulatorException.Kind.valueOf(type.name()), address,
                String.format("%s at %08x (eip %08x)", type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), address, eip));
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs from {@code begin} until EIP reaches {@code until}, {@code count} instructions have run
     * (0: no limit), {@code timeoutNanos} have passed (0: no limit) or {@link #stop()} is called.
     * Throws {@link EmulatorException} for an invalid access no hook handled, an exception with no
     * interrupt hook, or a triple fault; EIP is then the faulting instruction's.
     */
    public void start(int begin, int until, long timeoutNanos, long count) {
        cpu.setEip(begin);
        ScheduledExecutorService timer = null;
        ScheduledFuture<?> alarm = null;
        if (timeoutNanos > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "emulator-timeout");
                t.setDaemon(true);
                return t;
            });
            alarm = timer.schedule(cpu::requestStop, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        try {
            StopReason why = cpu.runUntil(until, count > 0 ? count : Long.MAX_VALUE);
            if (why == StopReason.TRIPLE_FAULT) {
                cpu.reset();
                throw new EmulatorException(EmulatorException.Kind.TRIPLE_FAULT, 0, "triple fault at " + Integer.toHexString(cpu.getEip()));
            }
        } finally {
            if (alarm != null) {
                alarm.cancel(false);
                timer.shutdownNow();
                if (cpu.runDepth() == 0) drainStop();
            }
        }
    }

    /** Stops {@link #start} at the next instruction boundary: from a hook, or from another thread. */
    public void stop() {
        cpu.requestStop();
    }

    /** A stop requested by a timer that fired as the run ended must not end the next run at once. */
    private void drainStop() {
        cpu.run(0);
    }

    /** The CPU underneath, for what the facade does not cover (segment registers, the x87, I/O ports through {@link #machine()}). */
    public Cpu cpu() { return cpu; }

    public Machine machine() { return machine; }
}

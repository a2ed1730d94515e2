package dev.fixup.debug;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.ExceptionEvent;
import dev.fixup.cpu.ExceptionListener;
import dev.fixup.cpu.Segment;
import java.io.PrintStream;

/**
 * Exception and interrupt lines in the format of qemu-system-i386's {@code -d int}, so that logs
 * from the two machines can be read (and diffed) side by side. For each delivery: a
 * {@code check_exception} line for a CPU exception (not for int n or a hardware interrupt), the
 * {@code v=} line (a running count, vector, error code, whether it is int n, CPL, CS:EIP, the
 * linear pc, SS:ESP, then CR2 for a page fault or EAX otherwise), and the register dump.
 *
 * <p>Where Fixup's state has no counterpart the dump prints what qemu prints for the same
 * situation: no LDT (a null selector with qemu's reset values), A20 on, no SMM, no EFER, and
 * condition codes already folded into EFLAGS ({@code CCO=EFLAGS}).
 */
public final class QemuIntLog implements ExceptionListener {
    private final PrintStream out;
    private int count;
    /** The vector of the last exception, for the "old" of a double fault (qemu's old_exception). */
    private int lastException = -1;

    public QemuIntLog(PrintStream out) {
        this.out = out;
    }

    /** Puts a log in front of the CPU's current listener (the kernel's tracer), which still runs after it. */
    public static void install(Cpu cpu, PrintStream out) {
        QemuIntLog log = new QemuIntLog(out);
        ExceptionListener next = cpu.getExceptionListener();
        cpu.setExceptionListener((c, e) -> {
            log.exception(c, e);
            if (next != null) next.exception(c, e);
        });
    }

    @Override
    public void exception(Cpu cpu, ExceptionEvent e) {
        StringBuilder s = new StringBuilder();
        boolean cpuException = !e.software() && !e.external();
        if (cpuException) {
            int old = e.vector() == 8 ? lastException : -1; // only a double fault has an exception in progress
            s.append(String.format("check_exception old: 0x%x new 0x%x%n", old, e.vector()));
            lastException = e.vector();
        }
        Segment cs = cpu.segment(Cpu.SEG_CS);
        s.append(String.format("%6d: v=%02x e=%04x i=%d cpl=%d IP=%04x:%08x pc=%08x SP=%04x:%08x",
                count++, e.vector(), e.errorCode() < 0 ? 0 : e.errorCode() & 0xFFFF, e.software() ? 1 : 0, e.cpl(),
                e.cs(), e.eip(), cs.base() + e.eip(), e.ss(), e.esp()));
        s.append(e.vector() == 0x0e ? String.format(" CR2=%08x", e.cr2()) : String.format(" env->regs[R_EAX]=%08x", cpu.reg(Cpu.EAX)));
        s.append(System.lineSeparator());
        registers(cpu, e, s);
        out.print(s);
        out.flush();
    }

    /** qemu's register dump (x86_cpu_dump_state for a 32-bit CPU, with the condition-code line). */
    static void registers(Cpu cpu, ExceptionEvent e, StringBuilder s) {
        registers(cpu, e.eip(), s);
    }

    /** The dump with EIP as given (the faulting instruction's, for an exception). */
    static void registers(Cpu cpu, int eip, StringBuilder s) {
        int efl = cpu.getEflags();
        s.append(String.format("EAX=%08x EBX=%08x ECX=%08x EDX=%08x%n", cpu.reg(Cpu.EAX), cpu.reg(Cpu.EBX), cpu.reg(Cpu.ECX), cpu.reg(Cpu.EDX)));
        s.append(String.format("ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n", cpu.reg(Cpu.ESI), cpu.reg(Cpu.EDI), cpu.reg(Cpu.EBP), cpu.reg(Cpu.ESP)));
        s.append(String.format("EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%d II=0 A20=1 SMM=0 HLT=%d%n", eip, efl,
                flag(efl, 10, 'D'), flag(efl, 11, 'O'), flag(efl, 7, 'S'), flag(efl, 6, 'Z'), flag(efl, 4, 'A'),
                flag(efl, 2, 'P'), flag(efl, 0, 'C'), cpu.getCpl(), cpu.isHalted() ? 1 : 0));
        String[] names = {"ES ", "CS ", "SS ", "DS ", "FS ", "GS "};
        for (int seg = Cpu.SEG_ES; seg <= Cpu.SEG_GS; seg++) {
            Segment g = cpu.segment(seg);
            int flags = descriptorFlags(g);
            s.append(String.format("%s=%04x %08x %08x %08x%s%n", names[seg], g.selector(), g.base(), g.limit(), flags, segmentKind(flags)));
        }
        s.append(String.format("LDT=0000 00000000 0000ffff 00008200 DPL=0 LDT%n"));
        s.append(String.format("TR =%04x 00000000 00000000 00008b00 DPL=0 TSS32-busy%n", cpu.getTr()));
        s.append(String.format("GDT=     %08x %08x%n", cpu.getGdtBase(), cpu.getGdtLimit()));
        s.append(String.format("IDT=     %08x %08x%n", cpu.getIdtBase(), cpu.getIdtLimit()));
        s.append(String.format("CR0=%08x CR2=%08x CR3=%08x CR4=%08x%n", cpu.getCr0(), cpu.getCr2(), cpu.getCr3(), cpu.getCr4()));
        s.append(String.format("DR0=%08x DR1=%08x DR2=%08x DR3=%08x %n", dr(cpu, 0), dr(cpu, 1), dr(cpu, 2), dr(cpu, 3)));
        s.append(String.format("DR6=%08x DR7=%08x%n", dr(cpu, 6), dr(cpu, 7)));
        s.append(String.format("CCS=%08x CCD=%08x CCO=%s%n", efl & 0x8D5, 0, "EFLAGS"));
        s.append(String.format("EFER=%016x%n", 0));
    }

    /**
     * What qemu appends to a present segment's line in protected mode: its DPL, then CS16/CS32 with
     * [conforming, readable, accessed] or DS16/DS with [expand-down, writable, accessed].
     */
    static String segmentKind(int flags) {
        if ((flags & 0x8000) == 0) return "";
        int dpl = flags >>> 13 & 3;
        boolean big = (flags & 0x400000) != 0;
        if ((flags & 0x800) != 0) {
            return String.format(" DPL=%d %s [%c%c%c]", dpl, big ? "CS32" : "CS16",
                    (flags & 0x400) != 0 ? 'C' : '-', (flags & 0x200) != 0 ? 'R' : '-', (flags & 0x100) != 0 ? 'A' : '-');
        }
        return String.format(" DPL=%d %s [%c%c%c]", dpl, big ? "DS  " : "DS16",
                (flags & 0x400) != 0 ? 'E' : '-', (flags & 0x200) != 0 ? 'W' : '-', (flags & 0x100) != 0 ? 'A' : '-');
    }

    private static char flag(int eflags, int bit, char c) {
        return (eflags >>> bit & 1) != 0 ? c : '-';
    }

    private static int dr(Cpu cpu, int n) {
        return cpu.get(dev.fixup.x86.Reg.valueOf("DR" + n));
    }

    /**
     * The descriptor bits qemu keeps as a segment's flags (bits 8-23 of the descriptor's high
     * dword): the access byte, D/B, and G when the limit needs it.
     */
    static int descriptorFlags(Segment g) {
        if (!g.usable()) return 0;
        boolean pages = Integer.compareUnsigned(g.limit(), 0xFFFFF) > 0;
        int rawLimit = pages ? g.limit() >>> 12 : g.limit();
        return g.access() << 8 | (rawLimit >>> 16 & 0xF) << 16 | (g.big() ? 0x400000 : 0) | (pages ? 0x800000 : 0);
    }
}

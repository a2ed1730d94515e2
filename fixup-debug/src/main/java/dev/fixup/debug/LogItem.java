package dev.fixup.debug;

import dev.fixup.cpu.Cpu;
import dev.fixup.kernel.KernelConfig.TraceClass;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The items of {@code fixup run -d}: QEMU's (same name, same format as qemu-system-i386 or
 * qemu-i386 writes them) and Fixup's own (the kernel's view of the fault path), whose names are
 * none of QEMU's.
 */
public enum LogItem {
    INT("int", null, "exceptions and interrupts as qemu-system logs them (check_exception, v=.., register dump)"),
    IN_ASM("in_asm", null, "each block of guest code disassembled the first time it runs (qemu's IN: blocks)"),
    EXEC("exec", null, "a qemu Trace line each time a block of guest code starts"),
    CPU("cpu", null, "the registers before each block of guest code, in qemu's dump format"),
    PAGE("page", TraceClass.PAGE, "qemu's page dump: the mappings after exec and after each mmap/munmap/mprotect"),
    STRACE("strace", TraceClass.STRACE, "system calls as qemu-user's -strace prints them: PID name(args) = result"),
    FAULT("fault", TraceClass.FAULT, "Fixup: one line per CPU exception (vector, error code, CR2, EIP, CPL)"),
    EXTABLE("extable", TraceClass.EXTABLE, "Fixup: each exception-table fixup (faulting instruction -> fixup code)"),
    OOPS("oops", TraceClass.OOPS, "Fixup: the first line of each oops (the whole oops is in the kernel log)"),
    MM("mm", TraceClass.MM, "Fixup: what exec mapped, and do_page_fault's vma decision for each page fault"),
    SCHED("sched", TraceClass.SCHED, "Fixup: each fork and each exit (the tasks, clone flags, exit status)"),
    SYS("sys", TraceClass.SYS, "Fixup: each system call in the kernel's own format (name(args) = result)"),
    IRQ("irq", TraceClass.IRQ, "Fixup: hardware and software interrupts other than CPU exceptions");

    public final String itemName;
    public final TraceClass kernelClass;
    public final String description;

    LogItem(String name, TraceClass kernelClass, String description) {
        this.itemName = name;
        this.kernelClass = kernelClass;
        this.description = description;
    }

    /** Parses -d's comma-separated names; an unknown name is an IllegalArgumentException with a one-line message. */
    public static EnumSet<LogItem> parse(List<String> names) {
        EnumSet<LogItem> set = EnumSet.noneOf(LogItem.class);
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            LogItem found = null;
            for (LogItem i : values()) if (i.itemName.equals(name)) found = i;
            if (found == null) {
                String hint = name.equals("syscall") ? " (Fixup's syscall lines are now 'sys'; 'strace' gives qemu's format)" : " (-d help lists them)";
                throw new IllegalArgumentException("unknown log item '" + raw.trim() + "'" + hint);
            }
            set.add(found);
        }
        return set;
    }

    /** The text of -d help: one line per item. */
    public static String help() {
        StringBuilder b = new StringBuilder("Log items (comma separated):").append(System.lineSeparator());
        for (LogItem i : values()) b.append(String.format("%-10s %s%n", i.itemName, i.description));
        return b.toString();
    }

    /** The kernel's classes among the items (set in KernelConfig.trace before boot). */
    public static EnumSet<TraceClass> kernelClasses(Set<LogItem> items) {
        EnumSet<TraceClass> r = EnumSet.noneOf(TraceClass.class);
        for (LogItem i : items) if (i.kernelClass != null) r.add(i.kernelClass);
        return r;
    }

    /**
     * Installs the CPU-level logs among the items on a booted machine's CPU: int as an exception
     * listener in front of the kernel's, in_asm/exec/cpu as the instruction hook.
     */
    public static void installCpuLogs(Cpu cpu, Set<LogItem> items, PrintStream out, IntFunction<String> symbols) {
        if (items.contains(INT)) QemuIntLog.install(cpu, out);
        if (items.contains(IN_ASM) || items.contains(EXEC) || items.contains(CPU)) {
            cpu.setInstructionHook(new QemuExecLog(out, items.contains(IN_ASM), items.contains(EXEC), items.contains(CPU), symbols));
        }
    }
}

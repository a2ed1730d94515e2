package dev.fixup.kernel;

import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.PageFaultHandler;
import dev.fixup.kernel.mm.Vma;
import dev.fixup.kernel.proc.Exec;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.syscall.QemuStrace;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.ExceptionEvent;
import dev.fixup.elf.AddressSymbolizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's -d log items (see {@link KernelConfig.TraceClass}) and its {@link KernelObserver}:
 * one place that hears of every exception, page-fault decision, fixup, oops, system call and exec.
 */
public final class Tracer {
    private final KernelConfig cfg;
    /** Built on first use: sorting the kernel's symbols is boot work that only traces and oopses need. */
    private final java.util.function.Supplier<AddressSymbolizer> makeSymbolizer;
    private AddressSymbolizer symbolizer;
    private final Kernel k;
    /** How often each exception-table entry (by its instruction address) has been used. */
    final Map<Integer, Integer> fixupHits = new ConcurrentHashMap<>();

    Tracer(KernelConfig cfg, java.util.function.Supplier<AddressSymbolizer> symbolizer, Kernel k) {
        this.cfg = cfg;
        this.makeSymbolizer = symbolizer;
        this.k = k;
    }

    private int pid() {
        Task t = k.current;
        return t == null ? 0 : t.pid;
    }

    /** The CPU's listener: called before each delivery through the IDT. */
    void exception(Cpu c, ExceptionEvent e) {
        boolean exception = e.vector() < 32 && !e.external() && !e.software();
        if (exception && cfg.tracing(KernelConfig.TraceClass.FAULT)) {
            line(String.format("fault: v=%02x e=%04x cr2=%08x eip=%08x cpl=%d",
                    e.vector(), e.errorCode() == -1 ? 0 : e.errorCode() & 0xFFFF, e.cr2(), e.eip(), e.cpl()));
        } else if (!exception && cfg.tracing(KernelConfig.TraceClass.IRQ)) {
            line(String.format("irq: v=%02x eip=%08x cpl=%d%s", e.vector(), e.eip(), e.cpl(), e.external() ? " irq" : ""));
        }
        if (exception && cfg.observer != null) cfg.observer.exception(pid(), e);
    }

    /** do_page_fault's decision for a fault it did not send to vmalloc_fault. */
    public void pageFault(PtRegs regs, int errorCode, int cr2, Vma vma, boolean good) {
        if (!cfg.tracing(KernelConfig.TraceClass.MM) && cfg.observer == null) return;
        boolean user = (errorCode & PageFaultHandler.USER) != 0;
        String decision;
        if (vma == null || vma.start > Layout.u(cr2) && !good && !vma.has(Vma.VM_GROWSDOWN)) {
            decision = "no vma: bad_area (SEGV_MAPERR)";
        } else if (vma.start > Layout.u(cr2) && !good) {
            decision = "below the stack vma " + vma + ", not grown: bad_area (SEGV_MAPERR)";
        } else if (good) {
            decision = "vma " + vma + ": good_area, handle_mm_fault";
        } else {
            String why = (errorCode & PageFaultHandler.WRITE) != 0 ? "not writable"
                    : (errorCode & PageFaultHandler.PROTECTION) != 0 ? "protection" : "not readable";
            decision = "vma " + vma + " " + why + ": bad_area (SEGV_ACCERR)";
        }
        if (!good) decision += user ? " -> SIGSEGV" : " -> no_context: search the exception table";
        if (cfg.tracing(KernelConfig.TraceClass.MM)) {
            line(String.format("mm: do_page_fault eip=%08x cr2=%08x err=%x %s: %s", regs.eip(), cr2, errorCode,
                    user ? "user" : "kernel", decision));
        }
        if (cfg.observer != null) cfg.observer.pageFault(pid(), regs.eip(), cr2, errorCode, vma, decision);
    }

    void fixup(int eip, int fixup) {
        fixupHits.merge(eip, 1, Integer::sum);
        if (cfg.tracing(KernelConfig.TraceClass.EXTABLE)) {
            line(String.format("extable: eip=%08x <%s> -> fixup=%08x <%s>", eip, symbolize(eip), fixup, symbolize(fixup)));
        }
        if (cfg.observer != null) cfg.observer.fixup(eip, fixup);
    }

    void oops(String text) {
        String first = text.strip().lines().findFirst().orElse("");
        if (cfg.tracing(KernelConfig.TraceClass.OOPS)) line("oops: " + first);
        if (cfg.observer != null) cfg.observer.oops(pid(), first);
    }

    /** The start of a system call: qemu's strace text (pid, name, arguments); {@code again}: a re-issued call, already shown. */
    public void syscallStart(String name, int[] args, boolean again) {
        deferredArgs = null;
        if (cfg.observer != null && (name.equals("exit") || name.equals("exit_group"))) cfg.observer.exiting(pid());
        if (again || !cfg.tracing(KernelConfig.TraceClass.STRACE)) return;
        try {
            cfg.traceOut.print(QemuStrace.call(k.cpu, pid(), name, args));
            cfg.traceOut.flush();
        } catch (QemuStrace.NotYetReadable e) {
            deferredArgs = args; // a path on a page not faulted in yet: the call has it in memory once it ran
        }
    }

    /** The arguments of a call whose strace text waits for its end (see {@link #syscallStart}). */
    private int[] deferredArgs;

    /** The end of a system call: the kernel's own line (built by {@code line}), qemu's result, the observer. */
    public void syscallEnd(String name, int result, java.util.function.Supplier<String> line) {
        if (cfg.tracing(KernelConfig.TraceClass.SYS)) line(line.get());
        if (cfg.tracing(KernelConfig.TraceClass.STRACE)) {
            if (deferredArgs != null) {
                cfg.traceOut.print(QemuStrace.call(k.cpu, pid(), name, deferredArgs, false));
                deferredArgs = null;
            }
            cfg.traceOut.print(QemuStrace.result(name, result));
            cfg.traceOut.flush();
        }
        if (cfg.tracing(KernelConfig.TraceClass.PAGE) && result >= 0
                && (name.equals("mmap2") || name.equals("mmap") || name.equals("munmap") || name.equals("mprotect") || name.equals("mremap"))) {
            pageDump("mmap", k.current == null ? null : k.current.mm);
        }
        if (cfg.observer != null) cfg.observer.syscallReturned(pid(), name, result);
    }

    public void sys(String line) {
        if (cfg.tracing(KernelConfig.TraceClass.SYS)) line(line);
    }

    public void sched(String line) {
        if (cfg.tracing(KernelConfig.TraceClass.SCHED)) line("sched: " + line);
    }

    /** What exec made: the kernel's mm lines, and qemu's page dump with the layout fields it knows. */
    void exec(Task t, Exec.Image img) {
        if (cfg.tracing(KernelConfig.TraceClass.MM)) {
            line(String.format("mm: exec %s pid=%d entry=%08x esp=%08x brk=%08x", t.comm, t.pid, img.entry(), img.esp(), img.mm().brk));
            for (Vma v : img.mm().vmas()) line("mm:   " + v);
        }
        if (cfg.tracing(KernelConfig.TraceClass.PAGE)) {
            pageDump("binary load", img.mm());
            Mm mm = img.mm();
            line(String.format("start_brk   0x%08x", mm.startBrk));
            line(String.format("end_code    0x%08x", mm.endCode));
            line(String.format("start_stack 0x%08x", img.esp()));
            line(String.format("brk         0x%08x", mm.brk));
            line(String.format("entry       0x%08x", img.entry()));
        }
    }

    /** qemu's page_dump: one line per mapping, "start-end size prot". */
    private void pageDump(String after, Mm mm) {
        if (mm == null) return;
        StringBuilder b = new StringBuilder();
        b.append("page layout changed following ").append(after).append(System.lineSeparator());
        b.append(String.format("%-8s %-8s %-8s %s%n", "start", "end", "size", "prot"));
        for (Vma v : mm.vmas()) {
            b.append(String.format("%08x-%08x %08x %c%c%c%n", v.start, v.end, v.end - v.start,
                    v.has(Vma.VM_READ) ? 'r' : '-', v.has(Vma.VM_WRITE) ? 'w' : '-', v.has(Vma.VM_EXEC) ? 'x' : '-'));
        }
        cfg.traceOut.print(b);
        cfg.traceOut.flush();
    }

    void line(String line) {
        cfg.traceOut.println(line);
        cfg.traceOut.flush();
    }

    private synchronized AddressSymbolizer symbolizer() {
        if (symbolizer == null) symbolizer = makeSymbolizer.get();
        return symbolizer;
    }

    String symbolize(int addr) {
        String s = symbolizer().name(addr);
        return s == null ? String.format("%08x", addr) : s;
    }

    /** The symbol for addr, or null. */
    String symbolOrNull(int addr) { return symbolizer().name(addr); }
}

package dev.fixup.kernel;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.ExceptionEvent;
import dev.fixup.elf.AddressSymbolizer;

/** The -d trace classes: one line per exception, per fixup, per syscall, per interrupt, per exec. */
final class Tracer {
    private final KernelConfig cfg;
    private final AddressSymbolizer symbolizer;

    Tracer(KernelConfig cfg, AddressSymbolizer symbolizer) {
        this.cfg = cfg;
        this.symbolizer = symbolizer;
    }

    /** The CPU's listener: called before each delivery through the IDT. */
    void exception(Cpu c, ExceptionEvent e) {
        boolean exception = e.vector() < 32 && !e.external();
        if (exception && cfg.tracing(KernelConfig.TraceClass.FAULT)) {
            line(String.format("fault: v=%02x e=%04x cr2=%08x eip=%08x cpl=%d",
                    e.vector(), e.errorCode() == -1 ? 0 : e.errorCode() & 0xFFFF, e.cr2(), e.eip(), e.cpl()));
        } else if (!exception && cfg.tracing(KernelConfig.TraceClass.INT)) {
            line(String.format("int: v=%02x eip=%08x cpl=%d%s", e.vector(), e.eip(), e.cpl(), e.external() ? " irq" : ""));
        }
    }

    void fixup(int eip, int fixup) {
        if (cfg.tracing(KernelConfig.TraceClass.EXTABLE)) {
            line(String.format("extable: eip=%08x <%s> -> fixup=%08x <%s>", eip, symbolize(eip), fixup, symbolize(fixup)));
        }
    }

    void syscall(String line) {
        if (cfg.tracing(KernelConfig.TraceClass.SYSCALL)) line(line);
    }

    void sched(String line) {
        if (cfg.tracing(KernelConfig.TraceClass.SCHED)) line("sched: " + line);
    }

    void line(String line) {
        cfg.traceOut.println(line);
        cfg.traceOut.flush();
    }

    String symbolize(int addr) {
        String s = symbolizer.name(addr);
        return s == null ? String.format("%08x", addr) : s;
    }
}

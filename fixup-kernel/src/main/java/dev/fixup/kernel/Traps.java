package dev.fixup.kernel;

import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;

/**
 * The CPU exceptions other than the page fault (Linux 2.4 arch/i386/kernel/traps.c). From user
 * mode they are the task's fault: it gets a signal. From kernel mode they are consulted against
 * the exception table like a page fault (a bad selector popped by the return path, for
 * instance), and without an entry the kernel dies with an oops.
 */
final class Traps {
    /** A trap's signal and si_code (0: sent as SI_KERNEL, with no address). */
    private record Trap(int signal, String name, int code) {
        Trap(int signal, String name) { this(signal, name, 0); }
    }

    private static final Trap[] TRAPS = {
        new Trap(Signal.SIGFPE, "divide error", Signal.FPE_INTDIV), // 0
        new Trap(Signal.SIGTRAP, "debug"),                       // 1
        null,                                                    // 2 NMI
        new Trap(Signal.SIGTRAP, "int3"),                        // 3
        new Trap(Signal.SIGSEGV, "overflow"),                    // 4
        new Trap(Signal.SIGSEGV, "bounds"),                      // 5
        new Trap(Signal.SIGILL, "invalid operand", Signal.ILL_ILLOPN), // 6
        new Trap(Signal.SIGSEGV, "device not available"),        // 7
        new Trap(Signal.SIGSEGV, "double fault"),                // 8
        new Trap(Signal.SIGFPE, "coprocessor segment overrun"),  // 9
        new Trap(Signal.SIGSEGV, "invalid TSS"),                 // 10
        new Trap(Signal.SIGBUS, "segment not present"),          // 11
        new Trap(Signal.SIGBUS, "stack segment"),                // 12
        new Trap(Signal.SIGSEGV, "general protection fault"),    // 13
        null,                                                    // 14 page fault: PageFaultHandler
        null,                                                    // 15 spurious
        new Trap(Signal.SIGFPE, "coprocessor error"),            // 16
        new Trap(Signal.SIGBUS, "alignment check"),              // 17
        new Trap(Signal.SIGBUS, "machine check"),                // 18
        new Trap(Signal.SIGFPE, "simd coprocessor error"),       // 19
    };

    /** The vector each trap service handles. */
    static int vectorOf(HostCall h) {
        int i = h.ordinal() - HostCall.DO_DIVIDE_ERROR.ordinal();
        return i < 14 ? i : i + 1;                           // vector 14, the page fault, has DO_PAGE_FAULT of its own
    }

    private final Kernel k;

    Traps(Kernel k) { this.k = k; }

    void doTrap(int vector, PtRegs regs, int errorCode) {
        if (vector == 2) { k.printk("Uhhuh. NMI received."); return; }
        if (vector == 15 || vector >= TRAPS.length || TRAPS[vector] == null) return;
        Trap t = TRAPS[vector];
        if (regs.fromUser()) {
            int code = vector == 16 ? k.cpu.fpuSiCode() : t.code;   // math_error: which unmasked x87 exception
            SigInfo info = code != 0 ? SigInfo.fault(t.signal, code, regs.eip(), vector, errorCode)
                    : new SigInfo(t.signal, Signal.SI_KERNEL, 0, 0, 0, 0, vector, errorCode);
            k.signals.force(k.current, info);
            return;
        }
        if (k.extable.fixupException(regs, k.tracer)) return;
        k.die(t.name, regs, errorCode, "");
    }
}

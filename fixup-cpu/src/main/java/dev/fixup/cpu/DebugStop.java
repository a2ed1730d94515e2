package dev.fixup.cpu;

/**
 * Why the CPU stopped for its debugger. For a watchpoint, {@code address} is the watchpoint's
 * first byte; otherwise it is EIP.
 */
public record DebugStop(Kind kind, int address) {
    public enum Kind {
        /** EIP reached a breakpoint; the instruction there has not run. */
        BREAKPOINT,
        /** One instruction ran (or a fault or interrupt was delivered) after a single-step request. */
        STEP,
        /** The instruction that just ran wrote, read, or read or wrote watched bytes. */
        WRITE_WATCH, READ_WATCH, ACCESS_WATCH,
        /** {@link DebugControl#interrupt()} was called (gdb's Ctrl-C, or gdb connecting). */
        INTERRUPT
    }
}

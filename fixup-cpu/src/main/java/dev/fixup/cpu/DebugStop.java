package dev.fixup.cpu;

/**
 * Why the CPU stopped for its debugger. For {@link Kind#WATCH}, {@code address} is the watched
 * address whose bytes changed; otherwise it is EIP.
 */
public record DebugStop(Kind kind, int address) {
    public enum Kind {
        /** EIP reached a breakpoint; the instruction there has not run. */
        BREAKPOINT,
        /** One instruction ran (or a fault or interrupt was delivered) after a single-step request. */
        STEP,
        /** The instruction that just ran changed the bytes of a write watchpoint. */
        WATCH,
        /** {@link DebugControl#interrupt()} was called (gdb's Ctrl-C),. */
        INTERRUPT
    }
}

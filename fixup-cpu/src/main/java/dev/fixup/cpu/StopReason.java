package dev.fixup.cpu;

/** Why {@link Cpu#run(long)} or {@link Cpu#runUntil(int)} returned. */
public enum StopReason {
    /** The instruction budget was used up. */
    INSTRUCTION_LIMIT,
    /** EIP reached the address given to runUntil. */
    REACHED_ADDRESS,
    /** {@link Cpu#requestStop()} was called. */
    STOP_REQUESTED,
    /** hlt with interrupts disabled (or nothing that could wake the CPU). */
    HALTED,
    /** A fault while delivering a double fault: the hardware resets; state is left for inspection. */
    TRIPLE_FAULT
}

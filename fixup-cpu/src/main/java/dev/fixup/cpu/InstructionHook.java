package dev.fixup.cpu;

/**
 * Called on the CPU's thread before each instruction while set ({@link Cpu#setInstructionHook}):
 * QEMU-style execution logs and the embedding API's code hooks use it. While a hook is set the CPU
 * runs one interpreted instruction at a time (translated blocks and any chaining between them
 * are off), so the cost when no hook is set is nothing. The hook may stop the run
 * ({@link Cpu#requestStop()}) or move EIP: either takes effect before the instruction executes.
 */
@FunctionalInterface
public interface InstructionHook {
    void beforeInstruction(Cpu cpu, int eip);
}

package dev.fixup.cpu;

/**
 * A debugger attached to a {@link Cpu} (see {@link DebugControl}). Called on the CPU's own thread,
 * at an instruction boundary, with the machine state complete; the CPU does not move until the
 * method returns, so a debugger reads and writes registers and memory from inside it, then returns
 * to let the guest go on.
 */
@FunctionalInterface
public interface DebugHook {
    void stopped(Cpu cpu, DebugStop stop);
}

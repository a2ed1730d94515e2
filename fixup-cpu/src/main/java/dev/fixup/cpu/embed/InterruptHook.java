package dev.fixup.cpu.embed;

/**
 * Called for {@code int n} and for CPU exceptions other than page faults (Unicorn's UC_HOOK_INTR).
 * For {@code int n} EIP is already the next instruction's; for a fault (#UD, #GP, #DE) it is the
 * faulting instruction's, so the hook moves EIP past it or calls {@link Emulator#stop()}, or the
 * instruction faults again.
 */
@FunctionalInterface
public interface InterruptHook {
    void interrupt(Emulator emu, int vector);
}

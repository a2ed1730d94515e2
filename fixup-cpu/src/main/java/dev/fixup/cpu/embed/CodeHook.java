package dev.fixup.cpu.embed;

/** Called before each instruction in the hooked range (Unicorn's UC_HOOK_CODE). */
@FunctionalInterface
public interface CodeHook {
    /** {@code size}: the instruction's length in bytes. The hook may read and write state, or call {@link Emulator#stop()}. */
    void code(Emulator emu, int address, int size);
}

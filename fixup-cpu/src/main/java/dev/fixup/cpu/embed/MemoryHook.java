package dev.fixup.cpu.embed;

/**
 * Called when an instruction reads or writes memory in the hooked range, before the access
 * (Unicorn's UC_HOOK_MEM_READ / UC_HOOK_MEM_WRITE). The address is the access's first byte; the
 * MMU that reports it knows neither its width nor, for a write, the value, so a write's value is
 * read from memory after the instruction. Instruction fetches from a hooked page count as reads.
 */
@FunctionalInterface
public interface MemoryHook {
    void access(Emulator emu, MemoryAccess type, int address);
}

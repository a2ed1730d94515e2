package dev.fixup.cpu.embed;

/**
 * Called when an access faults because its page is unmapped or lacks a permission (Unicorn's
 * UC_HOOK_MEM_UNMAPPED / UC_HOOK_MEM_PROT). EIP is the faulting instruction's. Return true to
 * run that instruction again (after mapping the page, say); false to stop the emulation with an
 * {@link EmulatorException}.
 */
@FunctionalInterface
public interface InvalidMemoryHook {
    boolean invalid(Emulator emu, MemoryAccess type, int address);
}

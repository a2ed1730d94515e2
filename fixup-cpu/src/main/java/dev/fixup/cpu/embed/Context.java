package dev.fixup.cpu.embed;

/**
 * A saved register state ({@link Emulator#saveContext()}): the general registers in encoding order
 * (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI), EIP and EFLAGS. Memory is not part of it.
 */
public record Context(int[] registers, int eip, int eflags) {
    public Context {
        registers = registers.clone();
    }

    @Override
    public int[] registers() { return registers.clone(); }
}

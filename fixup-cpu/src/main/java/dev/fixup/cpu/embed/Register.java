package dev.fixup.cpu.embed;

/** The registers an {@link Emulator} reads and writes: the eight general registers, EIP and EFLAGS. */
public enum Register {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EIP, EFLAGS
}

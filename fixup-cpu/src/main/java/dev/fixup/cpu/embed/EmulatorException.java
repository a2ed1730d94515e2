package dev.fixup.cpu.embed;

/** Why {@link Emulator#start} stopped on an error: an invalid access no hook handled, an unhandled exception, a triple fault. */
public final class EmulatorException extends RuntimeException {
    /** The kind of error, in Unicorn's terms. */
    public enum Kind { READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROT, WRITE_PROT, FETCH_PROT, EXCEPTION, TRIPLE_FAULT, MAP }

    private final Kind kind;
    private final int address;

    public EmulatorException(Kind kind, int address, String message) {
        super(message);
        this.kind = kind;
        this.address = address;
    }

    public Kind kind() { return kind; }

    /** The faulting address for a memory error, the vector for EXCEPTION, otherwise 0. */
    public int address() { return address; }
}

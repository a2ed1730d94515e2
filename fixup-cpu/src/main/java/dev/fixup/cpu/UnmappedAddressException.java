package dev.fixup.cpu;

/** A debugger-style linear access hit a page that is not present (no guest fault is raised). */
public final class UnmappedAddressException extends RuntimeException {
    private final int address;

    public UnmappedAddressException(int address) {
        super(String.format("linear address 0x%08x is not mapped", address));
        this.address = address;
    }

    public int address() { return address; }
}

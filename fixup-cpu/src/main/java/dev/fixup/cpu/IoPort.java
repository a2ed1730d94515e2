package dev.fixup.cpu;

/** A device on the I/O port bus. {@code size} is 1, 2 or 4 bytes. */
public interface IoPort {
    int in(int port, int size);

    void out(int port, int size, int value);
}

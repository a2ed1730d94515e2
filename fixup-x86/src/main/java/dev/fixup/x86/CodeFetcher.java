package dev.fixup.x86;

/** Source of instruction bytes for the decoder. May throw (e.g. the CPU's page fault); it propagates untouched. */
@FunctionalInterface
public interface CodeFetcher {
    /** Byte (0-255) at the given linear address. */
    int fetch8(int linearAddr);
}

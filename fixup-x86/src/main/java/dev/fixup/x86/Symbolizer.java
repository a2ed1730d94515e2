package dev.fixup.x86;

/** Names branch targets for the disassembler. */
@FunctionalInterface
public interface Symbolizer {
    /** "&lt;sym+0x12&gt;" for the address, or null when nothing is known. */
    String symbolize(int address);

    Symbolizer NONE = a -> null;
}

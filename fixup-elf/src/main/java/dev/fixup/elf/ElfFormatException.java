package dev.fixup.elf;

/** Malformed ELF input. The message names the offending field, e.g. "e_shoff: 0x99999 beyond end of file (4096 bytes)". */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String message) { super(message); }
}

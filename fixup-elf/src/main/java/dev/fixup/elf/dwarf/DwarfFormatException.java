package dev.fixup.elf.dwarf;

/**
 * Malformed DWARF: the message names the section, the offset and the field, e.g.
 * ".debug_line+0x1c: line_range is 0". Unchecked, because a reader meets it deep inside a
 * decoding loop; the tools catch it and print the message as one line.
 */
public final class DwarfFormatException extends RuntimeException {
    public DwarfFormatException(String message) { super(message); }
}

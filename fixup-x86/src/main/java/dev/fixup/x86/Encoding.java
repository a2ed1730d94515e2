package dev.fixup.x86;

import java.util.List;

/**
 * Bytes of one encoded instruction plus where its immediates, displacements and branch offsets sit,
 * so the assembler can patch constants and emit R_386_32 / R_386_PC32 there.
 * warnings: GNU-as style warnings (e.g. default operand size used), without the "Warning: " prefix.
 */
public record Encoding(byte[] bytes, List<Field> fields, List<String> warnings) {

    public enum FieldKind { IMM, DISP, REL }

    /**
     * @param offset byte offset within {@link #bytes}
     * @param size 1, 2 or 4
     * @param operandIndex index of the AT&T operand (as passed to the encoder) this field comes from
     */
    public record Field(int offset, int size, FieldKind kind, int operandIndex) { }

    public Encoding(byte[] bytes, List<Field> fields) {
        this(bytes, fields, List.of());
    }

    public int length() { return bytes.length; }
}

package dev.fixup.x86;

/**
 * How to encode one instruction.
 * @param shortBranch jmp/jcc use rel8 (the assembler's relaxation decides); jecxz/loop are always rel8
 * @param code16 assemble for 16-bit code (.code16): operand/address size prefixes are inverted
 * @param address the instruction's address (section offset); used to compute rel fields for non-relocatable
 *        branch targets, the assembler normally patches REL fields itself
 */
public record EncodeOptions(boolean shortBranch, boolean code16, long address) {
    public static final EncodeOptions DEFAULT = new EncodeOptions(false, false, 0);

    public EncodeOptions(boolean shortBranch, boolean code16) {
        this(shortBranch, code16, 0);
    }

    public EncodeOptions withShortBranch(boolean s) { return new EncodeOptions(s, code16, address); }
    public EncodeOptions withAddress(long a) { return new EncodeOptions(shortBranch, code16, a); }
}

package dev.fixup.asm;

/**
 * A field whose value is known only once the layout is final: a data word or instruction field holding
 * an expression. Becomes either patched bytes or a relocation.
 */
final class PendingField {
    enum Kind { DATA, IMM, DISP, BRANCH }

    final Frag frag;
    /** Offset of the field within the frag (a relaxed jump's field lies in the frag's variable tail). */
    int offset;
    final int size;
    final Expr expr;
    final Kind kind;
    /** For BRANCH fields: bytes from the field's start to the end of the instruction (the PC base). */
    final int pcBase;
    final int line;
    /** A relaxed jmp/jcc: resolved within its section even against a global symbol, as GNU as does. */
    boolean relaxed;
    /** Made from a jmp/jcc frag at the end of relaxation. */
    boolean fromJumpFrag;
    /** PLT, GOT, GOTOFF or GOTPC when the expression says sym@KIND; else null. */
    final String specifier;
    /** A load (mov, test, binop) or indirect call/jmp whose @GOT field GNU as marks R_386_GOT32X (relaxable by the linker). */
    boolean gotRelaxable;
    /** Offset of the field in its instruction: an immediate $_GLOBAL_OFFSET_TABLE_ adds it to the addend. */
    int fieldInInstruction;

    PendingField(Frag frag, int offset, int size, Expr expr, Kind kind, int pcBase, int line) {
        this.frag = frag;
        this.offset = offset;
        this.size = size;
        this.expr = expr;
        this.kind = kind;
        this.pcBase = pcBase;
        this.line = line;
        this.specifier = Expr.specifier(expr);
    }
}

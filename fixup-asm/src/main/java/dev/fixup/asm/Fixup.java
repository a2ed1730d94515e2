package dev.fixup.asm;

/**
 * A field whose value is known only once the layout is final: a data word or instruction field holding
 * an expression. Becomes either patched bytes or a relocation.
 */
final class Fixup {
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

    Fixup(Frag frag, int offset, int size, Expr expr, Kind kind, int pcBase, int line) {
        this.frag = frag;
        this.offset = offset;
        this.size = size;
        this.expr = expr;
        this.kind = kind;
        this.pcBase = pcBase;
        this.line = line;
    }
}

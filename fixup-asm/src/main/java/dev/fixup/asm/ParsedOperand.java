package dev.fixup.asm;

import dev.fixup.x86.Reg;

/** One AT&T operand as written, with its expressions still unevaluated. */
final class ParsedOperand {
    enum Kind { REGISTER, IMMEDIATE, MEMORY }

    Kind kind;
    boolean indirect;
    Reg reg;
    Expr imm;
    Reg seg, base, index;
    int scale = 1;
    Expr disp;

    /** A bare expression: a branch target or an absolute address. */
    boolean isBareAddress() { return kind == Kind.MEMORY && base == null && index == null && seg == null && !indirect; }
}

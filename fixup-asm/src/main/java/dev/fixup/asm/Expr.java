package dev.fixup.asm;

/** An expression as parsed; evaluated when it is used and again once every address is known. */
sealed interface Expr {
    record Num(long value) implements Expr { }

    record SymRef(AsmSymbol symbol) implements Expr { }

    /** The location counter `.` where the expression was written. */
    record Dot(Frag frag, int offset) implements Expr { }

    record Unary(char op, Expr operand) implements Expr { }

    record Binary(String op, Expr left, Expr right) implements Expr { }
}

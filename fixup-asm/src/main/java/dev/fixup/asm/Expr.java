package dev.fixup.asm;

/** An expression as parsed; evaluated when it is used and again once every address is known. */
sealed interface Expr {
    record Num(long value) implements Expr { }

    record SymRef(AsmSymbol symbol) implements Expr { }

    /** The location counter `.` where the expression was written. */
    record Dot(Frag frag, int offset) implements Expr { }

    record Unary(char op, Expr operand) implements Expr { }

    record Binary(String op, Expr left, Expr right) implements Expr { }

    /** A location view number (.loc ... view SYM): it depends on addresses, so it is computed on demand. */
    record LineView(View view) implements Expr { }

    /** The view number, or null while it is not known yet. */
    interface View { Long number(boolean layoutKnown); }

    /** sym@PLT, sym@GOT, sym@GOTOFF, sym@GOTPC: the field needs that relocation type against sym. */
    record Reloc(String kind, Expr target) implements Expr { }

    /** The relocation specifier in an expression (the first, walking without recursion), or null. */
    static String specifier(Expr root) {
        Reloc r = reloc(root);
        return r == null ? null : r.kind();
    }

    /** The first sym@KIND node of an expression, or null. */
    static Reloc reloc(Expr root) {
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (e instanceof Reloc r) return r;
            if (e instanceof Unary u) todo.push(u.operand());
            if (e instanceof Binary b) {
                todo.push(b.right());
                todo.push(b.left());
            }
        }
        return null;
    }
}

package dev.fixup.asm;

/**
 * Evaluates expressions. While parsing ({@code layoutKnown == false}) only what GNU as knows at that
 * point is constant: absolute equates and differences of two locations in the same frag; anything else
 * yields null ("not known yet"). Once the layout is final, differences within a section are constant too.
 */
final class Evaluator {
    private final boolean layoutKnown;
    private final java.util.function.Consumer<String> warn;
    private int depth;

    Evaluator(boolean layoutKnown) { this(layoutKnown, w -> { }); }

    Evaluator(boolean layoutKnown, java.util.function.Consumer<String> warn) {
        this.layoutKnown = layoutKnown;
        this.warn = warn;
    }

    Value eval(Expr e) {
        if (e instanceof Expr.Num n) return Value.of(n.value());
        if (e instanceof Expr.Dot d) return new Value(0, new Value.Term(null, d.frag(), d.offset()), null);
        if (e instanceof Expr.SymRef r) return symbol(r.symbol());
        if (e instanceof Expr.Unary u) {
            Value v = eval(u.operand());
            if (v == null) return null;
            if (!v.isConstant()) return invalid(v, v, String.valueOf(u.op()));
            long x = v.constant();
            return Value.of(switch (u.op()) {
                case '-' -> -x;
                case '~' -> ~x;
                default -> x == 0 ? 1 : 0;
            });
        }
        Expr.Binary b = (Expr.Binary) e;
        Value l = eval(b.left());
        Value r = eval(b.right());
        if (l == null || r == null) return null;
        switch (b.op()) {
            case "+":
                if (r.isConstant()) return l.plus(r.constant());
                if (l.isConstant()) return r.plus(l.constant());
                if (l.sub() == null && r.sub() != null && r.add() == null) return subtract(l, new Value(r.constant(), r.sub(), null), b.op(), true);
                return invalid(l, r, "+");
            case "-":
                if (r.isConstant()) return l.plus(-r.constant());
                return subtract(l, r, "-", false);
            default:
                break;
        }
        if ((b.op().equals("==") || b.op().equals("!=")) && !(l.isConstant() && r.isConstant())) {
            Boolean eq = symbolicEquality(l, r);
            if (eq != null) return Value.of(eq == b.op().equals("==") ? -1 : 0);
        }
        if (!l.isConstant() || !r.isConstant()) return invalid(l, r, b.op());
        long x = l.constant(), y = r.constant();
        return Value.of(switch (b.op()) {
            case "*" -> x * y;
            // GNU as warns and divides by 1 instead
            case "/" -> { if (y == 0) warn.accept("division by zero"); yield y == 0 ? x : x / y; }
            case "%" -> { if (y == 0) warn.accept("division by zero"); yield y == 0 ? 0 : x % y; }
            case "<<" -> y >= 64 ? 0 : x << y;
            case ">>" -> y >= 64 ? 0 : x >>> y;
            case "|" -> x | y;
            case "&" -> x & y;
            case "^" -> x ^ y;
            case "!" -> x | ~y;
            case "==" -> x == y ? -1 : 0;
            case "!=" -> x != y ? -1 : 0;
            case "<" -> x < y ? -1 : 0;
            case ">" -> x > y ? -1 : 0;
            case "<=" -> x <= y ? -1 : 0;
            case ">=" -> x >= y ? -1 : 0;
            case "&&" -> (x != 0 && y != 0) ? 1 : 0;
            case "||" -> (x != 0 || y != 0) ? 1 : 0;
            default -> throw new AsmError("unknown operator " + b.op());
        });
    }

    /**
     * What GNU as answers for == and != on values that are not both constants: the same symbol plus the
     * same constant is equal; an undefined symbol is unequal to any constant. null = no answer.
     */
    private static Boolean symbolicEquality(Value l, Value r) {
        if (l.sub() != null || r.sub() != null) return null;
        if (l.add() != null && r.add() != null && l.add().sameAs(r.add())) return l.constant() == r.constant();
        Value.Term t = l.isConstant() ? r.add() : r.isConstant() ? l.add() : null;
        if (t != null && !t.located() && t.symbol() != null && t.symbol().kind == AsmSymbol.Kind.UNDEFINED) return false;
        return null;
    }

    /** l - r where r is not constant. */
    private Value subtract(Value l, Value r, String op, boolean negatedAdd) {
        if (l.add() == null && l.sub() == null && r.sub() == null) {
            // constant - symbol: only a PC-relative relocation against nothing can hold it
            if (!layoutKnown) return null;
            return new Value(l.constant() - r.constant(), null, r.add());
        }
        if (l.sub() != null || r.sub() != null || l.add() == null) return invalid(l, r, op);
        Value.Term a = l.add(), s = r.add();
        long c = l.constant() - r.constant();
        if (a.sameAs(s)) return Value.of(c);
        if (a.located() && s.located()) {
            if (a.frag() == s.frag()) return Value.of(c + a.offset() - s.offset());
            if (layoutKnown && a.section() == s.section()) return Value.of(c + a.address() - s.address());
        }
        if (!layoutKnown) return null;
        return new Value(c, a, s);
    }

    private Value invalid(Value l, Value r, String op) {
        if (!layoutKnown) return null;
        throw new AsmError("invalid operands (" + sectionName(l) + " and " + sectionName(r) + " sections) for `" + op + "'");
    }

    private static String sectionName(Value v) {
        if (v.isConstant()) return "*ABS*";
        Value.Term t = v.add() != null ? v.add() : v.sub();
        if (t.located()) return t.section().name;
        return t.symbol().kind == AsmSymbol.Kind.COMMON ? "*COM*" : "*UND*";
    }

    private Value symbol(AsmSymbol s) {
        switch (s.kind) {
            case LABEL:
                return new Value(0, new Value.Term(s.section == null ? s : null, s.frag, s.offset), null);
            case EQUATE:
                if (++depth > 100) throw new AsmError("symbol definition loop encountered at `" + s.name + "'");
                try {
                    Value v = eval(s.equate);
                    // a local alias of a label is a local location, whatever the label's binding
                    if (v != null && !s.isExternal() && v.add() != null && v.add().located() && v.add().symbol() != null) {
                        v = new Value(v.constant(), new Value.Term(null, v.add().frag(), v.add().offset()), v.sub());
                    }
                    return v;
                } finally {
                    depth--;
                }
            default:
                return new Value(0, new Value.Term(s, null, 0), null);
        }
    }
}

package dev.fixup.asm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Evaluates expressions. While parsing ({@code layoutKnown == false}) only what GNU as knows at that
 * point is constant: absolute equates and differences of two locations in the same frag; anything else
 * yields null ("not known yet"). Once the layout is final, differences within a section are constant too.
 */
final class Evaluator {
    private final boolean layoutKnown;
    private final java.util.function.Consumer<String> warn;

    Evaluator(boolean layoutKnown) { this(layoutKnown, w -> { }); }

    Evaluator(boolean layoutKnown, java.util.function.Consumer<String> warn) {
        this.layoutKnown = layoutKnown;
        this.warn = warn;
    }

    /** Marks, on the work stack, that a node's operands are on the value stack and it can be applied. */
    private record Apply(Expr node) { }

    /** Marks the end of an equate's expression: its value is on the value stack. */
    private record Leave(AsmSymbol symbol) { }

    /**
     * Evaluates with explicit stacks instead of recursion: expression trees and chains of equates may be
     * as deep as memory allows (GNU as has no depth limit either). An equate met again while its own
     * value is being computed is a real definition loop.
     */
    Value eval(Expr root) {
        List<Object> work = new ArrayList<>();
        List<Value> values = new ArrayList<>(); // null = not known yet
        Set<AsmSymbol> resolving = null;
        work.add(root);
        while (!work.isEmpty()) {
            Object item = work.remove(work.size() - 1);
            if (item instanceof Apply a) {
                if (a.node() instanceof Expr.Unary u) {
                    values.add(unary(u, values.remove(values.size() - 1)));
                } else {
                    Expr.Binary b = (Expr.Binary) a.node();
                    Value r = values.remove(values.size() - 1);
                    Value l = values.remove(values.size() - 1);
                    values.add(l == null || r == null ? null : binary(b.op(), l, r));
                }
            } else if (item instanceof Leave leave) {
                resolving.remove(leave.symbol());
                values.add(localAlias(leave.symbol(), values.remove(values.size() - 1)));
            } else if (item instanceof Expr.Num n) {
                values.add(Value.of(n.value()));
            } else if (item instanceof Expr.Dot d) {
                values.add(new Value(0, new Value.Term(null, d.frag(), d.offset()), null));
            } else if (item instanceof Expr.SymRef r) {
                AsmSymbol s = r.symbol();
                if (s.kind != AsmSymbol.Kind.EQUATE) {
                    values.add(symbol(s));
                    continue;
                }
                if (resolving == null) resolving = Collections.newSetFromMap(new IdentityHashMap<>());
                if (!resolving.add(s)) throw new AsmError("symbol definition loop encountered at `" + s.name + "'");
                work.add(new Leave(s));
                work.add(s.equate);
            } else if (item instanceof Expr.LineView lv) {
                Long n = lv.view().number(layoutKnown);
                values.add(n == null ? null : Value.of(n));
            } else if (item instanceof Expr.Reloc r) {
                // while parsing such a field is never known: it always becomes a relocation
                if (layoutKnown) work.add(r.target());
                else values.add(null);
            } else if (item instanceof Expr.Unary u) {
                work.add(new Apply(u));
                work.add(u.operand());
            } else {
                Expr.Binary b = (Expr.Binary) item;
                work.add(new Apply(b));
                work.add(b.right());
                work.add(b.left()); // evaluated first
            }
        }
        return values.get(0);
    }

    private Value unary(Expr.Unary u, Value v) {
        if (v == null) return null;
        if (!v.isConstant()) return invalid(v, v, String.valueOf(u.op()));
        return Value.of(unary(u.op(), v.constant()));
    }

    static long unary(char op, long x) {
        return switch (op) {
            case '-' -> -x;
            case '~' -> ~x;
            default -> x == 0 ? 1 : 0;
        };
    }

    private Value binary(String op, Value l, Value r) {
        switch (op) {
            case "+":
                if (r.isConstant()) return l.plus(r.constant());
                if (l.isConstant()) return r.plus(l.constant());
                if (l.sub() == null && r.sub() != null && r.add() == null) return subtract(l, new Value(r.constant(), r.sub(), null), op, true);
                return invalid(l, r, "+");
            case "-":
                if (r.isConstant()) return l.plus(-r.constant());
                return subtract(l, r, "-", false);
            default:
                break;
        }
        if ((op.equals("==") || op.equals("!=")) && !(l.isConstant() && r.isConstant())) {
            Boolean eq = symbolicEquality(l, r);
            if (eq != null) return Value.of(eq == op.equals("==") ? -1 : 0);
        }
        if (!l.isConstant() || !r.isConstant()) return invalid(l, r, op);
        long x = l.constant(), y = r.constant();
        // GNU as warns and divides by 1 instead
        if (y == 0 && (op.equals("/") || op.equals("%"))) warn.accept("division by zero");
        return Value.of(binary(op, x, y));
    }

    /** A binary operator on two constants, as GNU as computes it (x / 0 = x, x % 0 = 0). */
    static long binary(String op, long x, long y) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> y == 0 ? x : x / y;
            case "%" -> y == 0 ? 0 : x % y;
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
            default -> throw new AsmError("unknown operator " + op);
        };
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

    /** A label, common or undefined symbol (equates are expanded by {@link #eval}). */
    private static Value symbol(AsmSymbol s) {
        if (s.kind == AsmSymbol.Kind.LABEL) return new Value(0, new Value.Term(s.section == null ? s : null, s.frag, s.offset), null);
        return new Value(0, new Value.Term(s, null, 0), null);
    }

    /** A local alias of a label is a local location, whatever the label's binding. */
    private static Value localAlias(AsmSymbol s, Value v) {
        if (v != null && !s.isExternal() && v.add() != null && v.add().located() && v.add().symbol() != null) {
            return new Value(v.constant(), new Value.Term(null, v.add().frag(), v.add().offset()), v.sub());
        }
        return v;
    }
}

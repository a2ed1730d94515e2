package dev.fixup.link;

import java.util.List;

/**
 * An expression of the linker-script language. Values are 32-bit addresses held in longs and
 * truncated to 32 bits after each operation, as ld computes on a 32-bit target.
 */
public sealed interface ScriptExpression {

    /** What an expression can look up while the layout is being computed. */
    interface Context {
        long dot();
        /** Value of a symbol, or null if it has no value (yet). */
        Long symbol(String name);
        boolean defined(String name);
        /** Output-section queries; null when there is no such section. */
        Long sectionAddress(String name);
        Long sectionLoadAddress(String name);
        Long sectionSize(String name);
        long sizeofHeaders();
        /** Reports an expression that cannot be evaluated (undefined symbol, unknown section, /0). */
        long fail(int line, String message);
    }

    long eval(Context c);

    /** True when the value depends only on numbers (no '.', symbols or sections). */
    boolean isConstant();

    static long u32(long v) { return v & 0xffffffffL; }

    record Num(long value, String text) implements ScriptExpression {
        public long eval(Context c) { return u32(value); }
        public boolean isConstant() { return true; }
    }

    record Dot(int line) implements ScriptExpression {
        public long eval(Context c) { return c.dot(); }
        public boolean isConstant() { return false; }
    }

    record Sym(String name, int line) implements ScriptExpression {
        public long eval(Context c) {
            Long v = c.symbol(name);
            return v != null ? u32(v) : c.fail(line, "undefined symbol `" + name + "' referenced in expression");
        }
        public boolean isConstant() { return false; }
    }

    record Unary(char op, ScriptExpression e) implements ScriptExpression {
        public long eval(Context c) {
            long v = e.eval(c);
            return switch (op) { case '-' -> u32(-v); case '~' -> u32(~v); case '!' -> v == 0 ? 1 : 0; default -> v; };
        }
        public boolean isConstant() { return e.isConstant(); }
    }

    record Binary(String op, ScriptExpression l, ScriptExpression r, int line) implements ScriptExpression {
        public long eval(Context c) {
            long a = l.eval(c), b = r.eval(c);
            int sa = (int) a, sb = (int) b;
            return u32(switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> b == 0 ? c.fail(line, "division by zero") : a / b;
                case "%" -> b == 0 ? c.fail(line, "division by zero") : a % b;
                case "<<" -> a << (b & 31);
                case ">>" -> a >>> (b & 31);
                case "&" -> a & b;
                case "|" -> a | b;
                case "^" -> a ^ b;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                // ld compares as signed values of the target's address width
                case "<" -> sa < sb ? 1 : 0;
                case "<=" -> sa <= sb ? 1 : 0;
                case ">" -> sa > sb ? 1 : 0;
                case ">=" -> sa >= sb ? 1 : 0;
                case "&&" -> (a != 0 && b != 0) ? 1 : 0;
                case "||" -> (a != 0 || b != 0) ? 1 : 0;
                default -> throw new IllegalStateException(op);
            });
        }
        public boolean isConstant() { return l.isConstant() && r.isConstant(); }
    }

    record Conditional(ScriptExpression cond, ScriptExpression yes, ScriptExpression no) implements ScriptExpression {
        public long eval(Context c) { return cond.eval(c) != 0 ? yes.eval(c) : no.eval(c); }
        public boolean isConstant() { return cond.isConstant() && yes.isConstant() && no.isConstant(); }
    }

    /** A built-in function: ALIGN, ADDR, LOADADDR, SIZEOF, ABSOLUTE, DEFINED, MAX, MIN, ... */
    record Call(String name, List<ScriptExpression> args, String sectionOrSymbol, int line) implements ScriptExpression {
        public long eval(Context c) {
            switch (name) {
                case "ALIGN", "BLOCK", "NEXT" -> {
                    long base = args.size() == 2 ? args.get(0).eval(c) : c.dot();
                    long n = args.get(args.size() - 1).eval(c);
                    return alignUp(base, n);
                }
                case "ABSOLUTE", "DATA_SEGMENT_END", "LOG2CEIL_UNUSED" -> { return args.get(0).eval(c); }
                case "MAX" -> { return Math.max(args.get(0).eval(c), args.get(1).eval(c)); }
                case "MIN" -> { return Math.min(args.get(0).eval(c), args.get(1).eval(c)); }
                case "DATA_SEGMENT_ALIGN" -> {
                    long max = args.get(0).eval(c);
                    return u32(alignUp(c.dot(), max) + (c.dot() & (max - 1)));
                }
                case "DATA_SEGMENT_RELRO_END" -> { return c.dot(); }
                case "SIZEOF_HEADERS" -> { return c.sizeofHeaders(); }
                case "CONSTANT" -> { return 0x1000; }
                case "DEFINED" -> { return c.defined(sectionOrSymbol) ? 1 : 0; }
                case "ADDR", "LOADADDR", "SIZEOF" -> {
                    Long v = name.equals("ADDR") ? c.sectionAddress(sectionOrSymbol)
                            : name.equals("LOADADDR") ? c.sectionLoadAddress(sectionOrSymbol) : c.sectionSize(sectionOrSymbol);
                    return v != null ? u32(v) : c.fail(line, name + " of undefined section `" + sectionOrSymbol + "'");
                }
                default -> throw new IllegalStateException(name);
            }
        }
        public boolean isConstant() {
            if (name.equals("ALIGN") && args.size() == 2) return args.get(0).isConstant() && args.get(1).isConstant();
            if (name.equals("ABSOLUTE") || name.equals("MAX") || name.equals("MIN"))
                return args.stream().allMatch(ScriptExpression::isConstant);
            return name.equals("CONSTANT");
        }
    }

    static long alignUp(long v, long n) {
        if (n <= 1) return u32(v);
        return u32((v + n - 1) / n * n);
    }
}

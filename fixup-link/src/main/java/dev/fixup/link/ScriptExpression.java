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
        /** Size of the data segment (DATA_SEGMENT_ALIGN to DATA_SEGMENT_END) in the previous pass, or -1. */
        default long dataSegmentSize() { return -1; }
        /** Where DATA_SEGMENT_ALIGN / DATA_SEGMENT_END put the data segment in this pass. */
        default void dataSegment(boolean start, long at) { }
    }

    /** The value, computed without recursion (an expression may be a 100,000-term chain). */
    default long eval(Context c) { return ExpressionEvaluator.eval(this, c); }

    /** True when the value depends only on numbers (no '.', symbols or sections). */
    default boolean isConstant() { return ExpressionEvaluator.isConstant(this); }

    static long u32(long v) { return v & 0xffffffffL; }

    record Num(long value, String text) implements ScriptExpression {}

    record Dot(int line) implements ScriptExpression {}

    record Sym(String name, int line) implements ScriptExpression {
        long apply(Context c) {
            Long v = c.symbol(name);
            return v != null ? u32(v) : c.fail(line, "undefined symbol `" + name + "' referenced in expression");
        }
    }

    record Unary(char op, ScriptExpression e) implements ScriptExpression {
        long apply(long v) {
            return switch (op) { case '-' -> u32(-v); case '~' -> u32(~v); case '!' -> v == 0 ? 1 : 0; default -> v; };
        }
    }

    record Binary(String op, ScriptExpression l, ScriptExpression r, int line) implements ScriptExpression {
        long apply(long a, long b, Context c) {
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
    }

    /** cond ? yes : no; only the chosen branch is evaluated. */
    record Conditional(ScriptExpression cond, ScriptExpression yes, ScriptExpression no) implements ScriptExpression {}

    /** A built-in function: ALIGN, ADDR, LOADADDR, SIZEOF, ABSOLUTE, DEFINED, MAX, MIN, ... */
    record Call(String name, List<ScriptExpression> args, String sectionOrSymbol, int line) implements ScriptExpression {
        /** The function applied to its evaluated arguments. */
        long apply(long[] v, Context c) {
            switch (name) {
                case "ALIGN", "BLOCK", "NEXT" -> {
                    long base = v.length == 2 ? v[0] : c.dot();
                    return alignUp(base, v[v.length - 1]);
                }
                case "ABSOLUTE", "LOG2CEIL_UNUSED" -> { return v[0]; }
                case "DATA_SEGMENT_END" -> { c.dataSegment(false, v[0]); return v[0]; }
                case "MAX" -> { return Math.max(v[0], v[1]); }
                case "MIN" -> { return Math.min(v[0], v[1]); }
                case "DATA_SEGMENT_ALIGN" -> {
                    // ld: the data segment starts at the same offset in the next page, unless it would
                    // start and end inside two different common pages whose used parts fit in one page:
                    // then it starts on a common-page boundary, a page shorter
                    long max = v[0], common = v[1], dot = c.dot();
                    long samePage = u32(alignUp(dot, max) + (dot & (max - 1)));
                    long fewer = u32(alignUp(dot, max) + ((dot + common - 1) & (max - common)));
                    long size = c.dataSegmentSize(), end = samePage + size;
                    long first = -samePage & (common - 1), last = end & (common - 1);
                    boolean savesPage = size >= 0 && first != 0 && last != 0 && (samePage & -common) != (end & -common) && first + last <= common;
                    long r = savesPage ? fewer : samePage;
                    c.dataSegment(true, r);
                    return r;
                }
                case "DATA_SEGMENT_RELRO_END" -> { return c.dot(); }
                case "SIZEOF_HEADERS" -> { return c.sizeofHeaders(); }
                case "CONSTANT" -> { return 0x1000; }
                case "DEFINED" -> { return c.defined(sectionOrSymbol) ? 1 : 0; }
                case "ADDR", "LOADADDR", "SIZEOF" -> {
                    Long r = name.equals("ADDR") ? c.sectionAddress(sectionOrSymbol)
                            : name.equals("LOADADDR") ? c.sectionLoadAddress(sectionOrSymbol) : c.sectionSize(sectionOrSymbol);
                    return r != null ? u32(r) : c.fail(line, name + " of undefined section `" + sectionOrSymbol + "'");
                }
                default -> throw new IllegalStateException(name);
            }
        }

        /** Whether the function's value follows from its arguments alone. */
        boolean constantIfArgsAre() {
            return (name.equals("ALIGN") && args.size() == 2) || name.equals("ABSOLUTE") || name.equals("MAX") || name.equals("MIN");
        }
    }

    /** How many common pages [start, start+size) touches. */
    static long alignUp(long v, long n) {
        if (n <= 1) return u32(v);
        return u32((v + n - 1) / n * n);
    }
}

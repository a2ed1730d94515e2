package dev.fixup.link;

import dev.fixup.link.ScriptExpression.*;

import java.util.ArrayDeque;

/**
 * Walks an expression tree with explicit stacks instead of the Java call stack: GNU ld folds a
 * 100,000-term chain or hundreds of nested parentheses, and a script must not be able to end the
 * link in StackOverflowError. Each frame remembers how many of its operands are done.
 */
final class ExpressionEvaluator {
    private ExpressionEvaluator() {}

    private static final class Frame {
        final ScriptExpression node;
        int step;
        Frame(ScriptExpression node) { this.node = node; }
    }

    static long eval(ScriptExpression root, ScriptExpression.Context c) {
        ArrayDeque<Frame> work = new ArrayDeque<>();
        LongStack values = new LongStack();
        work.push(new Frame(root));
        while (!work.isEmpty()) {
            Frame f = work.peek();
            ScriptExpression n = f.node;
            if (n instanceof Num num) { values.push(ScriptExpression.u32(num.value())); work.pop(); }
            else if (n instanceof Dot) { values.push(c.dot()); work.pop(); }
            else if (n instanceof Sym s) { values.push(s.apply(c)); work.pop(); }
            else if (n instanceof Unary u) {
                if (f.step++ == 0) work.push(new Frame(u.e()));
                else { values.push(u.apply(values.pop())); work.pop(); }
            } else if (n instanceof Binary b) {
                switch (f.step++) {
                    case 0 -> work.push(new Frame(b.l()));
                    case 1 -> work.push(new Frame(b.r()));
                    default -> { long r = values.pop(), l = values.pop(); values.push(b.apply(l, r, c)); work.pop(); }
                }
            } else if (n instanceof Conditional q) {
                switch (f.step++) {
                    case 0 -> work.push(new Frame(q.cond()));
                    case 1 -> work.push(new Frame(values.pop() != 0 ? q.yes() : q.no()));
                    default -> work.pop(); // the branch's value is the result
                }
            } else {
                Call call = (Call) n;
                if (f.step < call.args().size()) work.push(new Frame(call.args().get(f.step++)));
                else {
                    long[] args = new long[call.args().size()];
                    for (int i = args.length - 1; i >= 0; i--) args[i] = values.pop();
                    values.push(call.apply(args, c));
                    work.pop();
                }
            }
        }
        return values.pop();
    }

    /** True when no leaf is '.', a symbol or a section query. */
    static boolean isConstant(ScriptExpression root) {
        ArrayDeque<ScriptExpression> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            ScriptExpression n = todo.pop();
            if (n instanceof Num) continue;
            if (n instanceof Dot || n instanceof Sym) return false;
            if (n instanceof Unary u) todo.push(u.e());
            else if (n instanceof Binary b) { todo.push(b.l()); todo.push(b.r()); }
            else if (n instanceof Conditional q) { todo.push(q.cond()); todo.push(q.yes()); todo.push(q.no()); }
            else {
                Call call = (Call) n;
                if (call.name().equals("CONSTANT")) continue;
                if (!call.constantIfArgsAre()) return false;
                call.args().forEach(todo::push);
            }
        }
        return true;
    }

    /** A growable stack of primitive longs. */
    private static final class LongStack {
        private long[] a = new long[16];
        private int n;
        void push(long v) { if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2); a[n++] = v; }
        long pop() { return a[--n]; }
    }
}

package dev.fixup.kernel;

import java.io.PrintStream;

/**
 * The output of an in-kernel self-test: one line per case, {@code PASS name} or
 * {@code FAIL name: detail}, then a total. A case may make many checks; it reports the first one
 * that failed, since later checks of a broken case mostly repeat the same news.
 */
final class SelfTestReport {
    private final PrintStream out;
    private int passed, failed;

    SelfTestReport(PrintStream out) { this.out = out; }

    /** One case: checks accumulate until {@link #end}. */
    final class Case {
        private final String name;
        private String failure;

        private Case(String name) { this.name = name; }

        /** Records a failed check unless ok; only the first failure of a case is kept. */
        Case check(boolean ok, String detail) {
            if (!ok && failure == null) failure = detail;
            return this;
        }

        Case eq(String what, long expected, long got) {
            return check(expected == got, what + ": expected " + expected + ", got " + got);
        }

        boolean failed() { return failure != null; }

        void end() {
            if (failure == null) {
                passed++;
                out.println("PASS " + name);
            } else {
                failed++;
                out.println("FAIL " + name + ": " + failure);
            }
        }
    }

    Case start(String name) { return new Case(name); }

    /** A case that is a single comparison. */
    void eq(String name, long expected, long got) { start(name).eq("result", expected, got).end(); }

    int passed() { return passed; }
    int failed() { return failed; }

    void total(String suite) {
        out.printf("%s: %d cases, %d passed, %d failed%n", suite, passed + failed, passed, failed);
        out.flush();
    }
}

package dev.fixup.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last resort of every tool: an exception no tool turned into a {@link ToolException} is a
 * bug in Fixup, not in the user's input. It becomes one line naming the tool and the exception,
 * with a hint to report it, and its own exit status; the stack trace is printed only when asked
 * for (environment variable {@value #TRACE_ENV}, or system property {@value #TRACE_PROPERTY}).
 */
final class InternalErrorHandler {
    /** EX_SOFTWARE from sysexits.h: no tool's ordinary failure uses it. */
    static final int STATUS = 70;
    static final String TRACE_ENV = "FIXUP_STACK_TRACE";
    static final String TRACE_PROPERTY = "fixup.stackTrace";

    /** How many times this JVM got here; the fuzz tests check that no input ever does. */
    private static final AtomicInteger COUNT = new AtomicInteger();

    private InternalErrorHandler() {}

    static int count() { return COUNT.get(); }

    static int report(String tool, Throwable t, PrintWriter err) {
        COUNT.incrementAndGet();
        String what = t instanceof StackOverflowError ? "java.lang.StackOverflowError (input nested too deeply)" : t.toString();
        err.println("fixup " + tool + ": internal error: " + what.replace('\n', ' ')
                + " (a bug in Fixup: please report it with the command line and input; " + TRACE_ENV + "=1 shows the stack trace)");
        if (traceWanted()) t.printStackTrace(err);
        err.flush();
        return STATUS;
    }

    private static boolean traceWanted() {
        String env = System.getenv(TRACE_ENV);
        return (env != null && !env.isEmpty() && !env.equals("0")) || Boolean.getBoolean(TRACE_PROPERTY);
    }
}

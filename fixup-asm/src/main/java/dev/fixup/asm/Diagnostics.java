package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings in GNU as's "file:line: error: message" form. */
final class Diagnostics {
    private final String file;
    private final List<String> lines = new ArrayList<>();
    private int errors;

    Diagnostics(String file) { this.file = file; }

    /** The macro invocations the current statement comes from, reported after each message as GNU as does. */
    int[] invokedFrom = Statement.TOP;

    void error(int line, String message) {
        lines.add(file + ":" + line + ": error: " + message);
        errors++;
        origin();
    }

    void warning(int line, String message) {
        lines.add(file + ":" + line + ": Warning: " + message);
        origin();
    }

    private void origin() {
        for (int i = 0; i < invokedFrom.length; i++) {
            lines.add(file + ":" + invokedFrom[i] + ": " + " ".repeat(i + 1) + "Info: macro invoked from here");
        }
    }

    boolean hasErrors() { return errors > 0; }

    List<String> all() { return lines; }
}

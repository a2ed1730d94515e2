package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings in GNU as's "file:line: error: message" form. */
final class Diagnostics {
    private final String file;
    private final List<String> lines = new ArrayList<>();
    private int errors;

    Diagnostics(String file) { this.file = file; }

    void error(int line, String message) {
        lines.add(file + ":" + line + ": error: " + message);
        errors++;
    }

    void warning(int line, String message) { lines.add(file + ":" + line + ": Warning: " + message); }

    boolean hasErrors() { return errors > 0; }

    List<String> all() { return lines; }
}

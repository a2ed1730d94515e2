package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects errors and warnings in GNU as's "file:line: error: message" form. Several inputs, and files
 * read by .include, are assembled as one stream: each gets its own range of line numbers here, so a
 * line number alone says which file and which line of it a message is about.
 */
final class Diagnostics {
    /** A file's range of lines: global lines first.. map to its lines 1..; parent = the .include's line, or 0. */
    private record Range(String file, int first, int parent) { }

    private final TreeMap<Integer, Range> ranges = new TreeMap<>();
    private int nextLine = 1;
    private final List<String> lines = new ArrayList<>();
    private int errors;

    Diagnostics(String file) { this.file = file; }

    /** The name used before any file is registered (and for line 0). */
    private final String file;

    /** The macro invocations the current statement comes from, reported after each message as GNU as does. */
    int[] invokedFrom = Statement.TOP;

    /** Gives a file of lineCount lines its range; returns the global number of its first line. */
    int register(String name, int lineCount, int includedFrom) {
        int first = nextLine;
        ranges.put(first, new Range(name, first, includedFrom));
        nextLine += lineCount + 1;
        return first;
    }

    /** How many .include directives lead to the file holding this line. */
    int includeDepth(int line) {
        int depth = 0;
        for (Range r = range(line); r != null && r.parent() > 0; r = range(r.parent())) depth++;
        return depth;
    }

    private Range range(int line) {
        Map.Entry<Integer, Range> e = ranges.floorEntry(line);
        return e == null ? null : e.getValue();
    }

    /** The name of the file holding a global line number. */
    String fileOf(int line) {
        Range r = range(line);
        return r == null ? file : r.file();
    }

    /** The line number within its file of a global line number. */
    int lineIn(int line) {
        Range r = range(line);
        return r == null ? line : line - r.first() + 1;
    }

    /** "file:line" for a global line number. */
    String where(int line) {
        Range r = range(line);
        return r == null ? file + ":" + line : r.file() + ":" + (line - r.first() + 1);
    }

    void error(int line, String message) {
        add(where(line) + ": error: " + message);
        errors++;
        origin();
    }

    void warning(int line, String message) {
        add(where(line) + ": Warning: " + message);
        origin();
    }

    private void origin() {
        for (int i = 0; i < invokedFrom.length; i++) {
            add(where(invokedFrom[i]) + ": " + " ".repeat(i + 1) + "Info: macro invoked from here");
        }
    }

    boolean hasErrors() { return errors > 0; }

    /** Fixup stops assembling after this many message lines (GNU as has no bound, nor a use for more). */
    static final int MAX_LINES = 100_000;

    boolean full() { return lines.size() >= MAX_LINES; }

    private void add(String line) {
        if (full()) return;
        lines.add(line);
        if (full()) lines.add(file + ": error: more than " + MAX_LINES + " messages; Fixup stops here");
    }

    List<String> all() { return lines; }
}

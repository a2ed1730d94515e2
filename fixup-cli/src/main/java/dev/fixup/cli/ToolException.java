package dev.fixup.cli;

import java.util.List;

/**
 * The one way a subcommand reports failure: lines for stderr and an exit status. Lines that are
 * already in a tool's own format (GNU as's "file:line: error: ...") are printed raw.
 */
public final class ToolException extends RuntimeException {
    private final List<String> lines;
    private final boolean raw;
    private final int status;

    public ToolException(String message) { this(List.of(message), false, 1); }

    public ToolException(List<String> lines, boolean raw, int status) {
        super(String.join("\n", lines), null, false, false);
        this.lines = List.copyOf(lines);
        this.raw = raw;
        this.status = status;
    }

    public List<String> lines() { return lines; }
    public boolean raw() { return raw; }
    public int status() { return status; }
}

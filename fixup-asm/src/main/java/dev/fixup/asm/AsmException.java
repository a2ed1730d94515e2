package dev.fixup.asm;

import java.util.List;

/** Assembly failed; {@link #diagnostics()} holds every error (and warning) as GNU as prints them. */
public final class AsmException extends Exception {
    private final List<String> diagnostics;

    public AsmException(List<String> diagnostics) {
        super(String.join("\n", diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Lines of the form "file:line: error: message" or "file:line: Warning: message". */
    public List<String> diagnostics() { return diagnostics; }
}

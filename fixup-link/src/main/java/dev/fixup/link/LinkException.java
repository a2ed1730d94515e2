package dev.fixup.link;

import java.util.List;

/** A failed link: one clear line per problem (several are collected before giving up). */
public final class LinkException extends Exception {
    private final List<String> errors;

    public LinkException(String error) { this(List.of(error)); }

    public LinkException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    /** Each problem as one line, in the order found. */
    public List<String> errors() { return errors; }
}

package dev.fixup.asm;

import java.util.ArrayList;
import java.util.List;

/** Collects the body of a .macro, .rept, .irp or .irpc up to its matching end, counting nesting. */
final class BodyCollector {
    final String kind;
    /** Where the definition starts, and the macro's name (for messages). */
    int line;
    String name = "";
    final List<Statement> body = new ArrayList<>();
    private int depth = 1;
    /** What to do with the body: define the macro or expand the repetition. */
    private final java.util.function.Consumer<List<Statement>> onEnd;

    BodyCollector(String kind, java.util.function.Consumer<List<Statement>> onEnd) {
        this.kind = kind;
        this.onEnd = onEnd;
    }

    /** Adds a statement; true when it was the matching end. */
    boolean add(Statement st) {
        String w = Assembly.firstWord(st.text());
        if (w.equals(".macro") || w.equals(".rept") || w.equals(".irp") || w.equals(".irpc")) depth++;
        if (w.equals(".endm") || w.equals(".endr")) {
            if (--depth == 0) return true;
        }
        body.add(st);
        return false;
    }

    void finish(Assembly asm) { onEnd.accept(body); }
}

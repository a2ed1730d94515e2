package dev.fixup.asm;

/** One open .if: whether its current branch is assembled, whether a branch was taken, and where it began. */
final class Conditional {
    boolean on;
    /** A branch was taken already, or an enclosing conditional is off: every later branch stays off. */
    boolean taken;
    final int ifLine;
    /** Line of its .else, or -1 before one is seen (GNU as refuses a second, and .elseif after it). */
    int elseLine = -1;

    Conditional(boolean on, boolean taken, int ifLine) {
        this.on = on;
        this.taken = taken;
        this.ifLine = ifLine;
    }

    /**
     * Reports ".else"/".elseif" after an .else as GNU as does (three errors: here, the .else, the .if);
     * true when the directive must be ignored.
     */
    boolean refusesAfterElse(Diagnostics diag, int line, boolean isElse) {
        if (elseLine < 0) return false;
        diag.error(line, isElse ? "duplicate \".else\"" : "\".elseif\" after \".else\"");
        diag.error(elseLine, "here is the previous \".else\"");
        diag.error(ifLine, "here is the previous \".if\"");
        return true;
    }
}

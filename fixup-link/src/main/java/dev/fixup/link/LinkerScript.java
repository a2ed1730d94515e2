package dev.fixup.link;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed GNU-ld linker script: ENTRY, PHDRS, and the SECTIONS statements in order (assignments
 * written outside SECTIONS keep their place relative to it). {@link SectionLayout} evaluates it.
 */
public final class LinkerScript {
    public final String fileName;
    /** ENTRY(symbol), or null. */
    public String entry;
    public final List<Statement> statements = new ArrayList<>();
    public final List<PhdrSpec> phdrs = new ArrayList<>();

    LinkerScript(String fileName) { this.fileName = fileName; }

    /** Parses script text; syntax errors read "file:line: syntax error near `tok'". */
    public static LinkerScript parse(String fileName, String text) throws LinkException {
        return new LinkerScriptParser(fileName, text).parse();
    }

    /** A top-level or SECTIONS-level statement. */
    public sealed interface Statement permits Assignment, OutputSection, Assert {}

    /** A statement inside an output section description. */
    public sealed interface SectionItem permits Assignment, InputSpec, Data, Assert {}

    /** ASSERT(expr, "message"): the link fails with the message when expr is zero. */
    public record Assert(ScriptExpression expr, String message, int line) implements Statement, SectionItem {}

    /**
     * `sym = expr;`, `. = expr;`, `sym += expr;` (op is the operator without '='), optionally inside
     * PROVIDE(...) / PROVIDE_HIDDEN(...).
     */
    public record Assignment(String symbol, String op, ScriptExpression expr, boolean provide, int line)
            implements Statement, SectionItem {
        public boolean isDot() { return symbol.equals("."); }
    }

    /** `filepattern(section patterns)`, possibly wrapped in KEEP(...) and with SORT(...) patterns. */
    public record InputSpec(String filePattern, List<String> excludeFiles, List<String> sectionPatterns, boolean keep,
                            boolean sort, int line) implements SectionItem {}

    /** BYTE/SHORT/LONG/QUAD(expr): size 1, 2, 4 or 8. */
    public record Data(int size, ScriptExpression expr, int line) implements SectionItem {}

    /** One output section description. Fields that were not written are null / empty. */
    public record OutputSection(String name, ScriptExpression address, ScriptExpression lma, ScriptExpression align,
                                boolean noload, List<SectionItem> items, List<String> phdrs, ScriptExpression fill,
                                byte[] fillPattern, int line) implements Statement {
        public boolean isDiscard() { return name.equals("/DISCARD/"); }
    }

    /** A PHDRS entry: `name PT_LOAD [FILEHDR] [PHDRS] [AT(expr)] [FLAGS(expr)];`. */
    public record PhdrSpec(String name, int type, boolean fileHeader, boolean programHeaders, ScriptExpression at,
                           ScriptExpression flags, int line) {}
}

package dev.fixup.asm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state of one assembly run: sections, symbols, the statement queue (macro and .rept expansions are
 * pushed back onto it) and the conditional-assembly stack. Statements are handled in source order, in
 * one pass, like GNU as; the layout and relocations are settled afterwards by {@link Relaxer} and
 * {@link ObjectWriter}.
 */
final class Assembly {
    final String fileName;
    final Diagnostics diag;
    final SymbolTable symbols = new SymbolTable();
    final LocalLabels localLabels = new LocalLabels();
    final Map<String, SectionBuffer> sections = new LinkedHashMap<>();
    SectionBuffer current, previous;
    final Deque<SectionBuffer[]> sectionStack = new ArrayDeque<>();
    final Evaluator parseEval;
    final Directives directives = new Directives(this);
    final InstructionAssembler instructions = new InstructionAssembler(this);
    final CallFrameInfo cfi = new CallFrameInfo(this);
    final DwarfLines lines = new DwarfLines(this);
    String fileSymbol;
    final List<String> idents = new ArrayList<>();
    /** Symbols whose use as an instance of a numeric local label must be checked at the end. */
    final List<AsmSymbol> localRefs = new ArrayList<>();
    int line;
    /** Macro invocation lines of the statement being handled (see {@link Statement#invokedFrom()}). */
    int[] invokedFrom = Statement.TOP;
    boolean ended;

    // statement queue, macros, conditionals
    private final Deque<Statement> queue = new ArrayDeque<>();
    final Map<String, Macro> macros = new HashMap<>();
    /** The open .if directives, innermost first. */
    private final Deque<Conditional> conds = new ArrayDeque<>();
    /** A .macro/.rept/.irp whose body is being collected, or null. */
    private BodyCollector collecting;
    int macroCounter;

    Assembly(String fileName) {
        this.fileName = fileName;
        this.diag = new Diagnostics(fileName);
        this.parseEval = new Evaluator(false, w -> diag.warning(line, w));
        for (String n : new String[] {".text", ".data", ".bss"}) section(n, null, null, 0);
        current = sections.get(".text");
    }

    /** Fixup's bound on nested .include directives (GNU as stops when it runs out of file descriptors). */
    static final int MAX_INCLUDE_DEPTH = 100;

    /** Directories searched by .include after the name as given (-I). */
    List<java.nio.file.Path> includeDirs = List.of();

    void run(String source) { run(List.of(new SourceInput(fileName, source)), List.of()); }

    /**
     * Assembles the inputs as one source, as GNU as does with several files; each "name=value" of
     * defsyms is assigned first (--defsym).
     */
    void run(List<SourceInput> inputs, List<String> defsyms) {
        if (!defsyms.isEmpty()) {
            int first = diag.register("--defsym", defsyms.size(), 0);
            for (int i = 0; i < defsyms.size(); i++) queue.add(new Statement(defsyms.get(i), first + i));
        }
        for (SourceInput in : inputs) queue.addAll(SourceReader.statements(in.text(), diag.register(in.name(), in.lineCount(), 0), diag));
        while (!queue.isEmpty() && !ended && !diag.full()) {
            Statement st = queue.pollFirst();
            line = st.line();
            invokedFrom = st.invokedFrom();
            diag.invokedFrom = invokedFrom;
            try {
                statement(st);
            } catch (AsmError e) {
                diag.error(line, e.getMessage());
            }
        }
        if (collecting != null) {
            diag.error(collecting.line, collecting.kind.equals(".macro")
                    ? "unexpected end of file in macro `" + collecting.name + "' definition"
                    : "end of file in " + collecting.kind + " without matching .endr");
        }
        diag.invokedFrom = Statement.TOP;
        cfi.checkClosed();
        if (!conds.isEmpty()) {
            diag.error(line, "end of file inside conditional");
            diag.error(conds.peek().ifLine, "here is the start of the unterminated conditional");
        }
    }

    /**
     * Fixup's bound on the statements that macros, repetitions and includes may add in one run. GNU as has
     * none, and a macro that invokes itself twice runs it for ever; this stops it with a clear error.
     */
    static final long MAX_EXPANDED = 10_000_000;
    long expansionBudget = MAX_EXPANDED;

    /** Pushes statements (a macro expansion) to be handled next, in order. */
    void pushFront(List<Statement> sts) {
        expansionBudget -= sts.size();
        if (expansionBudget < 0) {
            ended = true;
            throw new AsmError("more than " + MAX_EXPANDED + " statements from macros, repetitions and includes, Fixup's limit; stopping");
        }
        for (int i = sts.size() - 1; i >= 0; i--) queue.addFirst(sts.get(i));
    }

    // ---------------------------------------------------------------- statements

    private void statement(Statement st) {
        String text = st.text();
        if (collecting != null) {
            if (collecting.add(st.from(Statement.TOP))) {
                BodyCollector done = collecting;
                collecting = null;
                done.finish(this);
            }
            return;
        }
        if (!conds.isEmpty() && !conds.peek().on) {
            skipped(text);
            return;
        }
        Cursor c = new Cursor(text);
        // labels: "name:" or "N:" (numeric local label), possibly several
        while (true) {
            c.skipSpaces();
            int start = c.pos;
            String name = c.symbolName();
            if (name == null) {
                int p = c.pos;
                while (p < text.length() && Character.isDigit(text.charAt(p))) p++;
                if (p > c.pos && p < text.length() && text.charAt(p) == ':') {
                    // GNU as reads the number into an int
                    if (!LocalLabels.fits(text.substring(c.pos, p))) throw new AsmError("local label too large near " + text.substring(c.pos + 1));
                    defineLabel(localLabels.define(Long.parseLong(text.substring(c.pos, p))));
                    c.pos = p + 1;
                    continue;
                }
                break;
            }
            if (c.pos < text.length() && text.charAt(c.pos) == ':') {
                c.pos++;
                defineLabel(name);
                continue;
            }
            c.pos = start;
            break;
        }
        if (c.atEnd()) return;
        int start = c.pos;
        String word = c.symbolName();
        if (word == null) throw c.junk();
        c.skipSpaces();
        if (c.peek() == '=' && c.peekRaw(1) != '=') {
            c.pos++;
            directives.assign(word, c, false);
            return;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        if (macros.containsKey(lower)) {
            macros.get(lower).expand(this, c);
            return;
        }
        if (word.startsWith(".")) {
            directives.handle(lower, c);
            return;
        }
        c.pos = start;
        lines.instruction();
        if (lines.sourceLines) {
            // an instruction from a macro is on the line of the outermost invocation, as in GNU as
            int at = invokedFrom.length > 0 ? invokedFrom[invokedFrom.length - 1] : line;
            lines.sourceInstruction(diag.fileOf(at), diag.lineIn(at));
        }
        instructions.statement(c);
    }

    /** Tracks nesting of conditionals while a false branch is skipped. */
    private void skipped(String text) {
        String w = firstWord(text);
        if (w.equals(".else") || w.equals(".endif")) {
            Cursor c = new Cursor(text);
            c.symbolName();
            if (!c.atEnd()) diag.error(line, c.junk().getMessage());
        }
        if (w.startsWith(".if")) {
            conds.push(new Conditional(false, true, line));
        } else if (w.equals(".endif")) {
            conds.pop();
        } else if (w.equals(".else") || w.equals(".elseif")) {
            Conditional top = conds.peek();
            if (top.refusesAfterElse(diag, line, w.equals(".else"))) return;
            if (w.equals(".else")) top.elseLine = line;
            if (top.taken) return; // a branch was taken already (or an enclosing one is off)
            if (w.equals(".else")) {
                top.on = true;
                top.taken = true;
            } else {
                Cursor c = new Cursor(text);
                c.symbolName();
                boolean v = absolute(c, ".elseif") != 0;
                top.on = v;
                top.taken = v;
            }
        }
    }

    static String firstWord(String text) {
        Cursor c = new Cursor(text);
        String w = c.symbolName();
        return w == null ? "" : w.toLowerCase(Locale.ROOT);
    }

    void beginIf(boolean value) {
        boolean enclosingOn = conds.isEmpty() || conds.peek().on;
        conds.push(new Conditional(enclosingOn && value, !enclosingOn || value, line));
    }

    /** .else (value null) or .elseif met while the current branch is assembled: every later branch is off. */
    void elseIf(Boolean value) {
        if (conds.isEmpty()) throw new AsmError(value == null ? "\".else\" without matching \".if\"" : "\".elseif\" without matching \".if\"");
        Conditional top = conds.peek();
        if (top.refusesAfterElse(diag, line, value == null)) return;
        if (value == null) top.elseLine = line;
        top.on = false;
        top.taken = true;
    }

    void endIf() {
        if (conds.isEmpty()) throw new AsmError("\".endif\" without \".if\"");
        conds.pop();
    }

    /** .include "file": the file's statements come next; it is looked for as named, then in each -I directory. */
    void include(String name) {
        if (diag.includeDepth(line) >= MAX_INCLUDE_DEPTH) throw new AsmError("can't open " + name + " for reading: .include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        SourceInput in;
        try {
            in = SourceInput.read(locate(name));
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw new AsmError(e.getMessage().startsWith("can't open") ? e.getMessage() : "can't open " + name + " for reading: " + e.getMessage());
        }
        pushFront(SourceReader.statements(in.text(), diag.register(in.name(), in.lineCount(), line), diag));
    }

    /** The name as given if it exists, else the first -I directory that holds it, else the name (for the message). */
    private java.nio.file.Path locate(String name) {
        java.nio.file.Path p = java.nio.file.Path.of(name);
        if (java.nio.file.Files.exists(p)) return p;
        for (java.nio.file.Path dir : includeDirs) if (java.nio.file.Files.exists(dir.resolve(name))) return dir.resolve(name);
        return p;
    }

    void collect(BodyCollector b) {
        b.line = line;
        collecting = b;
    }

    // ---------------------------------------------------------------- sections and locations

    /** Finds or creates a section; flags/type null = the defaults GNU as gives that name. */
    SectionBuffer section(String name, Integer flags, Integer type, int entsize) {
        SectionBuffer s = sections.get(name);
        if (s != null) return s;
        int[] def = SectionDefaults.of(name);
        int t = type != null ? type : def[0];
        int f = flags != null ? flags : def[1];
        if (flags != null && def[2] == 1) f |= def[1];
        s = new SectionBuffer(name, t, f, entsize);
        sections.put(name, s);
        s.symbol = symbols.sectionSymbol(s);
        return s;
    }

    /** Every section change remembers where it came from, even a change to the same section (as GNU as). */
    void switchTo(SectionBuffer s) {
        previous = current;
        current = s;
    }

    Frag frag() { return current.current; }

    /**
     * Refuses, before any memory is taken, to add count items of itemSize bytes to a section when the
     * object's contents would grow past {@link SectionBuffer#MAX_SIZE}.
     */
    void checkGrowth(SectionBuffer into, long count, int itemSize) {
        long total = 0;
        for (SectionBuffer s : sections.values()) total += s.bytes();
        if (count > SectionBuffer.MAX_SIZE || total + count * itemSize > SectionBuffer.MAX_SIZE) throw SectionBuffer.tooLarge(into.name);
    }

    Expr dot() { return new Expr.Dot(frag(), frag().size); }

    void defineLabel(String name) {
        AsmSymbol s = symbols.get(name);
        // GNU as accepts a label defined twice at the same place, and a label replacing a .set value
        if (s.kind == AsmSymbol.Kind.LABEL && s.frag == frag() && s.offset == frag().size) return;
        if (s.kind == AsmSymbol.Kind.LABEL || s.kind == AsmSymbol.Kind.COMMON || (s.kind == AsmSymbol.Kind.EQUATE && s.once)) {
            throw new AsmError("symbol `" + visibleName(name) + "' is already defined");
        }
        s.kind = AsmSymbol.Kind.LABEL;
        s.frag = frag();
        s.offset = frag().size;
        s.line = line;
        s.equate = null;
    }

    static String visibleName(String name) {
        int sep = name.indexOf('\u0002');
        return sep < 0 ? name : name.substring(2, sep);
    }

    Expr localLabelRef(long n, boolean backward) {
        String name = backward ? localLabels.backward(n) : localLabels.forward(n);
        if (name == null) throw new AsmError("backward ref to unknown label \"" + n + ":\"");
        AsmSymbol s = symbols.get(name);
        if (!backward) localRefs.add(s);
        return new Expr.SymRef(s);
    }

    // ---------------------------------------------------------------- expressions

    Expr expr(Cursor c) { return new ExprParser(this, c).parse(); }

    /** An expression that must be an absolute constant now (counts, sizes, alignments, .if). */
    long absolute(Cursor c, String what) {
        Expr e = expr(c);
        Value v = parseEval.eval(e);
        if (v == null || !v.isConstant()) throw new AsmError("non-constant expression in \"" + what + "\" statement");
        return v.constant();
    }
}

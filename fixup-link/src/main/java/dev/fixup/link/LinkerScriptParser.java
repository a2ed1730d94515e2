package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.link.LinkerScript.*;
import dev.fixup.link.ScriptExpression.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for the GNU ld script language. Like ld it scans in two modes: names
 * (section names and wildcard patterns may contain '.', '*', '?', '/', '-') and expressions (where
 * '-' and '*' are operators).
 */
final class LinkerScriptParser {
    private final String file;
    private final String s;
    private int pos;
    private final LinkerScript script;

    LinkerScriptParser(String fileName, String text) {
        this.file = fileName;
        this.s = text;
        this.script = new LinkerScript(fileName);
    }

    /** Internal control flow for the first syntax error. */
    private static final class SyntaxError extends RuntimeException {
        SyntaxError(String m) { super(m, null, false, false); }
    }

    LinkerScript parse() throws LinkException {
        try {
            while (true) {
                skipSpace();
                if (pos >= s.length()) break;
                if (peekChar() == ';') { pos++; continue; }
                topLevel();
            }
            return script;
        } catch (SyntaxError e) {
            throw new LinkException(e.getMessage());
        }
    }

    private void topLevel() {
        int save = pos;
        String w = word();
        switch (w) {
            case "ENTRY" -> entry();
            case "SECTIONS" -> { expect("{"); sectionsBody(); }
            case "PHDRS" -> { expect("{"); phdrsBody(); }
            case "OUTPUT_FORMAT", "OUTPUT_ARCH", "SEARCH_DIR", "TARGET", "OUTPUT", "INPUT", "GROUP", "STARTUP",
                 "EXTERN", "FORCE_COMMON_ALLOCATION" -> { if (!w.equals("FORCE_COMMON_ALLOCATION")) skipParens(); }
            case "PROVIDE", "PROVIDE_HIDDEN" -> script.statements.add(provide());
            case "ASSERT" -> script.statements.add(assertion(lineAt(save)));
            case "" -> throw error();
            default -> { pos = save; script.statements.add(assignment()); }
        }
    }

    /** ENTRY(symbol): an empty one is a syntax error, as in ld. */
    private void entry() {
        expect("(");
        skipSpace();
        String name = nameToken();
        if (name.isEmpty()) throw error();
        script.entry = name;
        expect(")");
    }

    /** For a list whose entries end themselves (PHDRS { ... }). */
    private static final char NO_SEPARATOR = 0;

    /**
     * Skips blanks and separators inside a bracketed list; true, past it, at the closing
     * character. The text ending first is an error.
     */
    private boolean closes(char close, char separator) {
        if (separator == NO_SEPARATOR) separator = close;
        while (true) {
            skipSpace();
            if (pos >= s.length()) throw errorAtEnd();
            char c = peekChar();
            if (c == close) { pos++; return true; }
            if (c != separator) return false;
            pos++;
        }
    }

    private void sectionsBody() {
        while (!closes('}', ';')) {
            int save = pos;
            String w = nameToken();
            if (w.isEmpty()) throw error();
            if (w.equals("PROVIDE") || w.equals("PROVIDE_HIDDEN")) { script.statements.add(provide()); continue; }
            if (w.equals("ENTRY")) { entry(); continue; }
            if (w.equals("ASSERT")) { script.statements.add(assertion(lineAt(save))); continue; }
            skipSpace();
            // An assignment has '=' (or op=) after the name; an output section has an address or ':'.
            if (isAssignOp()) { pos = save; script.statements.add(assignment()); continue; }
            script.statements.add(outputSection(w, lineAt(save)));
        }
    }

    private OutputSection outputSection(String name, int line) {
        ScriptExpression address = null, lma = null, align = null, fill = null;
        boolean noload = false;
        skipSpace();
        if (peekChar() != ':') {
            // optional address then optional (TYPE)
            if (peekChar() == '(' && lookTypeKeyword()) {
                noload = sectionType();
            } else {
                address = expression();
                skipSpace();
                if (peekChar() == '(' && lookTypeKeyword()) noload = sectionType();
            }
        }
        expect(":");
        while (true) {
            skipSpace();
            int save = pos;
            String w = word();
            if (w.equals("AT")) { expect("("); lma = expression(); expect(")"); }
            else if (w.equals("ALIGN")) { expect("("); align = expression(); expect(")"); }
            else if (w.equals("SUBALIGN")) skipParens();
            else if (w.equals("ONLY_IF_RO") || w.equals("ONLY_IF_RW")) { /* accepted, always kept */ }
            else { pos = save; break; }
        }
        expect("{");
        List<SectionItem> items = new ArrayList<>();
        while (!closes('}', ';')) items.add(sectionItem());
        List<String> phdrs = new ArrayList<>();
        byte[] pattern = null;
        while (true) {
            skipSpace();
            char c = peekChar();
            if (c == '>') { pos++; nameToken(); continue; }  // memory regions: accepted, ignored
            if (c == ':') {
                pos++;
                skipSpace();
                String p = nameToken();
                if (p.isEmpty()) throw error();
                phdrs.add(p);
                continue;
            }
            if (c == '=' && !(pos + 1 < s.length() && s.charAt(pos + 1) == '=')) {
                pos++;
                skipSpace();
                int start = pos;
                fill = expression();
                pattern = fillPattern(s.substring(start, pos).trim(), fill);
                continue;
            }
            if (c == ',') { pos++; }
            break;
        }
        return new OutputSection(name, address, lma, align, noload, items, phdrs, fill, pattern, line);
    }

    /** ld: a plain hex literal gives a pattern of that many bytes (big-endian); otherwise four bytes. */
    private static byte[] fillPattern(String text, ScriptExpression e) {
        if (text.matches("0[xX][0-9a-fA-F]+")) {
            String hex = text.substring(2);
            if (hex.length() % 2 == 1) hex = "0" + hex;
            byte[] p = new byte[hex.length() / 2];
            for (int i = 0; i < p.length; i++) p[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            return p;
        }
        if (e.isConstant()) {
            long v = e.eval(null);
            return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        return null;
    }

    private boolean lookTypeKeyword() {
        int save = pos;
        pos++;
        String w = word();
        pos = save;
        return w.equals("NOLOAD") || w.equals("COPY") || w.equals("INFO") || w.equals("OVERLAY") || w.equals("DSECT")
                || w.equals("READONLY");
    }

    private boolean sectionType() {
        expect("(");
        String w = word();
        expect(")");
        return w.equals("NOLOAD");
    }

    private SectionItem sectionItem() {
        int save = pos;
        int line = lineAt(pos);
        String w = nameToken();
        skipSpace();
        switch (w) {
            case "KEEP" -> {
                expect("(");
                InputSpec in = inputSpec(true);
                expect(")");
                return in;
            }
            case "BYTE", "SHORT", "LONG", "QUAD", "SQUAD" -> {
                if (peekChar() == '(') {
                    expect("(");
                    ScriptExpression e = expression();
                    expect(")");
                    int size = switch (w) { case "BYTE" -> 1; case "SHORT" -> 2; case "LONG" -> 4; default -> 8; };
                    return new Data(size, e, line);
                }
            }
            case "PROVIDE", "PROVIDE_HIDDEN" -> { return provide(); }
            case "ASSERT" -> { if (peekChar() == '(') return assertion(line); }
            case "FILL" -> { skipParens(); return new Assignment(".", "+", new Num(0, "0"), false, line); }
            case "CREATE_OBJECT_SYMBOLS", "CONSTRUCTORS" -> { return new Assignment(".", "+", new Num(0, "0"), false, line); }
            default -> { }
        }
        if (w.isEmpty()) throw error();
        if (isAssignOp()) { pos = save; return assignment(); }
        pos = save;
        return inputSpec(false);
    }

    /** `file(pattern pattern ...)` or a bare file pattern (all its sections), with EXCLUDE_FILE and SORT. */
    private InputSpec inputSpec(boolean keep) {
        skipSpace();
        int line = lineAt(pos);
        List<String> exclude = new ArrayList<>();
        String filePat = nameToken();
        if (filePat.equals("EXCLUDE_FILE")) { exclude.addAll(nameList()); skipSpace(); filePat = nameToken(); }
        if (filePat.isEmpty()) throw error();
        skipSpace();
        List<String> pats = new ArrayList<>();
        boolean sort = false;
        if (peekChar() == '(') {
            pos++;
            while (!closes(')', ',')) {
                String p = nameToken();
                if (p.isEmpty()) throw error();
                if (p.startsWith("SORT") || p.equals("EXCLUDE_FILE")) {
                    skipSpace();
                    if (p.equals("EXCLUDE_FILE")) { exclude.addAll(nameList()); continue; }
                    sort = true;
                    pats.addAll(nameListFlattened());
                    continue;
                }
                pats.add(p);
            }
            if (pats.isEmpty()) throw error();
        } else {
            pats.add("*");
        }
        return new InputSpec(filePat, exclude, pats, keep, sort, line);
    }

    private List<String> nameList() {
        List<String> r = new ArrayList<>();
        names(r::add);
        return r;
    }

    /** The patterns of SORT(SORT_BY_ALIGNMENT(...)) and friends. */
    private List<String> nameListFlattened() {
        if (++callDepth > MAX_CALL_DEPTH) throw new SyntaxError(file + ":" + lineAt(pos) + ": memory exhausted (SORT nested more than " + MAX_CALL_DEPTH + " deep)");
        List<String> r = new ArrayList<>();
        names(n -> {
            skipSpace();
            if (n.startsWith("SORT") && peekChar() == '(') { r.addAll(nameListFlattened()); callDepth--; }
            else r.add(n);
        });
        return r;
    }

    /** "(" names ")": each name to the consumer, which may read on past it. */
    private void names(java.util.function.Consumer<String> each) {
        expect("(");
        while (true) {
            skipSpace();
            if (peekChar() == ')') { pos++; return; }
            String n = nameToken();
            if (n.isEmpty()) throw error();
            each.accept(n);
        }
    }

    private void phdrsBody() {
        while (!closes('}', NO_SEPARATOR)) {
            int line = lineAt(pos);
            String name = nameToken();
            if (name.isEmpty()) throw error();
            skipSpace();
            String typeWord = word();
            int type = switch (typeWord) {
                case "PT_NULL" -> Elf.PT_NULL; case "PT_LOAD" -> Elf.PT_LOAD; case "PT_NOTE" -> Elf.PT_NOTE;
                case "PT_PHDR" -> Elf.PT_PHDR; case "PT_GNU_STACK" -> Elf.PT_GNU_STACK;
                case "" -> (int) numberOrError();
                default -> throw error(typeWord);
            };
            boolean fileHdr = false, phdrs = false;
            ScriptExpression at = null, flags = null;
            while (true) {
                skipSpace();
                if (peekChar() == ';') { pos++; break; }
                String w = word();
                switch (w) {
                    case "FILEHDR" -> fileHdr = true;
                    case "PHDRS" -> phdrs = true;
                    case "AT" -> { expect("("); at = expression(); expect(")"); }
                    case "FLAGS" -> { expect("("); flags = expression(); expect(")"); }
                    default -> throw error();
                }
            }
            script.phdrs.add(new PhdrSpec(name, type, fileHdr, phdrs, at, flags, line));
        }
    }

    private Assert assertion(int line) {
        expect("(");
        ScriptExpression e = expression();
        expect(",");
        skipSpace();
        String msg;
        if (peekChar() == '"') msg = nameToken();
        else { int st = pos; nameToken(); msg = s.substring(st, pos); }
        expect(")");
        skipSpace();
        if (peekChar() == ';') pos++;
        return new Assert(e, msg, line);
    }

    private long numberOrError() {
        ScriptExpression e = primary();
        if (!(e instanceof Num n)) throw error();
        return n.value();
    }

    private Assignment provide() {
        expect("(");
        Assignment a = assignmentNoSemi();
        expect(")");
        skipSpace();
        if (peekChar() == ';') pos++;
        return new Assignment(a.symbol(), a.op(), a.expr(), true, a.line());
    }

    private Assignment assignment() {
        Assignment a = assignmentNoSemi();
        skipSpace();
        // ld requires ';' after an assignment, except right before a closing brace
        if (peekChar() == ';') pos++;
        else if (peekChar() != '}') throw error();
        return a;
    }

    private Assignment assignmentNoSemi() {
        skipSpace();
        int line = lineAt(pos);
        String sym = nameToken();
        if (sym.isEmpty()) throw error();
        skipSpace();
        String op;
        if (peekChar() == '=') { op = ""; pos++; }
        else {
            op = null;
            for (String o : new String[]{"<<=", ">>=", "+=", "-=", "*=", "/=", "&=", "|="})
                if (s.startsWith(o, pos)) { op = o.substring(0, o.length() - 1); pos += o.length(); break; }
            if (op == null) throw error();
        }
        ScriptExpression e = expression();
        return new Assignment(sym, op, e, false, line);
    }

    private boolean isAssignOp() {
        if (pos >= s.length()) return false;
        if (s.charAt(pos) == '=' && !s.startsWith("==", pos)) return true;
        for (String o : new String[]{"<<=", ">>=", "+=", "-=", "*=", "/=", "&=", "|="}) if (s.startsWith(o, pos)) return true;
        return false;
    }

    // ---- expressions (C precedence) ----

    /** Nested function calls (ALIGN(ALIGN(...))) recurse; beyond this GNU ld's parser too gives up. */
    static final int MAX_CALL_DEPTH = 500;
    private int callDepth;

    private enum Kind { BINARY, UNARY, PAREN, QUESTION, COLON }

    private record Op(Kind kind, String op, int prec, int line) {}

    private static final String[] BINARY_OPS = {"||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "|", "^", "&", "<", ">", "+", "-", "*", "/", "%"};

    private static int precedence(String op) {
        return switch (op) {
            case "||" -> 1; case "&&" -> 2; case "|" -> 3; case "^" -> 4; case "&" -> 5; case "==", "!=" -> 6;
            case "<", "<=", ">", ">=" -> 7; case "<<", ">>" -> 8; case "+", "-" -> 9; default -> 10;
        };
    }

    /**
     * An expression, by operator precedence with explicit operand and operator stacks, so neither
     * long chains nor deep parentheses use the Java stack. It ends before the first character that
     * cannot continue it (';', ',', an unmatched ')' or ':', '{', ...).
     */
    ScriptExpression expression() {
        java.util.ArrayDeque<ScriptExpression> operands = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Op> ops = new java.util.ArrayDeque<>();
        int open = 0, questions = 0;
        boolean wantOperand = true;
        while (true) {
            skipSpace();
            int line = lineAt(pos);
            char c = peekChar();
            if (wantOperand) {
                if (c == '-' || c == '~' || c == '!' || c == '+') { pos++; ops.push(new Op(Kind.UNARY, String.valueOf(c), 11, line)); continue; }
                if (c == '(') { pos++; open++; ops.push(new Op(Kind.PAREN, "(", 0, line)); continue; }
                operands.push(primary());
                wantOperand = false;
                continue;
            }
            String bin = binaryOperatorAt();
            if (bin != null) {
                int prec = precedence(bin);
                while (!ops.isEmpty() && (ops.peek().kind() == Kind.BINARY || ops.peek().kind() == Kind.UNARY) && ops.peek().prec() >= prec)
                    reduce(operands, ops);
                pos += bin.length();
                ops.push(new Op(Kind.BINARY, bin, prec, line));
                wantOperand = true;
            } else if (c == ')' && open > 0) {
                if (questionPending(ops)) throw error(); // `(a ? b)`
                while (ops.peek().kind() != Kind.PAREN) reduce(operands, ops);
                ops.pop();
                open--;
                pos++;
            } else if (c == '?') {
                while (!ops.isEmpty() && (ops.peek().kind() == Kind.BINARY || ops.peek().kind() == Kind.UNARY)) reduce(operands, ops);
                pos++;
                ops.push(new Op(Kind.QUESTION, "?", 0, line));
                questions++;
                wantOperand = true;
            } else if (c == ':' && questionPending(ops)) {
                while (ops.peek().kind() != Kind.QUESTION) reduce(operands, ops);
                ops.pop();
                questions--;
                ops.push(new Op(Kind.COLON, ":", 0, line));
                pos++;
                wantOperand = true;
            } else break;
        }
        if (open > 0) throw error();
        if (questions > 0) throw error();
        while (!ops.isEmpty()) reduce(operands, ops);
        return operands.pop();
    }

    /** Whether a '?' waits for its ':' inside the innermost open parenthesis. */
    private static boolean questionPending(java.util.ArrayDeque<Op> ops) {
        for (Op o : ops) {
            if (o.kind() == Kind.PAREN) return false;
            if (o.kind() == Kind.QUESTION) return true;
        }
        return false;
    }

    private static void reduce(java.util.ArrayDeque<ScriptExpression> operands, java.util.ArrayDeque<Op> ops) {
        Op o = ops.pop();
        switch (o.kind()) {
            case UNARY -> operands.push(new Unary(o.op().charAt(0), operands.pop()));
            case BINARY -> { ScriptExpression r = operands.pop(), l = operands.pop(); operands.push(new Binary(o.op(), l, r, o.line())); }
            case COLON -> { ScriptExpression no = operands.pop(), yes = operands.pop(), cond = operands.pop(); operands.push(new Conditional(cond, yes, no)); }
            default -> throw new IllegalStateException(o.kind().toString());
        }
    }

    /** The binary operator at pos, or null: not '=' or an assignment operator such as '+=' or '<<='. */
    private String binaryOperatorAt() {
        for (String op : BINARY_OPS) {
            if (!s.startsWith(op, pos)) continue;
            char after = pos + op.length() < s.length() ? s.charAt(pos + op.length()) : '\0';
            if (after == '=' && !op.equals("<") && !op.equals(">") && !op.equals("=") && op.length() == 1) return null; // '+=', '|=' ...
            if ((op.equals("<<") || op.equals(">>")) && after == '=') return null;
            return op;
        }
        return null;
    }

    private ScriptExpression primary() {
        skipSpace();
        int line = lineAt(pos);
        if (pos >= s.length()) throw errorAtEnd();
        char c = s.charAt(pos);
        if (c == '(') { pos++; ScriptExpression e = expression(); expect(")"); return e; }  // only via numberOrError
        if (Character.isDigit(c)) return number();
        if (c == '.' && (pos + 1 >= s.length() || !isIdentChar(s.charAt(pos + 1)))) { pos++; return new Dot(line); }
        String w = ident();
        if (w.isEmpty()) throw error();
        skipSpace();
        switch (w) {
            case "SIZEOF_HEADERS" -> { return new Call(w, List.of(), null, line); }
            case "ALIGN", "ABSOLUTE", "MAX", "MIN", "BLOCK", "NEXT", "DATA_SEGMENT_ALIGN", "DATA_SEGMENT_END",
                 "DATA_SEGMENT_RELRO_END" -> {
                if (peekChar() != '(') return new Sym(w, line);
                List<ScriptExpression> args = new ArrayList<>();
                expect("(");
                if (++callDepth > MAX_CALL_DEPTH) throw new SyntaxError(file + ":" + line + ": memory exhausted (functions nested more than " + MAX_CALL_DEPTH + " deep)");
                args.add(expression());
                skipSpace();
                while (peekChar() == ',') { pos++; args.add(expression()); skipSpace(); }
                expect(")");
                callDepth--;
                int want = switch (w) { case "MAX", "MIN", "DATA_SEGMENT_ALIGN", "DATA_SEGMENT_RELRO_END" -> 2; case "ALIGN" -> args.size() == 2 ? 2 : 1; default -> 1; };
                if (args.size() != want) throw new SyntaxError(file + ":" + line + ": wrong number of arguments to " + w);
                return new Call(w, args, null, line);
            }
            case "ADDR", "LOADADDR", "SIZEOF", "DEFINED", "CONSTANT" -> {
                if (peekChar() != '(') return new Sym(w, line);
                expect("(");
                skipSpace();
                String name = nameToken();
                if (name.isEmpty()) throw error();
                expect(")");
                return new Call(w, List.of(), name, line);
            }
            default -> { return new Sym(w, line); }
        }
    }

    private ScriptExpression number() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)))) pos++;
        String t = s.substring(start, pos);
        long mul = 1;
        String digits = t;
        if (t.endsWith("K") || t.endsWith("k")) { mul = 1024; digits = t.substring(0, t.length() - 1); }
        else if ((t.endsWith("M") || t.endsWith("m"))) { mul = 1024 * 1024; digits = t.substring(0, t.length() - 1); }
        try {
            long v;
            String lower = digits.toLowerCase(Locale.ROOT);
            if (lower.startsWith("0x")) v = Long.parseLong(lower.substring(2), 16);
            else if (lower.length() > 1 && lower.startsWith("0")) v = Long.parseLong(lower.substring(1), 8);
            else v = Long.parseLong(lower);
            if (v > 0xffffffffL) throw new NumberFormatException();
            return new Num(v * mul, t);
        } catch (NumberFormatException e) {
            pos = start;
            throw error(t);
        }
    }

    // ---- lexical helpers ----

    private static boolean isIdentChar(char c) { return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$'; }

    private static boolean isNameChar(char c) {
        return isIdentChar(c) || c == '*' || c == '?' || c == '/' || c == '-' || c == '[' || c == ']' || c == '\\' || c == '~' || c == '!' || c == '^' || c == '+';
    }

    /** An identifier in expression context: [A-Za-z_.$][A-Za-z0-9_.$]*. */
    private String ident() {
        int start = pos;
        if (pos < s.length() && (Character.isLetter(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.' || s.charAt(pos) == '$')) {
            pos++;
            while (pos < s.length() && isIdentChar(s.charAt(pos))) pos++;
        }
        return s.substring(start, pos);
    }

    /** A keyword (letters, digits, '_'). */
    private String word() {
        skipSpace();
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.' || s.charAt(pos) == '$')) pos++;
        return s.substring(start, pos);
    }

    /** A name in name context: section names, file names, wildcard patterns; or a "quoted" name. */
    private String nameToken() {
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '"') {
            int end = s.indexOf('"', pos + 1);
            if (end < 0) throw error();
            String r = s.substring(pos + 1, end);
            pos = end + 1;
            return r;
        }
        int start = pos;
        while (pos < s.length() && isNameChar(s.charAt(pos))) {
            // "/*" starts a comment, not a pattern
            if (s.charAt(pos) == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '*' && pos > start) break;
            if (s.charAt(pos) == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '*' && !s.startsWith("/DISCARD/", pos)) break;
            pos++;
        }
        return s.substring(start, pos);
    }

    private void skipParens() {
        expect("(");
        int depth = 1;
        while (pos < s.length() && depth > 0) {
            char c = s.charAt(pos++);
            if (c == '(') depth++;
            else if (c == ')') depth--;
        }
        if (depth > 0) throw errorAtEnd();
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isWhitespace(c)) pos++;
            else if (s.startsWith("/*", pos)) {
                int end = s.indexOf("*/", pos + 2);
                if (end < 0) throw new SyntaxError(file + ":" + lineAt(pos) + ": unterminated comment");
                pos = end + 2;
            } else if (c == '#' && (pos == 0 || s.charAt(pos - 1) == '\n')) {
                // cpp line markers such as "# 1 file" that a preprocessed script may carry
                while (pos < s.length() && s.charAt(pos) != '\n') pos++;
            } else break;
        }
    }

    private char peekChar() { return pos < s.length() ? s.charAt(pos) : '\0'; }

    private void expect(String tok) {
        skipSpace();
        if (!s.startsWith(tok, pos)) throw pos >= s.length() ? errorAtEnd() : error();
        pos += tok.length();
    }

    private int[] newlines;

    /** 1-based line of a position (binary search over the newline offsets). */
    private int lineAt(int p) {
        if (newlines == null) newlines = java.util.stream.IntStream.range(0, s.length()).filter(i -> s.charAt(i) == '\n').toArray();
        int lo = 0, hi = newlines.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (newlines[mid] < p) lo = mid + 1; else hi = mid;
        }
        return lo + 1;
    }

    private SyntaxError error() {
        skipSpace();
        if (pos >= s.length()) return errorAtEnd();
        int end = pos + 1;
        char c = s.charAt(pos);
        if (isIdentChar(c)) while (end < s.length() && isIdentChar(s.charAt(end))) end++;
        return error(s.substring(pos, end));
    }

    private SyntaxError error(String near) {
        return new SyntaxError(file + ":" + lineAt(pos) + ": syntax error near `" + near + "'");
    }

    private SyntaxError errorAtEnd() {
        return new SyntaxError(file + ":" + lineAt(s.length()) + ": syntax error: unexpected end of file");
    }
}

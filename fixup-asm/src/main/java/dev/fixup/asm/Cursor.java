package dev.fixup.asm;

/** A read position in the text of one statement. */
final class Cursor {
    final String text;
    int pos;

    Cursor(String text) { this(text, 0); }

    Cursor(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    void skipSpaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == '\f'
                || text.charAt(pos) == '\r')) pos++;
    }

    boolean atEnd() {
        skipSpaces();
        return pos >= text.length();
    }

    /** The next non-blank character, or 0 at the end. */
    char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    char peekRaw(int ahead) { return pos + ahead < text.length() ? text.charAt(pos + ahead) : 0; }

    boolean accept(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    boolean accept(String s) {
        skipSpaces();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!accept(c)) throw junkOrMissing(c);
    }

    private AsmError junkOrMissing(char c) {
        if (atEnd()) return new AsmError("missing '" + c + "'");
        return junk();
    }

    /** GNU as's complaint about the first character it could not use. */
    AsmError junk() {
        char c = peek();
        if (c < ' ' || c > '~') return new AsmError("junk at end of line, first unrecognized character valued 0x" + Integer.toHexString(c));
        return new AsmError("junk at end of line, first unrecognized character is `" + c + "'");
    }

    void expectEnd() {
        if (!atEnd()) throw junk();
    }

    String rest() { return text.substring(Math.min(pos, text.length())); }

    static boolean isSymbolStart(char c) { return Character.isLetter(c) || c == '_' || c == '.'; }

    static boolean isSymbolChar(char c) { return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$'; }

    /** A symbol name at the cursor, or null (cursor unchanged). */
    String symbolName() {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '"') {
            int end = text.indexOf('"', pos + 1);
            if (end < 0) return null;
            String name = text.substring(pos + 1, end);
            pos = end + 1;
            return name;
        }
        if (pos >= text.length() || !isSymbolStart(text.charAt(pos))) return null;
        int start = pos;
        while (pos < text.length() && isSymbolChar(text.charAt(pos))) pos++;
        return text.substring(start, pos);
    }
}

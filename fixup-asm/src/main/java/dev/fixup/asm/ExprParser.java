package dev.fixup.asm;

import java.math.BigInteger;

/**
 * Parses GNU as expressions. Precedence, highest first: unary - ~ ! +; * / % << >>; | & ^ !;
 * + - == != <> < > <= >=; &&; ||. Symbols are looked up (and created) as they are read, numeric local
 * label references are bound to their instance at this point, and `.` is the statement's location.
 */
final class ExprParser {
    private final Assembly asm;
    private final Cursor c;

    ExprParser(Assembly asm, Cursor c) {
        this.asm = asm;
        this.c = c;
    }

    Expr parse() { return orExpr(); }

    private Expr orExpr() {
        Expr l = andExpr();
        while (c.peek() == '|' && c.peekRaw(1) == '|') {
            c.pos += 2;
            l = new Expr.Binary("||", l, andExpr());
        }
        return l;
    }

    private Expr andExpr() {
        Expr l = addExpr();
        while (c.peek() == '&' && c.peekRaw(1) == '&') {
            c.pos += 2;
            l = new Expr.Binary("&&", l, addExpr());
        }
        return l;
    }

    private Expr addExpr() {
        Expr l = bitExpr();
        while (true) {
            char ch = c.peek();
            char n = c.peekRaw(1);
            String op = null;
            if (ch == '+' || ch == '-') op = String.valueOf(ch);
            else if (ch == '=' && n == '=') op = "==";
            else if (ch == '!' && n == '=') op = "!=";
            else if (ch == '<' && n == '>') op = "!=";
            else if (ch == '<' && n == '=') op = "<=";
            else if (ch == '>' && n == '=') op = ">=";
            else if (ch == '<' && n != '<') op = "<";
            else if (ch == '>' && n != '>') op = ">";
            if (op == null) return l;
            c.pos += (op.length() == 2 || (ch == '<' && n == '>')) ? 2 : 1;
            l = new Expr.Binary(op, l, bitExpr());
        }
    }

    private Expr bitExpr() {
        Expr l = mulExpr();
        while (true) {
            char ch = c.peek();
            char n = c.peekRaw(1);
            if ((ch == '|' && n != '|') || (ch == '&' && n != '&') || ch == '^' || (ch == '!' && n != '=')) {
                c.pos++;
                l = new Expr.Binary(String.valueOf(ch), l, mulExpr());
            } else {
                return l;
            }
        }
    }

    private Expr mulExpr() {
        Expr l = unary();
        while (true) {
            char ch = c.peek();
            char n = c.peekRaw(1);
            String op;
            if (ch == '*' || ch == '/' || ch == '%') op = String.valueOf(ch);
            else if (ch == '<' && n == '<') op = "<<";
            else if (ch == '>' && n == '>') op = ">>";
            else return l;
            c.pos += op.length();
            l = new Expr.Binary(op, l, unary());
        }
    }

    private Expr unary() {
        char ch = c.peek();
        if (ch == '-' || ch == '~' || ch == '!' || ch == '+') {
            c.pos++;
            Expr e = unary();
            return ch == '+' ? e : new Expr.Unary(ch, e);
        }
        return primary();
    }

    private Expr primary() {
        char ch = c.peek();
        if ((ch == 0 || ch == ',') && c.pos > 0 && afterOperator()) {
            // "1+" at the end: GNU as carries on with zero
            asm.diag.warning(asm.line, "missing operand; zero assumed");
            return new Expr.Num(0);
        }
        if (ch == ')') throw new AsmError("bad expression");
        if (ch == '(') {
            c.pos++;
            Expr e = orExpr();
            c.expect(')');
            return e;
        }
        if (ch >= '0' && ch <= '9') return number();
        if (ch == '\'') return new Expr.Num(charConstant());
        if (ch == '.' && !Cursor.isSymbolChar(c.peekRaw(1))) {
            c.pos++;
            return asm.dot();
        }
        if (ch == '%') {
            int start = c.pos;
            c.pos++;
            String reg = c.symbolName();
            c.pos = start;
            throw new AsmError("bad register name `%" + (reg == null ? "" : reg) + "'");
        }
        String name = c.symbolName();
        if (name != null) {
            if (c.pos < c.text.length() && c.text.charAt(c.pos) == '@') {
                int s = ++c.pos;
                while (c.pos < c.text.length() && Character.isLetterOrDigit(c.text.charAt(c.pos))) c.pos++;
                throw new AsmError("relocation `@" + c.text.substring(s, c.pos) + "' is not supported (Fixup assembles non-PIC code)");
            }
            return new Expr.SymRef(asm.symbols.get(name));
        }
        if (c.atEnd()) throw new AsmError("missing operand");
        throw c.junk();
    }

    private Expr number() {
        String t = c.text;
        int p = c.pos;
        if (t.startsWith("0x", p) || t.startsWith("0X", p)) {
            int s = p + 2, e = s;
            while (e < t.length() && Character.digit(t.charAt(e), 16) >= 0) e++;
            if (e == s) throw new AsmError("missing hexadecimal digits after `0x'");
            c.pos = e;
            return new Expr.Num(big(t.substring(s, e), 16));
        }
        if ((t.startsWith("0b", p) || t.startsWith("0B", p)) && p + 2 < t.length()
                && (t.charAt(p + 2) == '0' || t.charAt(p + 2) == '1')) {
            int s = p + 2, e = s;
            while (e < t.length() && (t.charAt(e) == '0' || t.charAt(e) == '1')) e++;
            c.pos = e;
            return new Expr.Num(big(t.substring(s, e), 2));
        }
        int e = p;
        while (e < t.length() && Character.isDigit(t.charAt(e))) e++;
        String digits = t.substring(p, e);
        if (digits.equals("0") && e < t.length() && t.charAt(e) == 'f' && looksLikeFloat(t, e + 1)) {
            // GNU as reads "0f+8" or "0f1.5" as a floating point constant, which has no place here
            throw new AsmError("floating point constant `" + t.substring(p).strip() + "' is not supported");
        }
        if (e < t.length() && (t.charAt(e) == 'b' || t.charAt(e) == 'f')
                && (e + 1 >= t.length() || !Cursor.isSymbolChar(t.charAt(e + 1)))) {
            c.pos = e + 1;
            return asm.localLabelRef(Long.parseLong(digits), t.charAt(e) == 'b');
        }
        c.pos = e;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            for (char d : digits.toCharArray()) if (d > '7') throw new AsmError("bad octal number `" + digits + "'");
            return new Expr.Num(big(digits, 8));
        }
        return new Expr.Num(big(digits, 10));
    }

    /** Whether the last non-blank character before the cursor is an operator. */
    private boolean afterOperator() {
        int p = Math.min(c.pos, c.text.length()) - 1;
        while (p >= 0 && Character.isWhitespace(c.text.charAt(p))) p--;
        if (p < 0) return false;
        char ch = c.text.charAt(p);
        if (ch == '=') return p > 0 && "=!<>".indexOf(c.text.charAt(p - 1)) >= 0;
        return "+-*/%<>&|^!~".indexOf(ch) >= 0;
    }

    /** After "0f": a number (more than a lone sign) that does not end in a local label's b or f. */
    private static boolean looksLikeFloat(String t, int i) {
        int start = i;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        int digitsAt = i;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        if (i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E') && i > digitsAt) {
            i++;
            if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
            while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
        }
        if (i == digitsAt) return false;
        return i > start && !(i < t.length() && (t.charAt(i) == 'f' || t.charAt(i) == 'b'));
    }

    private static long big(String digits, int radix) { return new BigInteger(digits, radix).longValue(); }

    /** 'a, 'a' or '\n: the character's value (the closing quote is optional, as in GNU as). */
    private long charConstant() {
        c.pos++; // the quote
        if (c.pos >= c.text.length()) throw new AsmError("missing character after `''");
        long v;
        char ch = c.text.charAt(c.pos++);
        if (ch == '\\') {
            int[] pos = {c.pos};
            v = StringEscapes.escape(c.text, pos);
            c.pos = pos[0];
        } else {
            v = ch;
        }
        if (c.pos < c.text.length() && c.text.charAt(c.pos) == '\'') c.pos++;
        return v;
    }
}

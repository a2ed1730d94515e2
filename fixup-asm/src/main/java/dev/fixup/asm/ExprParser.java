package dev.fixup.asm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

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

    /** A binary operator and its precedence (higher binds tighter); all are left-associative. */
    private record Op(String name, int prec, int length) { }

    /** Marks an open parenthesis on the operator stack. */
    private static final Op PAREN = new Op("(", 0, 1);

    /**
     * Operator precedence parsing with explicit stacks rather than recursion, so that nesting depth and
     * chain length are bounded by memory only (GNU as takes 10,000 parentheses and a million terms).
     * Unary operators sit on the operator stack as Ops with a null name and their char in prec's place.
     */
    Expr parse() {
        List<Expr> operands = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Character> unaries = new ArrayList<>();
        while (true) {
            // an operand: any prefix operators and parentheses, then a primary
            while (true) {
                char ch = c.peek();
                if (ch == '-' || ch == '~' || ch == '!' || ch == '+') {
                    c.pos++;
                    ops.add(null);
                    unaries.add(ch);
                } else if (ch == '(') {
                    c.pos++;
                    ops.add(PAREN);
                } else {
                    break;
                }
            }
            operands.add(primary());
            // then operators: ")" closes a group; a binary operator reduces what binds at least as tightly
            while (true) {
                Op op = binaryOperator();
                if (op != null) {
                    reduce(operands, ops, unaries, op.prec());
                    c.pos += op.length();
                    ops.add(op);
                    break;
                }
                if (c.peek() == ')' && ops.contains(PAREN)) {
                    reduce(operands, ops, unaries, 1);
                    c.pos++;
                    ops.remove(ops.size() - 1);
                    continue;
                }
                reduce(operands, ops, unaries, 1);
                if (!ops.isEmpty()) throw c.atEnd() ? new AsmError("missing ')'") : c.junk();
                return operands.get(0);
            }
        }
    }

    /** Applies the operators on top of the stack (up to an open parenthesis) whose precedence is >= prec. */
    private static void reduce(List<Expr> operands, List<Op> ops, List<Character> unaries, int prec) {
        while (!ops.isEmpty()) {
            Op top = ops.get(ops.size() - 1);
            if (top == PAREN || (top != null && top.prec() < prec)) return;
            ops.remove(ops.size() - 1);
            Expr right = operands.remove(operands.size() - 1);
            if (top == null) {
                char u = unaries.remove(unaries.size() - 1);
                operands.add(u == '+' ? right : fold(new Expr.Unary(u, right)));
            } else {
                Expr left = operands.remove(operands.size() - 1);
                operands.add(fold(new Expr.Binary(top.name(), left, right)));
            }
        }
    }

    /** Constant subexpressions become numbers at once (a division by zero is left for its warning). */
    private static Expr fold(Expr e) {
        if (e instanceof Expr.Unary u && u.operand() instanceof Expr.Num n) return new Expr.Num(Evaluator.unary(u.op(), n.value()));
        if (e instanceof Expr.Binary b && b.left() instanceof Expr.Num l && b.right() instanceof Expr.Num r
                && !(r.value() == 0 && (b.op().equals("/") || b.op().equals("%")))) {
            return new Expr.Num(Evaluator.binary(b.op(), l.value(), r.value()));
        }
        return e;
    }

    /** The binary operator at the cursor, or null. */
    private Op binaryOperator() {
        char ch = c.peek();
        char n = c.peekRaw(1);
        return switch (ch) {
            case '|' -> n == '|' ? new Op("||", 1, 2) : new Op("|", 4, 1);
            case '&' -> n == '&' ? new Op("&&", 2, 2) : new Op("&", 4, 1);
            case '^' -> new Op("^", 4, 1);
            case '!' -> n == '=' ? new Op("!=", 3, 2) : new Op("!", 4, 1);
            case '*', '/', '%' -> new Op(String.valueOf(ch), 5, 1);
            case '+', '-' -> new Op(String.valueOf(ch), 3, 1);
            case '=' -> n == '=' ? new Op("==", 3, 2) : null;
            case '<' -> switch (n) {
                case '<' -> new Op("<<", 5, 2);
                case '>' -> new Op("!=", 3, 2);
                case '=' -> new Op("<=", 3, 2);
                default -> new Op("<", 3, 1);
            };
            case '>' -> switch (n) {
                case '>' -> new Op(">>", 5, 2);
                case '=' -> new Op(">=", 3, 2);
                default -> new Op(">", 3, 1);
            };
            default -> null;
        };
    }

    private Expr primary() {
        char ch = c.peek();
        if ((ch == 0 || ch == ',') && c.pos > 0 && afterOperator()) {
            // "1+" at the end: GNU as carries on with zero
            asm.diag.warning(asm.line, "missing operand; zero assumed");
            return new Expr.Num(0);
        }
        if (ch == ')') throw new AsmError("bad expression");
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
                String kind = c.text.substring(s, c.pos).toUpperCase(java.util.Locale.ROOT);
                if (!RELOCATIONS.contains(kind)) {
                    throw new AsmError("relocation `@" + c.text.substring(s, c.pos) + "' is not supported by Fixup (it knows @PLT, @GOT, @GOTOFF, @GOTPC)");
                }
                // GNU as creates _GLOBAL_OFFSET_TABLE_ on the first specifier that needs it, before the name
                if (!kind.equals("PLT")) asm.symbols.get("_GLOBAL_OFFSET_TABLE_");
                return new Expr.Reloc(kind, new Expr.SymRef(asm.symbols.get(name)));
            }
            return new Expr.SymRef(asm.symbols.get(name));
        }
        if (c.atEnd()) throw new AsmError("missing operand");
        throw c.junk();
    }

    /** The relocation specifiers of position-independent code that Fixup assembles. */
    private static final java.util.Set<String> RELOCATIONS = java.util.Set.of("PLT", "GOT", "GOTOFF", "GOTPC");

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
        if (e < t.length() && (t.charAt(e) == 'b' || t.charAt(e) == 'f') && LocalLabels.fits(digits)
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

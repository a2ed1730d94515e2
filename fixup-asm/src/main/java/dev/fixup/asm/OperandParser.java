package dev.fixup.asm;

import dev.fixup.x86.Reg;

/** Parses AT&T operands: %reg, $imm, seg:disp(base,index,scale), *indirect. */
final class OperandParser {
    private final Assembly asm;

    OperandParser(Assembly asm) { this.asm = asm; }

    ParsedOperand parse(String text) {
        ParsedOperand op = new ParsedOperand();
        String s = text.strip();
        if (s.isEmpty()) throw new AsmError("missing operand");
        if (s.startsWith("*")) {
            op.indirect = true;
            s = s.substring(1).strip();
        }
        if (s.startsWith("$")) {
            if (op.indirect) throw new AsmError("immediate operand illegal with absolute jump");
            Cursor c = new Cursor(s, 1);
            op.kind = ParsedOperand.Kind.IMMEDIATE;
            if (c.atEnd()) throw new AsmError("missing or invalid immediate expression `'");
            op.imm = asm.expr(c);
            c.expectEnd();
            return op;
        }
        if (s.startsWith("%")) {
            int end = 1;
            while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) end++;
            Reg r = register(s.substring(0, end));
            String rest = s.substring(end).strip();
            if (r == Reg.ST && rest.startsWith("(")) {   // %st(3): the x87 stack register
                int close = rest.indexOf(')');
                String n = close < 0 ? "" : rest.substring(1, close).strip();
                r = n.length() == 1 ? Reg.byName("st(" + n + ")") : null;
                if (r == null) throw new AsmError("bad register name `" + s + "'");
                rest = rest.substring(close + 1).strip();
            }
            if (rest.isEmpty()) {
                op.kind = ParsedOperand.Kind.REGISTER;
                op.reg = r;
                return op;
            }
            if (rest.startsWith(":")) {
                if (r.kind() != Reg.Kind.SEG) throw new AsmError("`" + s.substring(0, end) + "' is not a valid segment register");
                op.seg = r;
                s = rest.substring(1).strip();
                if (s.isEmpty()) throw new AsmError("bad memory operand `" + text.strip() + "'");
            } else {
                throw new AsmError("junk `" + rest + "' after register");
            }
        }
        op.kind = ParsedOperand.Kind.MEMORY;
        memory(op, s, text.strip());
        return op;
    }

    private void memory(ParsedOperand op, String s, String whole) {
        int open = -1;
        if (s.endsWith(")")) {
            int depth = 0;
            for (int i = s.length() - 1; i >= 0; i--) {
                char ch = s.charAt(i);
                if (ch == ')') depth++;
                else if (ch == '(' && --depth == 0) {
                    open = i;
                    break;
                }
            }
            if (open >= 0) {
                String inner = s.substring(open + 1, s.length() - 1).strip();
                if (!(inner.startsWith("%") || inner.startsWith(","))) open = -1;
            }
        }
        String dispText = open >= 0 ? s.substring(0, open).strip() : s;
        if (!dispText.isEmpty()) {
            Cursor c = new Cursor(dispText);
            op.disp = asm.expr(c);
            c.expectEnd();
        }
        if (open < 0) return;
        String inner = s.substring(open + 1, s.length() - 1);
        String[] parts = inner.split(",", -1);
        if (parts.length > 3) throw new AsmError("bad memory operand `" + whole + "'");
        String b = parts[0].strip();
        if (!b.isEmpty()) op.base = addressRegister(b, whole);
        if (parts.length >= 2) {
            String ix = parts[1].strip();
            if (!ix.isEmpty()) op.index = addressRegister(ix, whole);
            if (parts.length == 3) {
                String sc = parts[2].strip();
                if (!sc.isEmpty()) {
                    Cursor c = new Cursor(sc);
                    Value v = asm.parseEval.eval(asm.expr(c));
                    long scale = v != null && v.isConstant() && c.atEnd() ? v.constant() : -1;
                    if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
                        throw new AsmError("expecting scale factor of 1, 2, 4, or 8: got `" + sc + "'");
                    }
                    op.scale = (int) scale;
                }
            }
            if (op.index == null && op.scale != 1) {
                throw new AsmError("expecting index register or scale factor after `,'; got '" + ")" + "'");
            }
        }
    }

    private Reg addressRegister(String t, String whole) {
        if (!t.startsWith("%")) throw new AsmError("bad memory operand `" + whole + "'");
        Reg r = register(t);
        if (!r.isGpr() || r.size() == 1) throw new AsmError("`" + whole + "' is not a valid base/index expression");
        return r;
    }

    static Reg register(String t) {
        Reg r = Reg.byName(t);
        if (r == null || !t.startsWith("%")) throw new AsmError("bad register name `" + t + "'");
        return r;
    }
}

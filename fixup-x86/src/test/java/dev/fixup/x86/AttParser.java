package dev.fixup.x86;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one AT&T instruction line of the test corpus (and objdump's text) into a mnemonic and
 * {@link AsmOperand}s. Branch targets are written ".+N" (or objdump's bare hex address) and become
 * absolute Memory operands relative to the instruction's address 0.
 */
final class AttParser {
    record Parsed(String mnemonic, List<AsmOperand> ops) { }

    private AttParser() { }

    static Parsed parse(String line, boolean objdumpTargets) {
        String s = line.trim();
        int lt = s.indexOf(" <");
        if (lt >= 0) s = s.substring(0, lt).trim();
        // mnemonic = leading words that are prefixes + the instruction word
        StringBuilder m = new StringBuilder();
        String rest = s;
        for (;;) {
            int sp = rest.indexOf(' ');
            String w = sp < 0 ? rest : rest.substring(0, sp);
            if (m.length() > 0) m.append(' ');
            m.append(w);
            rest = sp < 0 ? "" : rest.substring(sp + 1).trim();
            if (Encoder.prefixByte(w) < 0 || rest.isEmpty()) break;
            String next = rest.split(" ")[0];
            if (next.startsWith("%") || next.startsWith("$") || next.startsWith("(")) break;
        }
        List<AsmOperand> ops = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String t : splitOps(rest)) ops.add(operand(t.trim(), objdumpTargets));
        }
        return new Parsed(m.toString(), ops);
    }

    private static List<String> splitOps(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) { out.add(s.substring(start, i)); start = i + 1; }
        }
        out.add(s.substring(start));
        return out;
    }

    static long num(String t) {
        t = t.trim();
        boolean neg = t.startsWith("-");
        if (neg) t = t.substring(1);
        long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        return neg ? -v : v;
    }

    static AsmOperand operand(String t, boolean objdumpTargets) {
        if (t.startsWith("*")) return new AsmOperand.Indirect(operand(t.substring(1), objdumpTargets));
        if (t.startsWith("$")) return new AsmOperand.Immediate(num(t.substring(1)), false);
        Reg seg = null;
        if (t.startsWith("%") && t.length() > 3 && t.charAt(3) == ':') {
            seg = Reg.byName(t.substring(0, 3));
            t = t.substring(4);
        }
        if (t.startsWith("%")) {
            Reg r = Reg.byName(t.replace("%db", "%dr").replace(" ", ""));
            if (r == null) throw new IllegalArgumentException("bad register " + t);
            return new AsmOperand.Register(r);
        }
        if (t.startsWith(".+")) return AsmOperand.Memory.abs(num(t.substring(2)));
        if (t.startsWith(".-")) return AsmOperand.Memory.abs(-num(t.substring(2)));
        if (t.equals(".")) return AsmOperand.Memory.abs(0);
        int p = t.indexOf('(');
        String d = p < 0 ? t : t.substring(0, p);
        boolean hasDisp = !d.isEmpty();
        long disp = hasDisp ? (objdumpTargets && p < 0 && seg == null && !d.startsWith("0x") ? Long.parseLong(d, 16) : num(d)) : 0;
        Reg base = null, index = null;
        int scale = 1;
        if (p >= 0) {
            String[] parts = t.substring(p + 1, t.length() - 1).split(",", -1);
            if (!parts[0].isEmpty()) base = Reg.byName(parts[0]);
            if (parts.length > 1 && !parts[1].isEmpty()) index = Reg.byName(parts[1]);
            if (parts.length > 2) scale = (int) num(parts[2]);
        }
        return new AsmOperand.Memory(seg, base, index, scale, disp, false, hasDisp);
    }
}

package dev.fixup.x86;

import java.util.ArrayList;
import java.util.List;

/** Formats an {@link Insn} as objdump -d prints it in AT&T syntax. */
public final class Disassembler {

    static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};
    static final String[][] GPR = {
        null, {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"},
        {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"}, null,
        {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"}
    };

    private Disassembler() { }

    /** One line of a listing: address, length in bytes, objdump's text. */
    public record Line(int address, int length, String text) { }

    /** Thrown by the listing's fetcher past the end of the code; preallocated, no stack trace. */
    private static final class PastEnd extends RuntimeException {
        PastEnd() { super(null, null, false, false); }
    }

    private static final PastEnd PAST_END = new PastEnd();

    /**
     * Disassembles code[offset, offset+length) located at address, as objdump -d does: an instruction
     * cut off by the end prints as its lone prefix ("repz", "data16") or ".byte 0xNN".
     */
    public static List<Line> disassemble(byte[] code, int offset, int length, int address, boolean code32, Symbolizer sym) {
        return listing(code, offset, length, address, code32, sym, ATT);
    }

    /** How decoded instructions read: AT&T (objdump's default) or Intel (objdump -M intel). */
    interface Syntax {
        /** The instruction's mnemonic in this syntax (without prefixes). */
        String mnemonic(Insn in);

        /** The whole text, prefixes and operands included; name replaces the mnemonic when not null. */
        String format(Insn in, int address, Symbolizer sym, String name);
    }

    static final Syntax ATT = new Syntax() {
        @Override public String mnemonic(Insn in) { return Disassembler.mnemonic(in); }
        @Override public String format(Insn in, int address, Symbolizer sym, String name) {
            return Disassembler.format(in, address, sym, name);
        }
    };

    /** The listing loop both syntaxes share: decoding, cut-off instructions, fwait merging. */
    static List<Line> listing(byte[] code, int offset, int length, int address, boolean code32, Symbolizer sym, Syntax syntax) {
        List<Line> out = new ArrayList<>();
        int end = offset + length;
        Insn in = new Insn();
        for (int pos = offset; pos < end; ) {
            Line line = line(code, pos, end, address + (pos - offset), code32, sym, syntax, in);
            out.add(line);
            pos += line.length();
        }
        return out;
    }

    /**
     * The one instruction at code[pos] (located at address), decoding no byte at or past end: what
     * a listing that stops and restarts (objdump's skipping of zeros) needs. intel: objdump -M intel.
     */
    public static Line line(byte[] code, int pos, int end, int address, boolean code32, Symbolizer sym, boolean intel) {
        return line(code, pos, end, address, code32, sym, intel ? IntelDisassembler.INTEL : ATT, new Insn());
    }

    private static Line line(byte[] code, int pos, int end, int address, boolean code32, Symbolizer sym, Syntax syntax, Insn in) {
        Line merged = withWait(code, pos, end, address, code32, sym, syntax);
        if (merged != null) return merged;
        CodeFetcher f = a -> {
            int i = pos + (a - address);
            if (i < pos || i >= end) throw PAST_END;
            return code[i] & 0xFF;
        };
        try {
            Decoder.decode(f, address, code32, in);
            return new Line(address, Math.max(1, in.length), syntax.format(in, address, sym, null));
        } catch (PastEnd e) {
            String p = prefixName(code[pos] & 0xFF, code32);
            return new Line(address, 1, p != null ? p : ".byte 0x" + Integer.toHexString(code[pos] & 0xFF));
        }
    }

    /**
     * objdump reads fwait (9B) among the prefixes of an x87 instruction (D8-DF) as part of it: one
     * line, the no-wait control instructions under their waiting names (9B DF E0 is fstsw %ax).
     * The line, or null when no fwait comes before an x87 opcode here.
     */
    private static Line withWait(byte[] code, int pos, int end, int addr, boolean code32, Symbolizer sym, Syntax syntax) {
        int k = pos, waits = 0;
        while (k < end && k - pos < 14) {
            int b = code[k] & 0xFF;
            if (b == 0x9B) waits++;
            else if (prefixName(b, true) == null) break;
            k++;
        }
        if (waits == 0 || k >= end || (code[k] & 0xFF) < 0xD8 || (code[k] & 0xFF) > 0xDF) return null;
        byte[] rest = new byte[Math.min(end - pos - waits, 15)];
        int n = 0;
        for (int i = pos; i < end && n < rest.length; i++) if (i >= k || (code[i] & 0xFF) != 0x9B) rest[n++] = code[i];
        Insn next = new Insn();
        try {
            Decoder.decode(a -> {
                int i = a - addr;
                if (i < 0 || i >= rest.length) throw PAST_END;
                return rest[i] & 0xFF;
            }, addr, code32, next);
        } catch (PastEnd e) {
            return null;
        }
        String name = null;
        for (Form w : FormTable.forms()) {
            Form f = next.form;
            if (!w.has(Form.FWAIT) || w.opcode != f.opcode || w.digit != f.digit || w.rm != f.rm || f.map != 0) continue;
            if ((w.flags & (Form.MEM_ONLY | Form.REG_ONLY)) != (f.flags & (Form.MEM_ONLY | Form.REG_ONLY))) continue;
            name = "f" + syntax.mnemonic(next).substring(2);                   // fnstsw -> fstsw
            break;
        }
        return new Line(addr, next.length + waits, syntax.format(next, addr, sym, name));
    }

    /** objdump's name for a lone prefix byte, or null. */
    static String prefixName(int b, boolean code32) {
        return switch (b) {
            case 0xF0 -> "lock";
            case 0xF2 -> "repnz";
            case 0xF3 -> "repz";
            case 0x26 -> "es";
            case 0x2E -> "cs";
            case 0x36 -> "ss";
            case 0x3E -> "ds";
            case 0x64 -> "fs";
            case 0x65 -> "gs";
            case 0x66 -> code32 ? "data16" : "data32";
            case 0x67 -> code32 ? "addr16" : "addr32";
            default -> null;
        };
    }

    /** objdump's text for the instruction at address, e.g. "mov    %eax,0x4(%ebx)". */
    public static String format(Insn in, int address, Symbolizer sym) {
        return format(in, address, sym, null);
    }

    private static String format(Insn in, int address, Symbolizer sym, String name) {
        Form f = in.form;
        if (f.isInvalid()) return invalid(in);
        StringBuilder m = new StringBuilder(48);
        prefixes(in, m);
        if (isPause(in)) return m.append("pause").toString();
        m.append(name != null ? name : mnemonic(in));
        if (hinted(f) && (in.seg == 1 || in.seg == 3)) m.append(in.seg == 1 ? ",pn" : ",pt");   // branch hints
        int bare = m.length();
        do m.append(' '); while (m.length() < 7);                // the mnemonic padded to 6, a blank, the operands
        int start = m.length();
        operands(in, address, sym, m);
        if (m.length() == start) m.setLength(bare);
        return m.toString();
    }

    /** "(bad)" after the prefixes, except a 66/F2 that made 0F 09 undefined (objdump reads it as part of the opcode). */
    static String invalid(Insn in) {
        StringBuilder m = new StringBuilder();
        boolean code32 = (in.opsize == 4) != in.opsizePrefix;
        int n = Math.min(in.prefixCount, 8);
        for (int k = 0; k < n; k++) {
            int b = (int) (in.prefixBytes >>> (8 * k)) & 0xFF;
            if (in.opcode == 0x0F09 && (b == 0x66 || b == 0xF2)) continue;
            m.append(prefixName(b, code32)).append(' ');
        }
        return m.append("(bad)").toString();
    }

    /** Prefix names in byte order, as objdump prints them: the ones the instruction does not consume. */
    static void prefixes(Insn in, StringBuilder m) {
        prefixes(in, m, false);
    }

    /** With intel, objdump -M intel's reading: loop does not take in 0x67 (it prints "addr16 loop"). */
    static void prefixes(Insn in, StringBuilder m, boolean intel) {
        Form f = in.form;
        boolean segUsed = in.memory || usesImplicitSource(f);
        boolean addrUsed = (in.memory && in.hasModrm) || f.has(Form.STRING) || f.op == Op.JCXZ || (isLoop(f) && !intel);
        boolean hle = in.memory && in.hasModrm && f.operands.length > 0 && f.operands[0].usesRm()
                && ((in.lock && lockable(f)) || f.op == Op.XCHG || (in.rep == Insn.REP && f.op == Op.MOV));
        int n = Math.min(in.prefixCount, 8);
        for (int k = 0; k < n; k++) {
            int b = (int) (in.prefixBytes >>> (8 * k)) & 0xFF;
            if (!lastOfItsKind(in, k, n, b)) {     // a repeated prefix: only the last one counts, objdump names the others
                String p = b == 0xF3 ? "repz" : b == 0xF2 ? "repnz" : prefixName(b, b == 0x67 ? addr32Mode(in) : code32(in));
                m.append(p).append(' ');
                continue;
            }
            String name = switch (b) {
                case 0xF0 -> lockedControlRegister(in) ? null : "lock";
                case 0xF2, 0xF3 -> {
                    if (isPause(in) && b == 0xF3) yield null;
                    if ((f.op == Op.BSF || f.op == Op.BSR) && b == 0xF3) yield null;        // tzcnt, lzcnt
                    if (b == 0xF2 && (f.op == Op.JMP || f.op == Op.CALL || f.op == Op.RET || f.op == Op.JCC)) yield "bnd";
                    if (hle) yield b == 0xF2 ? "xacquire" : "xrelease";
                    if (f.has(Form.STRING) && f.op != Op.XLAT) yield b == 0xF2 ? "repnz" : f.has(Form.REPZ) ? "repz" : "rep";
                    yield b == 0xF2 ? "repnz" : "repz";
                }
                case 0x66 -> f.opsizeSensitive() && !isPause(in) ? null : code32(in) ? "data16" : "data32";
                case 0x67 -> addrUsed && !(absoluteOnly(in) && !addr32Mode(in)) ? null : addr32Mode(in) ? "addr16" : "addr32";
                default -> {
                    int seg = switch (b) { case 0x26 -> 0; case 0x2E -> 1; case 0x36 -> 2; case 0x3E -> 3; case 0x64 -> 4; default -> 5; };
                    if (seg == 3 && f.has(Form.INDIRECT) && !f.has(Form.MEM_ONLY)) yield "notrack";
                    if (hinted(f) && (seg == 1 || seg == 3) && !intel) yield null;
                    yield segUsed && seg == in.seg ? null : SEG[seg];
                }
            };
            if (name != null) m.append(name).append(' ');
        }
    }

    /** lock before mov to or from a control register selects CR8-CR15 (AMD's alternative encoding), as objdump reads it. */
    static boolean lockedControlRegister(Insn in) {
        if (!in.lock) return false;
        for (OperandSpec s : in.form.operands) if (s.kind == OperandSpec.Kind.CREG) return true;
        return false;
    }

    static int controlRegister(Insn in) {
        return lockedControlRegister(in) ? in.reg + 8 : in.reg;
    }

    /** Whether prefix k is the last of its kind: the last segment override, or the last copy of the same byte. */
    private static boolean lastOfItsKind(Insn in, int k, int n, int b) {
        boolean seg = isSegment(b);
        for (int j = k + 1; j < n; j++) {
            int later = (int) (in.prefixBytes >>> (8 * j)) & 0xFF;
            if (later == b || (seg && isSegment(later))) return false;
        }
        return true;
    }

    private static boolean isSegment(int b) {
        return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
    }

    /** F3 90, whatever other prefixes come with it (66 F3 90 decodes as xchg %ax,%ax: still a pause). */
    static boolean isPause(Insn in) {
        return in.rep == Insn.REP && in.opcode == 0x90;
    }

    /** The code segment's default operand size is 32 bits (0x66 flips it). */
    static boolean code32(Insn in) {
        return (in.opsize == 4) != in.opsizePrefix;
    }

    /** A ModRM memory operand without registers: objdump shows 67 in 16-bit code as "addr32". */
    private static boolean absoluteOnly(Insn in) {
        return in.memory && in.hasModrm && in.base < 0 && in.index < 0;
    }

    private static boolean addr32Mode(Insn in) {
        return (in.addrsize == 4) != in.addrsizePrefix;
    }

    static boolean hinted(Form f) {
        return f.op == Op.JCC || f.op == Op.JCXZ || isLoop(f);
    }

    static boolean isLoop(Form f) {
        return f.op == Op.LOOP || f.op == Op.LOOPE || f.op == Op.LOOPNE;
    }

    /** Instructions the lock prefix applies to (objdump names their F2/F3 prefixes xacquire/xrelease). */
    private static boolean lockable(Form f) {
        return Encoder.LOCKABLE.contains(f.op);
    }

    private static boolean usesImplicitSource(Form f) {
        for (OperandSpec s : f.operands) {
            if (s.kind == OperandSpec.Kind.STR_SRC || s.kind == OperandSpec.Kind.XLAT_SRC) return true;
        }
        return false;
    }

    static char suffix(int size) {
        return switch (size) { case 1 -> 'b'; case 2 -> 'w'; default -> 'l'; };
    }

    /** objdump's mnemonic with the size suffix it would print. */
    static String mnemonic(Insn in) {
        Form f = in.form;
        String name = f.mnemonic;
        if (f.op == Op.JCXZ && in.addrsize == 2) return "jcxz";
        if (in.rep == Insn.REP && (f.op == Op.BSF || f.op == Op.BSR)) return f.op == Op.BSF ? "tzcnt" : "lzcnt";
        if (isLoop(f) && in.addrsizePrefix) return name + suffix(in.addrsize);
        if (f.has(Form.EXT_NAMES)) {
            return name + suffix(f.operands[1].size(in.opsize)) + suffix(in.opsize);
        }
        // stack-size forms: objdump names the size only when 0x66 changed it from the mode's default
        if (f.has(Form.SFX_W16)) return in.opsizePrefix ? name + suffix(in.opsize) : name;
        if (f.hasX87Image()) return in.opsizePrefix ? name + (in.opsize == 2 ? "s" : "l") : name;   // fnstenvs
        if (f.has(Form.SFX_NEVER) || f.has(Form.NO_SUFFIX)) return name;
        if (f.has(Form.DEF_SILENT)) return in.opsizePrefix && !hasSizingRegister(in) ? name + suffix(in.opsize) : name;
        int size = operationSize(in);
        if (f.has(Form.SFX_ALWAYS)) return size > 0 ? name + suffix(size) : name;
        if (size > 0 && in.memory && !hasSizingRegister(in)) return name + suffix(size);
        return name;
    }

    /** Size of the operation: the first operand with a general size, or 0. */
    private static int operationSize(Insn in) {
        for (OperandSpec s : in.form.operands) {
            if (s.size == OperandSpec.V || s.size == 1 || s.size == 2 || s.size == 4) {
                if (s.kind == OperandSpec.Kind.PORT_DX) continue;
                if (s.kind == OperandSpec.Kind.FIXED && s.fixed == Reg.CL) continue;
                return s.size(in.opsize);
            }
            if (s.size == 6) return in.opsize;
        }
        return 0;
    }

    static boolean hasSizingRegister(Insn in) {
        for (OperandSpec s : in.form.operands) {
            switch (s.kind) {
                case REG, OPREG, RMREG, SREG, CREG, DREG -> { return true; }
                case RM -> { if (!in.memory) return true; }
                case FIXED -> { if (s.fixed != Reg.CL) return true; }
                default -> { }
            }
        }
        return false;
    }

    /** Operand text in AT&T order, appended to b. */
    private static void operands(Insn in, int address, Symbolizer sym, StringBuilder b) {
        Form f = in.form;
        OperandSpec[] specs = f.operands;
        int start = b.length();
        boolean rev = !f.has(Form.NOREV);
        for (int k = 0; k < specs.length; k++) {
            int i = rev ? specs.length - 1 - k : k;
            int mark = b.length();
            if (mark > start) b.append(',');
            if (!operand(in, specs[i], i, address, sym, b)) b.setLength(mark);
        }
    }

    private static StringBuilder reg(StringBuilder b, int size, int num) {
        return b.append('%').append(GPR[size][num]);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static StringBuilder hex(StringBuilder b, long v) {
        b.append("0x");
        for (int shift = Math.max(0, 60 - (Long.numberOfLeadingZeros(v) & ~3)); shift >= 0; shift -= 4)
            b.append(Character.forDigit((int) (v >>> shift) & 0xF, 16));
        return b;
    }

    /** Appends one operand's text to b; false for an operand objdump does not show (the implicit 1 of a shift). */
    private static boolean operand(Insn in, OperandSpec s, int i, int address, Symbolizer sym, StringBuilder b) {
        int size = s.size(in.opsize);
        switch (s.kind) {
            case RM, MEM, RMREG -> {
                if (in.form.has(Form.INDIRECT)) b.append('*');
                if (in.memory) memory(in, b);
                else reg(b, size > 0 && size <= 4 ? size : in.opsize, in.rm);
            }
            case STI -> b.append("%st(").append(in.rm).append(')');
            case REG, OPREG -> reg(b, size, in.reg);
            case SREG -> b.append(in.reg < 6 ? "%" + SEG[in.reg] : "%?");
            case CREG -> b.append("%cr").append(controlRegister(in));
            case DREG -> b.append("%db").append(in.reg);
            case IMM -> hex(b.append('$'), (i == firstImm(in.form) ? in.imm : in.imm2) & mask(size));
            case IMM8S -> hex(b.append('$'), in.imm & mask(in.opsize));
            case REL -> {
                int t = s.size == 1 ? address + in.length + in.imm : in.target(address);   // objdump ignores 0x66 on rel8
                String name = sym.symbolize(t);
                if (name == null) hex(b, Integer.toUnsignedLong(t));
                else b.append(Integer.toHexString(t)).append(' ').append(name);
            }
            case MOFFS -> hex(segPrefix(in, b), in.disp & mask(in.addrsize));
            case FARPTR -> hex(hex(b.append('$'), in.imm2).append(",$"), in.imm & mask(in.opsize));
            case FIXED -> {
                Reg r = s.fixed;
                if (r.isGpr()) reg(b, size, r.num());
                else b.append(r.att());
            }
            case ONE -> { return false; }
            case PORT_DX -> b.append("(%dx)");
            case STR_SRC -> b.append('%').append(SEG[in.seg >= 0 ? in.seg : 3]).append(in.addrsize == 4 ? ":(%esi)" : ":(%si)");
            case XLAT_SRC -> b.append('%').append(SEG[in.seg >= 0 ? in.seg : 3]).append(in.addrsize == 4 ? ":(%ebx)" : ":(%bx)");
            case STR_DST -> b.append(in.addrsize == 4 ? "%es:(%edi)" : "%es:(%di)");
            default -> b.append('?');
        }
        return true;
    }

    static int firstImm(Form f) {
        for (int i = 0; i < f.operands.length; i++) {
            OperandSpec.Kind k = f.operands[i].kind;
            if (k == OperandSpec.Kind.IMM || k == OperandSpec.Kind.IMM8S || k == OperandSpec.Kind.REL) return i;
        }
        return -1;
    }

    static long mask(int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFFL;
    }

    private static StringBuilder segPrefix(Insn in, StringBuilder b) {
        if (in.seg == 3 && in.form.has(Form.INDIRECT) && !in.form.has(Form.MEM_ONLY)) return b;   // notrack
        return in.seg >= 0 ? b.append('%').append(SEG[in.seg]).append(':') : b;
    }

    private static void memory(Insn in, StringBuilder b) {
        segPrefix(in, b);
        boolean a32 = in.addrsize == 4;
        boolean sib = a32 && in.rm == 4;
        // a SIB without base or index reads as a plain address in 16-bit code (objdump omits the %eiz there)
        boolean plain = sib && in.base < 0 && in.index < 0 && in.scale == 0 && !code32(in);
        if (in.base < 0 && in.index < 0 && (!sib || plain)) {
            if (!a32 && in.disp < 0) hex(b.append('-'), -in.disp);   // objdump: signed disp16
            else hex(b, in.disp & 0xFFFFFFFFL);
            return;
        }
        if (in.mod != 0 || in.base < 0) {
            long d = in.disp;
            if (in.base < 0 && !a32) d &= 0xFFFF;
            if (d < 0) hex(b.append('-'), -d);
            else hex(b, d);
        }
        int rsize = a32 ? 4 : 2;
        b.append('(');
        if (in.base >= 0) reg(b, rsize, in.base);
        if (in.index >= 0) {
            reg(b.append(','), rsize, in.index);
            if (a32) b.append(',').append(1 << in.scale);
        } else if (sib && (in.base != 4 || in.scale != 0)) {
            b.append(",%eiz,").append(1 << in.scale);
        }
        b.append(')');
    }
}

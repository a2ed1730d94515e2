package dev.fixup.x86;

import java.util.List;

/**
 * Formats an {@link Insn} as objdump -M intel prints it: destination first, registers and
 * immediates bare, memory as "DWORD PTR seg:[base+index*scale+disp]", sizes carried by the
 * operands rather than by mnemonic suffixes. Prefix names, branch targets and the listing loop
 * are the AT&T printer's ({@link Disassembler}); only the instruction's own text differs.
 */
public final class IntelDisassembler {
    private IntelDisassembler() { }

    static final Disassembler.Syntax INTEL = new Disassembler.Syntax() {
        @Override public String mnemonic(Insn in) { return IntelDisassembler.mnemonic(in); }
        @Override public String format(Insn in, int address, Symbolizer sym, String name) {
            return IntelDisassembler.format(in, address, sym, name);
        }
    };

    /** As {@link Disassembler#disassemble}, in Intel syntax. */
    public static List<Disassembler.Line> disassemble(byte[] code, int offset, int length, int address, boolean code32, Symbolizer sym) {
        return Disassembler.listing(code, offset, length, address, code32, sym, INTEL);
    }

    /** objdump -M intel's text for the instruction at address, e.g. "mov    DWORD PTR [ebx+0x4],eax". */
    public static String format(Insn in, int address, Symbolizer sym) {
        return format(in, address, sym, null);
    }

    private static String format(Insn in, int address, Symbolizer sym, String name) {
        Form f = in.form;
        if (f.isInvalid()) return Disassembler.invalid(in);
        StringBuilder m = new StringBuilder();
        Disassembler.prefixes(in, m, true);
        if (Disassembler.isPause(in)) return m.append("pause").toString();
        m.append(name != null ? name : mnemonic(in));
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < f.operands.length; i++) {
            String t = operand(in, f.operands[i], i, address, sym);
            if (ops.length() > 0) ops.append(',');
            ops.append(t);
        }
        if (ops.length() == 0) return m.toString();
        while (m.length() < 6) m.append(' ');
        return m.append(' ').append(ops).toString();
    }

    /** The suffix objdump -M intel adds where no operand shows the size: w or d. */
    private static String suffix(int size) {
        return size == 2 ? "w" : "d";
    }

    /** objdump -M intel's mnemonic: Intel's names, a suffix only where no operand carries the size. */
    static String mnemonic(Insn in) {
        Form f = in.form;
        String name = f.mnemonic;
        if (f.op == Op.JCXZ && in.addrsize == 2) return "jcxz";
        if (in.rep == Insn.REP && (f.op == Op.BSF || f.op == Op.BSR)) return f.op == Op.BSF ? "tzcnt" : "lzcnt";
        if (f.has(Form.EXT_NAMES)) return name + "x";                                  // movzx, movsx
        if ((f.has(Form.O16) || f.has(Form.O32)) && !f.aliases.isEmpty() && f.map == 0
                && (f.opcode == 0x98 || f.opcode == 0x99)) return f.aliases.get(0);   // cwde, cbw, cdq, cwd
        if (f.isX87() && !in.memory) {
            switch (f.op) {          // AT&T swaps the reversed register forms' names; Intel keeps the manual's
                case FSUB, FSUBR, FDIV, FDIVR, FSUBP, FSUBRP, FDIVP, FDIVRP -> { return f.op.name().toLowerCase(); }
                default -> { }
            }
        }
        if (f.isX87() && in.memory && !f.hasX87Image()) return x87MemoryName(f);
        switch (f.op) {
            case JMP_FAR -> { return "jmp"; }                   // ljmp, lcall: the operand says far
            case CALL_FAR -> { return "call"; }
            case RET_FAR -> { return in.opsizePrefix ? "retf" + suffix(in.opsize) : "retf"; }
            default -> { }
        }
        if (f.hasX87Image()) return in.opsizePrefix ? name + suffix(in.opsize) : name;   // fnstenvw
        if (f.has(Form.SFX_W16)) return in.opsizePrefix ? name + suffix(in.opsize) : name;
        if (f.has(Form.SFX_NEVER) || f.has(Form.NO_SUFFIX)) return name;
        if (f.has(Form.DEF_SILENT))
            return in.opsizePrefix && !in.memory && !Disassembler.hasSizingRegister(in) ? name + suffix(in.opsize) : name;
        if (f.has(Form.SFX_ALWAYS) && !f.has(Form.STRING)) {
            for (OperandSpec s : f.operands) if (s.size == 6) return name + suffix(in.opsize);   // sgdtd, lidtw
        }
        return name;
    }

    /**
     * flds, fildll, fstpt: Intel names the size in the operand (fld DWORD PTR), not in the mnemonic.
     * The AT&T suffix follows the kind of number: s/l/t for reals of 4/8/10 bytes, s/l/ll for
     * integers (the fi- instructions) of 2/4/8.
     */
    private static String x87MemoryName(Form f) {
        String name = f.mnemonic;
        int size = 0;
        for (OperandSpec s : f.operands) if (s.kind == OperandSpec.Kind.MEM) size = s.size;
        boolean integer = name.startsWith("fi");
        String sfx = integer ? switch (size) { case 2 -> "s"; case 4 -> "l"; case 8 -> "ll"; default -> null; }
                : switch (size) { case 4 -> "s"; case 8 -> "l"; case OperandSpec.TBYTE -> "t"; default -> null; };
        return sfx != null && name.endsWith(sfx) ? name.substring(0, name.length() - sfx.length()) : name;
    }

    private static String reg(int size, int num) {
        return Disassembler.GPR[size][num];
    }

    private static String operand(Insn in, OperandSpec s, int i, int address, Symbolizer sym) {
        int size = s.size(in.opsize);
        switch (s.kind) {
            case RM, MEM, RMREG: {
                if (in.memory) return memory(in, sizeWord(in, s));
                return reg(size > 0 && size <= 4 ? size : in.opsize, in.rm);
            }
            case STI: return "st(" + in.rm + ")";
            case REG, OPREG: return reg(size, in.reg);
            case SREG: return in.reg < 6 ? Disassembler.SEG[in.reg] : "?";
            case CREG: return "cr" + Disassembler.controlRegister(in);
            case DREG: return "dr" + in.reg;
            case IMM: {
                long v = (i == Disassembler.firstImm(in.form) ? in.imm : in.imm2) & Disassembler.mask(size);
                return Disassembler.hex(v);
            }
            case IMM8S: return Disassembler.hex(in.imm & Disassembler.mask(in.opsize));
            case REL: {
                int t = s.size == 1 ? address + in.length + in.imm : in.target(address);
                String name = sym.symbolize(t);
                return name == null ? "0x" + Integer.toHexString(t) : Integer.toHexString(t) + " " + name;
            }
            case MOFFS: return segment(in, "ds") + ":" + Disassembler.hex(in.disp & Disassembler.mask(in.addrsize));
            case FARPTR: return Disassembler.hex(in.imm2) + ":" + Disassembler.hex(in.imm & Disassembler.mask(in.opsize));
            case FIXED: {
                Reg r = s.fixed;
                return r.isGpr() ? reg(size, r.num()) : r.attName();
            }
            case ONE: return "1";
            case PORT_DX: return "dx";
            case STR_SRC: return ptr(size) + segment(in, "ds") + ":[" + (in.addrsize == 4 ? "esi" : "si") + "]";
            case XLAT_SRC: return "BYTE PTR " + segment(in, "ds") + ":[" + (in.addrsize == 4 ? "ebx" : "bx") + "]";
            case STR_DST: return ptr(size) + "es:[" + (in.addrsize == 4 ? "edi" : "di") + "]";
            default: return "?";
        }
    }

    private static String segment(Insn in, String dflt) {
        return in.seg >= 0 ? Disassembler.SEG[in.seg] : dflt;
    }

    private static String ptr(int size) {
        String w = word(size);
        return w == null ? "" : w + " PTR ";
    }

    private static String word(int size) {
        return switch (size) {
            case 1 -> "BYTE";
            case 2 -> "WORD";
            case 4 -> "DWORD";
            case 6 -> "FWORD";
            case 8 -> "QWORD";
            case OperandSpec.TBYTE -> "TBYTE";
            default -> null;
        };
    }

    /** The "xWORD PTR" objdump puts before a memory operand of this spec, or null. */
    private static String sizeWord(Insn in, OperandSpec s) {
        return switch (s.size) {
            case OperandSpec.V -> word(in.opsize);
            case OperandSpec.FAR -> word(in.opsize + 2);
            case OperandSpec.PAIR -> word(in.opsize * 2);
            case OperandSpec.NONE -> in.form.op == Op.LEA ? null : "BYTE";
            case 6 -> null;                                  // sgdt and friends: the suffix says it
            default -> word(s.size);
        };
    }

    private static String memory(Insn in, String sizeWord) {
        StringBuilder b = new StringBuilder(sizeWord == null ? "" : sizeWord + " PTR ");
        boolean notrack = in.seg == 3 && in.form.has(Form.INDIRECT) && !in.form.has(Form.MEM_ONLY);
        String seg = in.seg >= 0 && !notrack ? Disassembler.SEG[in.seg] : null;
        boolean a32 = in.addrsize == 4;
        boolean sib = a32 && in.rm == 4;
        boolean plain = sib && in.base < 0 && in.index < 0 && in.scale == 0 && !Disassembler.code32(in);
        if (in.base < 0 && in.index < 0 && (!sib || plain)) {
            b.append(seg != null ? seg : "ds").append(':');
            return b.append(Disassembler.hex(in.disp & (a32 ? 0xFFFFFFFFL : 0xFFFF))).toString();
        }
        if (seg != null) b.append(seg).append(':');
        String[] regs = Disassembler.GPR[a32 ? 4 : 2];
        StringBuilder inner = new StringBuilder();
        if (in.base >= 0) inner.append(regs[in.base]);
        if (in.index >= 0) {
            if (inner.length() > 0) inner.append('+');
            inner.append(regs[in.index]);
            if (a32) inner.append('*').append(1 << in.scale);
        } else if (sib && (in.base != 4 || in.scale != 0)) {
            if (inner.length() > 0) inner.append('+');
            inner.append("eiz*").append(1 << in.scale);
        }
        if (in.mod != 0 || in.base < 0) {
            long d = in.disp;
            if (in.base < 0 && !a32) d &= 0xFFFF;
            inner.append(d < 0 ? "-" + Disassembler.hex(-d) : "+" + Disassembler.hex(d));
        }
        return b.append('[').append(inner).append(']').toString();
    }
}

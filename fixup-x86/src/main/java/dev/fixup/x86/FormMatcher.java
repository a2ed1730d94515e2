package dev.fixup.x86;

import dev.fixup.x86.AsmOperand.Immediate;
import dev.fixup.x86.AsmOperand.Indirect;
import dev.fixup.x86.AsmOperand.Memory;
import dev.fixup.x86.AsmOperand.Register;
import dev.fixup.x86.OperandSpec.Kind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One encode call: binds the operands to every candidate form of the mnemonic (implicit operands, AT&T to Intel
 * order, operand size from suffix or registers), keeps the shortest encoding and, failing that, the most
 * telling GNU-style error.
 */
final class FormMatcher {
    final String mnem;
    final List<Encoder.Cand> cands;
    final List<AsmOperand> ops;
    final EncodeOptions opts;
    final List<Integer> prefixes;
    /** The mnemonic line split into words: prefixes first. */
    final String[] words;
    String error;
    int errorRank = -1;

    FormMatcher(String mnem, List<Encoder.Cand> cands, List<AsmOperand> ops, EncodeOptions opts, List<Integer> prefixes,
                String[] words) {
        this.words = words;
        this.mnem = mnem;
        this.cands = cands;
        this.ops = ops;
        this.opts = opts;
        this.prefixes = prefixes;
    }

    /** The mnemonic without its size suffix, as GNU as names it in messages ("movzb" for movzbl). */
    String base() {
        if (base == null) {     // every candidate that fails names it in its message
            Encoder.Cand c = cands.get(0);
            boolean suffixed = c.suffix() != 0 && (!Encoder.EXACT.containsKey(mnem) || c.form().has(Form.EXT_NAMES));
            base = suffixed ? mnem.substring(0, mnem.length() - 1) : mnem;
        }
        return base;
    }

    private String base;

    /** Whether the mnemonic, whatever its suffix, has a byte-sized form (inc has, push has not). */
    boolean familyHasByteForm() {
        List<Encoder.Cand> all = Encoder.EXACT.get(base());
        return all != null && all.stream().anyMatch(x -> Encoder.sizeOf(x.form()) == 1);
    }

    void fail(int rank, String msg) {
        if (rank > errorRank) { errorRank = rank; error = msg; }
    }

    Encoding run() throws EncodeException {
        Encoding best = null;
        Match bestMatch = null;
        for (int pass = 0; pass < 2 && best == null; pass++) {
            for (Encoder.Cand c : cands) {
                Match mt = match(c, pass == 1);
                if (mt == null) continue;
                Encoding e = build(mt);
                if (best == null || e.bytes().length < best.bytes().length) { best = e; bestMatch = mt; }
            }
        }
        if (best != null) {
            checkPrefixes(bestMatch);
            return best;
        }
        if (error == null) error = "operand type mismatch for `" + base() + "'";
        throw new EncodeException(error);
    }

    /** GNU as accepts rep only before string instructions (and ret, nop, bsf, bsr), lock only before a locked memory write. */
    void checkPrefixes(Match mt) throws EncodeException {
        Form f = mt.form;
        for (int i = 0; i < words.length - 1; i++) {
            Integer p = Encoder.PREFIXES.get(words[i]);
            if (p == 0xF2 || p == 0xF3) {
                boolean ok = (f.has(Form.STRING) && f.op != Op.XLAT) || f.op == Op.RET || f.op == Op.NOP
                        || f.op == Op.BSF || f.op == Op.BSR;
                if (!ok) throw new EncodeException("invalid instruction `" + base() + "' after `" + words[i] + "'");
            } else if (p == 0xF0) {
                boolean ok = Encoder.LOCKABLE.contains(f.op) && mt.intel.length > 0 && Encoder.strip(mt.intel[0]) instanceof Memory
                        && f.operands[0].usesRm();
                if (!ok) throw new EncodeException("expecting lockable instruction after `lock'");
            }
        }
    }

    /** The operands bound to a form: Intel order, with their AT&T index (-1 for implicit ones). */
    final class Match {
        Form form;
        int vsize;
        AsmOperand[] intel;
        int[] attIndex;
        List<String> warnings = new ArrayList<>();
    }

    Match match(Encoder.Cand c, boolean allowUnsized) {
        Form f = c.form();
        OperandSpec[] specs = f.operands;
        List<AsmOperand> att = new ArrayList<>(ops);
        List<Integer> idx = new ArrayList<>(att.size() + 2);
        for (int i = 0; i < att.size(); i++) idx.add(i);
        Match mt = new Match();
        mt.form = f;
        // far pointer: two immediates, selector first in both syntaxes
        if (specs.length == 1 && specs[0].kind == Kind.FARPTR) {
            if (att.size() != 2 || !(att.get(0) instanceof Immediate) || !(att.get(1) instanceof Immediate)) {
                boolean imm = att.size() == 1 && att.get(0) instanceof Immediate;
                fail(imm ? 5 : 0, "operand " + (imm ? "size" : "type") + " mismatch for `" + base() + "'");
                return null;
            }
            mt.intel = new AsmOperand[] {att.get(0), att.get(1)};
            mt.attIndex = new int[] {0, 1};
            mt.vsize = c.suffix() != 0 ? c.suffix() : opts.code16() ? 2 : 4;
            if (mt.vsize == 2 && (((Immediate) att.get(1)).value() & ~0xFFFFL) != 0) {
                fail(5, "16-bit jump out of range");
                return null;
            }
            return mt;
        }
        // implicit operands GNU as lets one omit
        if (f.has(Form.STRING) && att.isEmpty()) {
            mt.intel = new AsmOperand[specs.length];
            mt.attIndex = new int[specs.length];
            Arrays.fill(mt.attIndex, -1);
            for (int i = 0; i < specs.length; i++) mt.intel[i] = implicitString(specs[i]);
        } else {
            if ((f.op == Op.AAM || f.op == Op.AAD) && att.isEmpty()) { att.add(new Immediate(10)); idx.add(-1); }
            if (specs.length == 3 && f.op == Op.IMUL3 && att.size() == 2 && att.get(0) instanceof Immediate) {
                att.add(att.get(1)); idx.add(idx.get(1));
            }
            x87Implicit(f, att, idx);
            boolean implicitOne = specs.length == 2 && specs[1].kind == Kind.ONE && att.size() == 1;
            // shld %eax,%ebx: the count is %cl
            if (specs.length == 3 && specs[2].fixed == Reg.CL && att.size() == 2) { att.add(0, new Register(Reg.CL)); idx.add(0, -1); }
            // inb $0x60 / outl %dx: the accumulator is implied by the suffix
            if ((f.op == Op.IN || f.op == Op.OUT) && att.size() == 1 && c.suffix() != 0) {
                int acc = f.op == Op.IN ? 0 : 1;
                Reg r = Reg.gpr(c.suffix(), 0);
                if (acc == 0) { att.add(new Register(r)); idx.add(-1); } else { att.add(0, new Register(r)); idx.add(0, -1); }
            }
            if (att.size() + (implicitOne ? 1 : 0) != specs.length) {
                fail(1, "number of operands mismatch for `" + base() + "'");
                return null;
            }
            mt.intel = new AsmOperand[specs.length];
            mt.attIndex = new int[specs.length];
            boolean rev = !f.has(Form.NOREV);
            for (int i = 0; i < att.size(); i++) {
                int pos = rev ? att.size() - 1 - i : i;
                mt.intel[pos] = att.get(i);
                mt.attIndex[pos] = idx.get(i);
            }
            if (implicitOne) {
                mt.intel[1] = new Immediate(1);
                mt.attIndex[1] = -1;
            }
        }
        if (f.has(Form.COMMUTE) && mt.intel.length == 2 && !(fits(specs, mt, 0, 0) && fits(specs, mt, 1, 1))
                && fits(specs, mt, 0, 1) && fits(specs, mt, 1, 0)) {
            swap(mt);   // test (%eax),%ebx is test %ebx,(%eax)
        }
        if (!sizeOperands(c, mt, allowUnsized)) return null;
        if (f.has(Form.BARE_POP)) {
            if (!ops.isEmpty()) return null;
            mt.warnings.add("translating to `" + mnem + "p'");
        }
        if (f.has(Form.BARE_ALIAS) && mnem.equals(f.aliases.get(0))) {
            mt.warnings.add("no instruction mnemonic suffix given and no register operands; using default for `" + mnem + "'");
        }
        if (bind(mt)) return mt;
        if (!f.has(Form.COMMUTE) || mt.intel.length != 2) return null;
        swap(mt);   // xchg %edi,%eax is xchg %eax,%edi (90+r)
        return bind(mt) ? mt : null;
    }

    /** The x87 operands GNU as lets one omit: %st beside %st(i), %st(1) (or fnstsw's %ax) when none is written. */
    private static void x87Implicit(Form f, List<AsmOperand> att, List<Integer> idx) {
        OperandSpec[] specs = f.operands;
        if (att.isEmpty() && f.has(Form.ST1_DEFAULT)) {
            boolean ax = specs.length == 1 && specs[0].fixed == Reg.AX;
            att.add(new Register(ax ? Reg.AX : Reg.ST1));
            idx.add(-1);
        }
        if (att.size() == 1 && specs.length == 2 && f.has(Form.ST_IMPLIED)
                && att.get(0) instanceof Register r && r.reg().kind() == Reg.Kind.FPU) {
            // AT&T order: "fadd %st(2)" is "fadd %st(2),%st" (ST,STi) and "faddp %st(2)" is "faddp %st,%st(2)" (STi,ST)
            if (specs[0].kind == Kind.FIXED) { att.add(new Register(Reg.ST)); idx.add(-1); }
            else { att.add(0, new Register(Reg.ST)); idx.add(0, -1); }
        }
    }

    private static boolean fits(OperandSpec[] specs, Match mt, int spec, int operand) {
        return kindFits(specs[spec], Encoder.strip(mt.intel[operand]));
    }

    private static void swap(Match mt) {
        AsmOperand t = mt.intel[0]; mt.intel[0] = mt.intel[1]; mt.intel[1] = t;
        int ti = mt.attIndex[0]; mt.attIndex[0] = mt.attIndex[1]; mt.attIndex[1] = ti;
    }

    AsmOperand implicitString(OperandSpec s) {
        return switch (s.kind) {
            case STR_SRC -> Memory.base(opts.code16() ? Reg.SI : Reg.ESI);
            case STR_DST -> Memory.base(opts.code16() ? Reg.DI : Reg.EDI);
            case PORT_DX -> new Register(Reg.DX);
            case FIXED -> new Register(s.fixed);
            case XLAT_SRC -> Memory.base(opts.code16() ? Reg.BX : Reg.EBX);
            default -> throw new IllegalStateException(s.code);
        };
    }

    /** Decides the operand size for V-sized operands from the suffix or the registers. */
    boolean sizeOperands(Encoder.Cand c, Match mt, boolean allowUnsized) {
        Form f = mt.form;
        OperandSpec[] specs = f.operands;
        int v = 0;
        if (c.suffix() != 0) {
            if (f.hasSizeV() || f.has(Form.SFX_W16) || f.has(Form.DEF_SILENT) || Encoder.sizeOf(f) == 6 || f.hasX87Image()) {
                if (c.suffix() == 1) { fail(2, "invalid instruction suffix for `" + base() + "'"); return false; }
                v = c.suffix();
            }
        }
        boolean sized = c.suffix() != 0;
        for (int i = 0; i < specs.length; i++) {
            if (mt.attIndex[i] >= 0 && !kindFits(specs[i], Encoder.strip(mt.intel[i]))) {
                if (f.has(Form.INDIRECT) && f.has(Form.MEM_ONLY)) {   // ljmp *%eax
                    fail(3, c.suffix() != 0 ? "invalid instruction suffix for `" + base() + "'" : "operand size mismatch for `" + base() + "'");
                } else {
                    fail(2, "operand type mismatch for `" + base() + "'");
                }
                return false;
            }
        }
        for (int i = 0; i < specs.length; i++) {
            OperandSpec s = specs[i];
            AsmOperand a = mt.intel[i];
            if (a instanceof Indirect ind) a = ind.target();
            if (mt.attIndex[i] < 0) continue;   // implicit operand: sized by the others
            if (!(a instanceof Register r) || !r.reg().isGpr()) continue;
            if (s.kind == Kind.PORT_DX || (s.kind == Kind.FIXED && s.fixed == Reg.CL)) continue;
            if (s.kind != Kind.RM && s.kind != Kind.REG && s.kind != Kind.RMREG && s.kind != Kind.OPREG
                    && s.kind != Kind.FIXED) continue;
            int rs = r.reg().size();
            if (s.isSizeV()) {
                if (rs == 1) {
                    boolean otherSize = false;   // mov %al,%ebx: the registers disagree among themselves
                    for (AsmOperand o : mt.intel) {
                        otherSize |= o instanceof Register q && q.reg().isGpr() && q.reg().size() != 1;
                    }
                    String msg;
                    if (c.suffix() == 0 || otherSize) {
                        msg = familyHasByteForm() ? "operand type mismatch for `" + base() + "'" : "operand size mismatch for `" + base() + "'";
                    } else {
                        msg = familyHasByteForm() ? "`" + r.reg().att() + "' not allowed with `" + mnem + "'"
                                : "invalid instruction suffix for `" + base() + "'";
                    }
                    fail(3, msg);
                    return false;
                }
                if (v != 0 && v != rs) {
                    if (c.suffix() != 0) {
                        fail(4, "incorrect register `" + r.reg().att() + "' used with `" + Disassembler.suffix(c.suffix()) + "' suffix");
                    } else {
                        fail(3, "operand type mismatch for `" + base() + "'");
                    }
                    return false;
                }
                v = rs;
                sized = true;
            } else if (s.size > 0) {
                if (rs != s.size) {
                    if (c.suffix() != 0 && c.suffix() != rs && (f.hasSizeV() || s.size == c.suffix())) {
                        fail(4, "`" + r.reg().att() + "' not allowed with `" + mnem + "'");
                    } else {
                        fail(2, "operand type mismatch for `" + base() + "'");
                    }
                    return false;
                }
                sized = true;
            }
        }
        if (c.suffix() != 0 && !f.hasSizeV() && !f.has(Form.SFX_W16) && !f.has(Form.DEF_SILENT) && Encoder.sizeOf(f) != 6
                && !f.hasX87Image() && Encoder.sizeOf(f) != c.suffix()) {
            fail(2, "invalid instruction suffix for `" + base() + "'");
            return false;
        }
        if ((f.has(Form.O16) && v == 4) || (f.has(Form.O32) && v == 2)) {
            fail(3, "operand size mismatch for `" + base() + "'");
            return false;
        }
        if (f.has(Form.O16)) v = 2;
        if (f.has(Form.O32)) v = 4;
        if (v == 0) {
            v = opts.code16() ? 2 : 4;
            if (!sized && needsSize(f, mt)) {
                if (!f.hasSizeV() && !allowUnsized) return false;   // byte form: let the 32-bit form win
                if (f.hasSizeV() && !f.has(Form.DEF_SILENT)) {
                    mt.warnings.add("no instruction mnemonic suffix given and no register operands; using default for `" + base() + "'");
                }
            }
        }
        mt.vsize = v;
        return true;
    }

    /** Whether the operand is the right sort of thing for the spec (register file, immediate, memory), size aside. */
    static boolean kindFits(OperandSpec s, AsmOperand a) {
        if (a instanceof Register r) {
            return switch (r.reg().kind()) {
                case GPR -> switch (s.kind) {
                    case RM, REG, RMREG, OPREG, PORT_DX -> true;
                    case FIXED -> s.fixed.isGpr();
                    default -> false;
                };
                case SEG -> s.kind == Kind.SREG || (s.kind == Kind.FIXED && !s.fixed.isGpr());
                case CR -> s.kind == Kind.CREG;
                case DR -> s.kind == Kind.DREG;
                case FPU -> s.kind == Kind.STI || (s.kind == Kind.FIXED && s.fixed == Reg.ST);
            };
        }
        if (a instanceof Immediate) {
            return s.kind == Kind.IMM || s.kind == Kind.IMM8S || s.kind == Kind.ONE || s.kind == Kind.FARPTR;
        }
        return switch (s.kind) {
            case RM, MEM, MOFFS, REL, STR_SRC, STR_DST, XLAT_SRC, PORT_DX -> true;
            default -> false;
        };
    }

    /** A byte or V-sized memory operand (or an explicit string operand) whose size only a suffix or register tells. */
    boolean needsSize(Form f, Match mt) {
        for (int i = 0; i < f.operands.length; i++) {
            OperandSpec s = f.operands[i];
            if ((s.kind == Kind.STR_SRC || s.kind == Kind.STR_DST) && mt.attIndex[i] >= 0) return true;
            if ((s.kind == Kind.RM || s.kind == Kind.MEM) && (s.isSizeV() || s.size == 1)
                    && !(mt.intel[i] instanceof Register)) return true;
        }
        return false;
    }

    /** Checks each operand against its spec. */
    boolean bind(Match mt) {
        Form f = mt.form;
        int v = mt.vsize;
        int strAddr = 0, strIdx = -1;
        for (int i = 0; i < f.operands.length; i++) {
            if (mt.attIndex[i] < 0) continue;
            if (!accepts(f, f.operands[i], mt.intel[i], v, mt)) {
                boolean farReg = f.has(Form.INDIRECT) && f.has(Form.MEM_ONLY) && Encoder.strip(mt.intel[i]) instanceof Register;
                if (farReg && mt.vsize != 0 && !mnem.equals(base())) fail(3, "invalid instruction suffix for `" + base() + "'");
                else fail(farReg ? 3 : 2, "operand " + (farReg ? "size" : "type") + " mismatch for `" + base() + "'");
                return false;
            }
            Kind k = f.operands[i].kind;
            if (k == Kind.STR_SRC || k == Kind.STR_DST || k == Kind.XLAT_SRC) {
                Memory m = (Memory) mt.intel[i];
                int as = m.base().size();
                if (strAddr != 0 && as != strAddr) {
                    // GNU as names the later operand as written
                    Memory bad = mt.attIndex[i] > mt.attIndex[strIdx] ? m : (Memory) mt.intel[strIdx];
                    fail(5, "`" + Encoder.memText(bad) + "' is not a valid string address expression");
                    return false;
                }
                strAddr = as;
                strIdx = i;
            }
        }
        return true;
    }

    boolean accepts(Form f, OperandSpec s, AsmOperand a, int v, Match mt) {
        int size = s.size(v);
        if (f.has(Form.INDIRECT)) {
            if (a instanceof Indirect ind) a = ind.target();
            else if (f.has(Form.MEM_ONLY) && a instanceof Memory) {   // ljmp foo: always indirect
                if (!mt.warnings.contains("indirect " + base() + " without `*'")) mt.warnings.add("indirect " + base() + " without `*'");
            }
            else if (a instanceof Register || (a instanceof Memory mm && !mm.isAbsolute())) {
                if (!mt.warnings.contains("indirect " + base() + " without `*'")) mt.warnings.add("indirect " + base() + " without `*'");
            } else return false;
        } else if (a instanceof Indirect) {
            return false;
        }
        switch (s.kind) {
            case RM:
                if (a instanceof Register r) return r.reg().isGpr() && r.reg().size() == size;
                return a instanceof Memory;
            case MEM:
                return a instanceof Memory;
            case RMREG: case REG: case OPREG:
                return a instanceof Register r && r.reg().isGpr() && r.reg().size() == size;
            case SREG: return a instanceof Register r && r.reg().kind() == Reg.Kind.SEG;
            case CREG: return a instanceof Register r && r.reg().kind() == Reg.Kind.CR;
            case DREG: return a instanceof Register r && r.reg().kind() == Reg.Kind.DR;
            case IMM:
                if (!(a instanceof Immediate im)) return false;
                // (GNU as lets .code16 truncate a 16-bit one: enter, ret $n; in 32-bit code it refuses)
                if (Encoder.unsizedImmediate(f) && !im.relocatable() && s.size > 0 && s.size < 4 && !(s.size == 2 && opts.code16())) {
                    long lo = s.size == 1 ? -0x80 : -0x8000, hi = s.size == 1 ? 0xFF : 0xFFFF;
                    if (im.value() < lo || im.value() > hi) {
                        fail(5, (f.op == Op.ENTER ? "operand type" : "operand size") + " mismatch for `" + base() + "'");
                        return false;
                    }
                }
                return true;
            case IMM8S: {
                if (!(a instanceof Immediate im) || im.relocatable()) return false;
                // GNU as narrows only values that fit the operand size, signed or unsigned
                long val = im.value();
                if (val >= 0x80000000L && val <= 0xFFFFFFFFL) val -= 1L << 32;   // a 32-bit constant is signed
                long lim = v == 2 ? 0x10000L : 0x100000000L;
                if (val < -lim / 2 || val >= lim) return false;
                long x = Encoder.signExtend(val, v);
                return x >= -128 && x <= 127;
            }
            case ONE: return a instanceof Immediate im && !im.relocatable() && im.value() == 1;
            case REL: {
                if (!(a instanceof Memory mm) || !mm.isAbsolute() || mm.seg() != null) return false;
                if (f.has(Form.REL8_ONLY) || f.op == Op.CALL) return true;   // call has no rel8 form
                return (size == 1) == opts.shortBranch();
            }
            case MOFFS:
                return a instanceof Memory mm && mm.isAbsolute();
            case STI: return a instanceof Register r && r.reg().kind() == Reg.Kind.FPU;
            case FIXED: {
                if (!(a instanceof Register r)) return false;
                if (s.fixed == Reg.ST) return r.reg() == Reg.ST || r.reg() == Reg.ST0;
                if (s.fixed.isGpr()) return r.reg() == Reg.gpr(size, s.fixed.num());
                return r.reg() == s.fixed;
            }
            case PORT_DX:
                if (a instanceof Register r) return r.reg() == Reg.DX;
                return a instanceof Memory mm && mm.base() == Reg.DX && mm.index() == null && mm.seg() == null && mm.disp() == 0;
            case STR_SRC:
                return a instanceof Memory mm && (mm.base() == Reg.ESI || mm.base() == Reg.SI) && mm.index() == null && mm.disp() == 0;
            case XLAT_SRC:
                return a instanceof Memory mm && (mm.base() == Reg.EBX || mm.base() == Reg.BX) && mm.index() == null && mm.disp() == 0;
            case STR_DST:
                return a instanceof Memory mm && (mm.base() == Reg.EDI || mm.base() == Reg.DI) && mm.index() == null
                        && mm.disp() == 0 && (mm.seg() == null || mm.seg() == Reg.ES);
            default:
                return false;
        }
    }

    Encoding build(Match mt) throws EncodeException {
        return new Emitter(mt.form, mt.vsize, mt.intel, mt.attIndex, opts, prefixes, mt.warnings, base()).emit();
    }
}

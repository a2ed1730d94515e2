package dev.fixup.x86;

import dev.fixup.x86.AsmOperand.Immediate;
import dev.fixup.x86.AsmOperand.Indirect;
import dev.fixup.x86.AsmOperand.Memory;
import dev.fixup.x86.AsmOperand.Register;
import dev.fixup.x86.OperandSpec.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes AT&T instructions with the forms of {@link FormTable}, choosing the encoding GNU as 2.40 chooses:
 * among the forms that accept the operands, the shortest encoding; on a tie, the earlier table row.
 */
public final class Encoder {

    /** A form reachable under a mnemonic, with the operand size its suffix imposes (0 = no suffix). */
    private record Cand(Form form, int suffix) { }

    private static final Map<String, List<Cand>> EXACT = new HashMap<>();
    private static final Map<String, List<Cand>> SUFFIXED = new HashMap<>();
    private static final Map<String, Integer> PREFIXES = new LinkedHashMap<>();

    static {
        for (Form f : FormTable.forms()) {
            if (f.has(Form.NO_ENC)) continue;
            if (f.has(Form.EXT_NAMES)) {
                for (String a : f.aliases) put(EXACT, a, new Cand(f, 0));
                char src = Disassembler.suffix(f.operands[1].size);
                if (src == 'b') put(EXACT, f.mnemonic + src + 'w', new Cand(f, 2));
                put(EXACT, f.mnemonic + src + 'l', new Cand(f, 4));
                continue;
            }
            List<String> names = new ArrayList<>();
            names.add(f.mnemonic);
            names.addAll(f.aliases);
            for (String n : names) {
                put(EXACT, n, new Cand(f, 0));
                if (f.has(Form.NO_SUFFIX)) continue;
                if (f.hasSizeV() || f.has(Form.SFX_W16) || f.has(Form.DEF_SILENT) || sizeOf(f) == 6) {
                    if (!f.has(Form.O32)) put(SUFFIXED, n + "w", new Cand(f, 2));
                    if (!f.has(Form.O16)) put(SUFFIXED, n + "l", new Cand(f, 4));
                } else if (sizeOf(f) > 0) {
                    put(SUFFIXED, n + Disassembler.suffix(sizeOf(f)), new Cand(f, sizeOf(f)));
                }
            }
        }
        PREFIXES.put("lock", 0xF0);
        PREFIXES.put("rep", 0xF3);
        PREFIXES.put("repe", 0xF3);
        PREFIXES.put("repz", 0xF3);
        PREFIXES.put("repne", 0xF2);
        PREFIXES.put("repnz", 0xF2);
        PREFIXES.put("es", 0x26);
        PREFIXES.put("cs", 0x2E);
        PREFIXES.put("ss", 0x36);
        PREFIXES.put("ds", 0x3E);
        PREFIXES.put("fs", 0x64);
        PREFIXES.put("gs", 0x65);
        PREFIXES.put("data16", 0x66);
        PREFIXES.put("addr16", 0x67);
        PREFIXES.put("notrack", Emitter.NOTRACK);
    }

    /** Instructions that take the lock prefix. */
    static final java.util.Set<Op> LOCKABLE = java.util.EnumSet.of(Op.ADD, Op.ADC, Op.AND, Op.BTC, Op.BTR, Op.BTS,
            Op.CMPXCHG, Op.CMPXCHG8B, Op.DEC, Op.INC, Op.NEG, Op.NOT, Op.OR, Op.SBB, Op.SUB, Op.XOR, Op.XADD, Op.XCHG);

    private static void put(Map<String, List<Cand>> m, String name, Cand c) {
        m.computeIfAbsent(name, k -> new ArrayList<>()).add(c);
    }

    /** Explicit size of the form's main operand (1, 2, 4, 6 for lgdt), 0 if none: the suffix it takes. */
    private static int sizeOf(Form f) {
        for (OperandSpec s : f.operands) {
            if (s.kind == Kind.PORT_DX || s.fixed == Reg.CL || s.kind == Kind.REL) continue;
            if (s.kind == Kind.IMM || s.kind == Kind.IMM8S || s.kind == Kind.XLAT_SRC) continue;
            if (s.kind == Kind.FIXED && !s.fixed.isGpr()) continue;
            if (s.size == 1 || s.size == 2 || s.size == 4 || s.size == 6) return s.size;
        }
        return 0;
    }

    private Encoder() { }

    /** True if the assembler should treat this word as an instruction mnemonic or prefix. */
    public static boolean isMnemonic(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return EXACT.containsKey(w) || SUFFIXED.containsKey(w) || PREFIXES.containsKey(w);
    }

    /** Prefix byte of a prefix mnemonic (rep, lock, fs, data16...), or -1. */
    public static int prefixByte(String word) {
        Integer b = PREFIXES.get(word.toLowerCase(Locale.ROOT));
        return b == null ? -1 : b & 0xFF;
    }

    /**
     * Encodes one instruction. mnemonic may carry prefixes separated by spaces ("rep movsl", "lock incl");
     * a lone prefix ("rep") encodes to its prefix byte. ops are in AT&T order as written.
     */
    public static Encoding encode(String mnemonic, List<AsmOperand> ops, EncodeOptions opts) throws EncodeException {
        String[] words = mnemonic.trim().toLowerCase(Locale.ROOT).split("\\s+");
        List<Integer> prefixes = new ArrayList<>();
        int n = words.length;
        for (int i = 0; i < n - 1; i++) {
            Integer b = PREFIXES.get(words[i]);
            if (b == null) throw new EncodeException("no such instruction: `" + mnemonic.trim() + "'");
            prefixes.add(b);
        }
        String m = words[n - 1];
        // GNU as spellings that select another form outright
        if (m.equals("int") && ops.size() == 1 && ops.get(0) instanceof Immediate im && !im.relocatable() && im.value() == 3) {
            m = "int3";
            ops = List.of();
        } else if (m.equals("pause") && ops.isEmpty()) {
            prefixes.add(0xF3);
            m = "nop";
        }
        List<Cand> cands = EXACT.get(m);
        if (cands == null) cands = SUFFIXED.get(m);
        if (cands == null) {
            int b = prefixByte(m);
            if (b >= 0 && ops.isEmpty()) {
                prefixes.add(b);
                byte[] out = new byte[prefixes.size()];
                for (int i = 0; i < out.length; i++) out[i] = (byte) (int) prefixes.get(i);
                List<String> warn = b == 0x66 || b == 0x67 ? List.of("stand-alone `" + m + "' prefix") : List.of();
                return new Encoding(out, List.of(), warn);
            }
            if (b >= 0) throw new EncodeException("expecting prefix; got nothing");
            if (looksSuffixed(m)) throw new EncodeException("invalid instruction suffix for `" + m.substring(0, m.length() - 1) + "'");
            throw new EncodeException("no such instruction: `" + m + "'");
        }
        return new Attempt(m, cands, ops, opts, prefixes, words).run();
    }

    private static boolean looksSuffixed(String m) {
        if (m.length() < 2) return false;
        char c = m.charAt(m.length() - 1);
        String base = m.substring(0, m.length() - 1);
        return (c == 'b' || c == 'w' || c == 'l' || c == 'q' || c == 's' || c == 't')
                && (EXACT.containsKey(base) || SUFFIXED.containsKey(base) || base.equals("movzw") || base.equals("movzb"));
    }

    /** One encode call: tries every candidate form, keeps the best encoding and the most telling error. */
    private static final class Attempt {
        final String mnem;
        final List<Cand> cands;
        final List<AsmOperand> ops;
        final EncodeOptions opts;
        final List<Integer> prefixes;
        String error;
        int errorRank = -1;

        final String[] words;

        Attempt(String mnem, List<Cand> cands, List<AsmOperand> ops, EncodeOptions opts, List<Integer> prefixes, String[] words) {
            this.words = words;
            this.mnem = mnem;
            this.cands = cands;
            this.ops = ops;
            this.opts = opts;
            this.prefixes = prefixes;
        }

        String base() {
            Cand c = cands.get(0);
            return c.suffix != 0 && !EXACT.containsKey(mnem) ? mnem.substring(0, mnem.length() - 1) : mnem;
        }

        void fail(int rank, String msg) {
            if (rank > errorRank) { errorRank = rank; error = msg; }
        }

        Encoding run() throws EncodeException {
            Encoding best = null;
            Match bestMatch = null;
            for (int pass = 0; pass < 2 && best == null; pass++) {
                for (Cand c : cands) {
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
                Integer p = PREFIXES.get(words[i]);
                if (p == 0xF2 || p == 0xF3) {
                    boolean ok = (f.has(Form.STRING) && f.op != Op.XLAT) || f.op == Op.RET || f.op == Op.NOP
                            || f.op == Op.BSF || f.op == Op.BSR;
                    if (!ok) throw new EncodeException("invalid instruction `" + base() + "' after `" + words[i] + "'");
                } else if (p == 0xF0) {
                    boolean ok = LOCKABLE.contains(f.op) && mt.intel.length > 0 && strip(mt.intel[0]) instanceof Memory
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

        Match match(Cand c, boolean allowUnsized) {
            Form f = c.form;
            OperandSpec[] specs = f.operands;
            List<AsmOperand> att = new ArrayList<>(ops);
            List<Integer> idx = new ArrayList<>();
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
                mt.vsize = c.suffix != 0 ? c.suffix : opts.code16() ? 2 : 4;
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
                java.util.Arrays.fill(mt.attIndex, -1);
                for (int i = 0; i < specs.length; i++) mt.intel[i] = implicitString(specs[i]);
            } else {
                if ((f.op == Op.AAM || f.op == Op.AAD) && att.isEmpty()) { att.add(new Immediate(10)); idx.add(-1); }
                if (specs.length == 3 && f.op == Op.IMUL3 && att.size() == 2 && att.get(0) instanceof Immediate) {
                    att.add(att.get(1)); idx.add(idx.get(1));
                }
                boolean implicitOne = specs.length == 2 && specs[1].kind == Kind.ONE && att.size() == 1;
                // shld %eax,%ebx: the count is %cl
                if (specs.length == 3 && specs[2].fixed == Reg.CL && att.size() == 2) { att.add(0, new Register(Reg.CL)); idx.add(0, -1); }
                // inb $0x60 / outl %dx: the accumulator is implied by the suffix
                if ((f.op == Op.IN || f.op == Op.OUT) && att.size() == 1 && c.suffix != 0) {
                    int acc = f.op == Op.IN ? 0 : 1;
                    Reg r = Reg.gpr(c.suffix, 0);
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
            if (!sizeOperands(c, mt, allowUnsized)) return null;
            boolean ok = bind(mt);
            if (!ok && f.has(Form.COMMUTE) && mt.intel.length == 2) {
                AsmOperand t = mt.intel[0]; mt.intel[0] = mt.intel[1]; mt.intel[1] = t;
                int ti = mt.attIndex[0]; mt.attIndex[0] = mt.attIndex[1]; mt.attIndex[1] = ti;
                ok = bind(mt);
            }
            return ok ? mt : null;
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
        boolean sizeOperands(Cand c, Match mt, boolean allowUnsized) {
            Form f = mt.form;
            OperandSpec[] specs = f.operands;
            int v = 0;
            if (c.suffix != 0) {
                if (f.hasSizeV() || f.has(Form.SFX_W16) || f.has(Form.DEF_SILENT) || sizeOf(f) == 6) {
                    if (c.suffix == 1) { fail(2, "invalid instruction suffix for `" + base() + "'"); return false; }
                    v = c.suffix;
                }
            }
            boolean sized = c.suffix != 0;
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
                        boolean byteForm = cands.stream().anyMatch(x -> sizeOf(x.form) == 1);
                        fail(3, byteForm ? "operand type mismatch for `" + base() + "'"
                                : c.suffix != 0 ? "invalid instruction suffix for `" + base() + "'"
                                : "operand size mismatch for `" + base() + "'");
                        return false;
                    }
                    if (v != 0 && v != rs) {
                        if (c.suffix != 0) {
                            fail(4, "incorrect register `" + r.reg().att() + "' used with `" + Disassembler.suffix(c.suffix) + "' suffix");
                        } else {
                            fail(3, "operand type mismatch for `" + base() + "'");
                        }
                        return false;
                    }
                    v = rs;
                    sized = true;
                } else if (s.size > 0) {
                    if (rs != s.size) {
                        if (c.suffix != 0 && c.suffix != rs && (f.hasSizeV() || s.size == c.suffix)) {
                            fail(4, "`" + r.reg().att() + "' not allowed with `" + mnem + "'");
                        } else {
                            fail(2, "operand type mismatch for `" + base() + "'");
                        }
                        return false;
                    }
                    sized = true;
                }
            }
            if (c.suffix != 0 && !f.hasSizeV() && !f.has(Form.SFX_W16) && !f.has(Form.DEF_SILENT) && sizeOf(f) != 6
                    && sizeOf(f) != c.suffix) {
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

        /** A memory operand whose size only a suffix or register could tell. */
        boolean needsSize(Form f, Match mt) {
            for (int i = 0; i < f.operands.length; i++) {
                OperandSpec s = f.operands[i];
                if ((s.kind == Kind.STR_SRC || s.kind == Kind.STR_DST) && mt.attIndex[i] >= 0) return true;
                if ((s.kind == Kind.RM || s.kind == Kind.MEM) && (s.isSizeV() || s.size == 1 || s.size == 2 || s.size == 4)
                        && !(mt.intel[i] instanceof Register) && f.operands.length > 0) {
                    return !(s.kind == Kind.MEM && f.operands.length == 2 && f.operands[1].kind == Kind.SREG)
                            && !(s.kind == Kind.MEM && f.operands.length == 2 && f.operands[0].kind == Kind.SREG);
                }
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
                    boolean farReg = f.has(Form.INDIRECT) && f.has(Form.MEM_ONLY) && strip(mt.intel[i]) instanceof Register;
                    fail(farReg ? 3 : 2, "operand " + (farReg ? "size" : "type") + " mismatch for `" + base() + "'");
                    return false;
                }
                Kind k = f.operands[i].kind;
                if (k == Kind.STR_SRC || k == Kind.STR_DST || k == Kind.XLAT_SRC) {
                    Memory m = (Memory) mt.intel[i];
                    int as = m.base().size();
                    if (strAddr != 0 && as != strAddr) {
                        // GNU as names the later operand as written
                        Memory bad = mt.attIndex[i] > mt.attIndex[strIdx] ? m : (Memory) mt.intel[strIdx];
                        fail(5, "`" + memText(bad) + "' is not a valid string address expression");
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
                    if (unsizedImmediate(f) && !im.relocatable() && s.size > 0 && s.size < 4) {
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
                    long x = signExtend(val, v);
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
                case FIXED: {
                    if (!(a instanceof Register r)) return false;
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

    private static AsmOperand strip(AsmOperand a) {
        return a instanceof Indirect i ? i.target() : a;
    }

    /** Forms whose immediate GNU as cannot truncate to an operand size (int, ret $n, enter): too big is an error. */
    private static boolean unsizedImmediate(Form f) {
        return switch (f.op) {
            case INT, RET, RET_FAR, ENTER, AAM, AAD -> true;
            default -> false;
        };
    }

    private static String memText(Memory m) {
        return (m.seg() != null ? m.seg().att() + ":" : "") + "(" + (m.base() != null ? m.base().att() : "") + ")";
    }

    static long signExtend(long value, int size) {
        return switch (size) {
            case 1 -> (byte) value;
            case 2 -> (short) value;
            default -> (int) value;
        };
    }
}

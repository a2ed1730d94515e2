package dev.fixup.cli.difftest;

import dev.fixup.x86.UndefinedFlags;

import static dev.fixup.cli.difftest.TestCase.EBP_OFFSET;
import static dev.fixup.cli.difftest.TestCase.ESP_OFFSET;
import static dev.fixup.cli.difftest.TestCase.MEM_SIZE;

import dev.fixup.x86.AsmOperand;
import dev.fixup.x86.EncodeException;
import dev.fixup.x86.EncodeOptions;
import dev.fixup.x86.Encoder;
import dev.fixup.x86.Form;
import dev.fixup.x86.FormTable;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;
import dev.fixup.x86.OperandSpec.Kind;
import dev.fixup.x86.Reg;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates random user-mode instruction sequences, reproducibly from a seed. Ordinary instructions come
 * straight from the shared instruction table ({@link FormTable}): every row whose Op is safe in ring 3
 * becomes a candidate, with random registers, immediates and memory operands, and is checked with the
 * {@link Encoder} before use. Instructions that need care (division, string instructions, branches,
 * popf, pusha/popa, enter/leave, call/ret, xlat) are built as small guarded units.
 *
 * Invariants that keep every case inside its own memory block: EBP is never written (it is the base of
 * memory operands), ESP moves only by pushes and pops whose depth is tracked, index registers are masked
 * to 0..15 right before use, and string/bit-string offsets are loaded explicitly.
 */
public final class SequenceGenerator {
    private static final int MAX_DEPTH = 160, MIN_DEPTH = -48;

    /** Ops whose table rows are generated generically (operands from the operand specs). */
    private static final Set<Op> GENERIC_OPS = EnumSet.of(
            Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP, Op.TEST, Op.INC, Op.DEC, Op.NEG, Op.NOT,
            Op.MUL, Op.IMUL1, Op.IMUL2, Op.IMUL3, Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, Op.SAR,
            Op.SHLD, Op.SHRD, Op.BT, Op.BTS, Op.BTR, Op.BTC, Op.BSF, Op.BSR, Op.SETCC, Op.CMOVCC, Op.BSWAP,
            Op.XADD, Op.CMPXCHG, Op.XCHG, Op.MOV, Op.MOVZX, Op.MOVSX, Op.LEA, Op.CBW, Op.CWD,
            Op.LAHF, Op.SAHF, Op.DAA, Op.DAS, Op.AAA, Op.AAS, Op.AAM, Op.AAD, Op.CLC, Op.STC, Op.CMC, Op.CLD,
            Op.STD, Op.NOP, Op.PUSH, Op.POP, Op.PUSHF, Op.ARPL);
    // Not generated: CMPXCHG8B. qemu-i386 7.2 corrupts EFLAGS after it (flags the manual says are unaffected
    // change; later even IOPL/NT bits appear and qemu aborts on an assertion), so qemu is no reference for it.
    private static final Set<Op> STACK_OPS = EnumSet.of(Op.PUSH, Op.POP, Op.PUSHF);
    private static final Set<Op> LOCKABLE = EnumSet.of(Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR,
            Op.INC, Op.DEC, Op.NEG, Op.NOT, Op.BTS, Op.BTR, Op.BTC, Op.XADD, Op.CMPXCHG, Op.CMPXCHG8B, Op.XCHG);
    private static final Set<Op> SHIFTS = EnumSet.of(Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, Op.SAR,
            Op.SHLD, Op.SHRD);
    private static final Set<Op> BITS = EnumSet.of(Op.BT, Op.BTS, Op.BTR, Op.BTC);

    /** Table rows by Op: picking an Op first keeps the many ALU rows from crowding out the rest. */
    private static final SortedMap<Op, List<Form>> FORMS = new TreeMap<>();
    private static final List<Form> JCC = new ArrayList<>();

    static {
        for (Form f : FormTable.forms()) {
            if (f.has(Form.NO_ENC)) continue;          // decoder-only rows have no spelling
            if (f.op == Op.JCC) JCC.add(f);
            if (!GENERIC_OPS.contains(f.op) || f.has(Form.STRING)) continue;
            FORMS.computeIfAbsent(f.op, k -> new ArrayList<>()).add(f);
        }
    }

    /** Forms the encoder refused, with its message: reported, never generated again. */
    private static final Map<String, String> REJECTED = new ConcurrentHashMap<>();

    public static Map<String, String> rejectedForms() { return new TreeMap<>(REJECTED); }

    private static final Reg[] WRITABLE32 = {Reg.EAX, Reg.ECX, Reg.EDX, Reg.EBX, Reg.ESI, Reg.EDI};

    private final Random rnd;
    private int undefined;   // flags undefined at the current point of the sequence
    private int depth;       // bytes pushed below ESP_OFFSET
    private int labels;

    private SequenceGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    /** The case for {@code seed}: the same seed always gives the same case. */
    public static TestCase generate(long seed, int length) {
        return new SequenceGenerator(seed).generate(length, seed);
    }

    private TestCase generate(int length, long seed) {
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) regs[i] = Values.interesting(rnd, 4);
        int eflags = 0x2 | (rnd.nextInt() & UndefinedFlags.ALL) | (rnd.nextInt(4) == 0 ? 0x400 : 0);
        byte[] mem = new byte[MEM_SIZE];
        rnd.nextBytes(mem);
        List<Unit> units = new ArrayList<>();
        while (units.size() < length) {
            Unit u = unit(false);
            if (u == null) continue;
            units.add(u);
            undefined = u.undefinedAfter();
        }
        return new TestCase(seed, length, regs, eflags, mem, units);
    }

    /** One unit of a randomly chosen kind; null when the choice is impossible here (tried again). */
    private Unit unit(boolean inner) {
        int k = rnd.nextInt(100);
        if (inner || k < 70) return generic(pickGeneric(inner), inner);
        if (k < 75) return division();
        if (k < 81) return string();
        if (k < 88) return branch();
        if (k < 90) return popf();
        if (k < 92) return pushaPopa();
        if (k < 94) return enterLeave();
        if (k < 95) return callRet();
        if (k < 96) return farTransfer();
        if (k < 97) return rnd.nextBoolean() ? xlat() : bound();
        if (k < 98) return segments();
        if (k < 99) return rnd.nextBoolean() ? loopBack() : selfModifying();
        return stackPointer();
    }

    private Form pickGeneric(boolean inner) {
        while (true) {
            List<Op> ops = new ArrayList<>(FORMS.keySet());
            Op op = ops.get(rnd.nextInt(ops.size()));
            if (inner && STACK_OPS.contains(op)) continue;
            List<Form> forms = FORMS.get(op);
            return forms.get(rnd.nextInt(forms.size()));
        }
    }

    // ---- ordinary instructions, from the table

    private record Operand(String text, AsmOperand asm) {}

    private Unit generic(Form f, boolean inner) {
        Op op = f.op;
        int opsize = f.has(Form.O16) ? 2 : f.has(Form.O32) ? 4 : f.hasSizeV() && rnd.nextInt(4) == 0 ? 2 : 4;
        OperandSpec[] specs = f.operands;
        if (f.has(Form.EXT_NAMES) && specs[1].size == 2) opsize = 4;     // movzww does not exist
        int n = specs.length;
        if (op == Op.PUSH || op == Op.PUSHF) { if (depth + opsize > MAX_DEPTH) return null; }
        if (op == Op.POP && depth - opsize < MIN_DEPTH) return null;

        // which operand is in memory
        int memAt = -1;
        for (int i = 0; i < n; i++) {
            Kind kd = specs[i].kind;
            if (kd == Kind.MEM || kd == Kind.MOFFS || (kd == Kind.RM && !f.has(Form.REG_ONLY)
                    && (f.has(Form.MEM_ONLY) || rnd.nextInt(5) < 2))) memAt = i;
        }
        Operand[] ops = new Operand[n];
        List<String> valueLines = new ArrayList<>();
        int reserved = 0;   // register numbers given fixed values by helper lines
        int count = 0;      // shift count as executed
        int slack = 0;

        // registers first
        for (int i = 0; i < n; i++) {
            OperandSpec s = specs[i];
            int size = s.size(opsize);
            switch (s.kind) {
                case REG, RMREG, OPREG -> ops[i] = reg(size, writes(op, i));
                case RM -> { if (i != memAt) ops[i] = reg(size, writes(op, i)); }
                case FIXED -> {
                    Reg r = s.fixed.size() == 4 || s.size == OperandSpec.V ? Reg.gpr(size, s.fixed.num()) : s.fixed;
                    ops[i] = new Operand(r.att(), new AsmOperand.Register(r));
                }
                default -> { }
            }
        }
        // then values with constraints
        for (int i = 0; i < n; i++) {
            OperandSpec s = specs[i];
            int size = s.size(opsize);
            if (SHIFTS.contains(op) && i == n - 1) {
                count = shiftCount(op, opsize, specs[0].size(opsize), s.kind == Kind.ONE);
                if (s.kind == Kind.FIXED) {       // count in %cl
                    valueLines.add("movb $" + count + ", %cl");
                    reserved |= 1 << 1;
                } else if (s.kind == Kind.IMM) {
                    ops[i] = new Operand("$" + count, new AsmOperand.Immediate(count));
                }
            } else if (s.kind == Kind.IMM || s.kind == Kind.IMM8S) {
                int v = s.kind == Kind.IMM8S ? rnd.nextInt(256) - 128 : Values.interesting(rnd, size);
                if (op == Op.AAM && v == 0) v = 10;
                if (BITS.contains(op)) v = rnd.nextInt(256);
                ops[i] = new Operand(s.kind == Kind.IMM8S ? "$" + v : Values.imm(v, size),
                        new AsmOperand.Immediate(s.kind == Kind.IMM8S ? v : v & (size == 4 ? 0xffffffffL : (1L << 8 * size) - 1)));
            }
        }
        if (BITS.contains(op) && memAt == 0 && specs[1].kind == Kind.REG) {
            // bit offset register: keep the addressed bit within 16 bytes either side
            int k = rnd.nextInt(256) - 128;
            ops[1] = reg(opsize, true);                              // it gets a value: never ESP or EBP
            Reg r = ((AsmOperand.Register) ops[1].asm).reg();
            valueLines.add((opsize == 4 ? "movl $" : "movw $") + k + ", " + r.att());
            reserved |= 1 << r.num();
            slack = 20;
        }
        List<String> indexLines = new ArrayList<>();
        if (memAt >= 0) {
            OperandSpec s = specs[memAt];
            int size = s.size == OperandSpec.NONE ? 1 : s.size == 8 ? 8 : s.size(opsize);
            if (op == Op.LEA) ops[memAt] = leaAddress();
            else if (s.kind == Kind.MOFFS) ops[memAt] = absolute(size);
            else ops[memAt] = memory(size, slack, !STACK_OPS.contains(op), reserved, indexLines);
        }

        // mnemonic: with the size suffix if the encoder takes it, else as in the table
        List<Operand> att = new ArrayList<>();
        for (int i = 0; i < n; i++) if (ops[i] != null) att.add(ops[i]);
        if (!f.has(Form.NOREV)) java.util.Collections.reverse(att);
        List<AsmOperand> asm = att.stream().map(Operand::asm).toList();
        boolean lock = memAt == 0 && LOCKABLE.contains(op) && rnd.nextInt(6) == 0;
        String mnemonic = null;
        String error = null;
        for (String m : mnemonics(f, opsize, specs)) {
            String full = lock ? "lock " + m : m;
            try {
                Encoder.encode(full, asm, EncodeOptions.DEFAULT);
                mnemonic = full;
                break;
            } catch (EncodeException | RuntimeException e) {
                if (error == null) error = e.getMessage();
            }
        }
        String shape = f + (memAt >= 0 ? " (memory)" : "") + (opsize == 2 ? " 16-bit" : "");
        if (mnemonic == null) {
            REJECTED.putIfAbsent(shape, String.valueOf(error));
            return null;
        }
        StringBuilder text = new StringBuilder(mnemonic);
        for (int i = 0; i < att.size(); i++) text.append(i == 0 ? " " : ", ").append(att.get(i).text);

        if (op == Op.PUSH || op == Op.PUSHF) depth += opsize;
        if (op == Op.POP) depth -= opsize;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        for (String l : valueLines) b.add(l);
        UndefinedFlags.Effect and = UndefinedFlags.of(Op.AND, 4, 0, -1);
        for (String l : indexLines) b.add(l, helperEffect(l));
        UndefinedFlags.Effect effect = UndefinedFlags.of(op, specs.length > 0 ? Math.max(1, specs[0].size(opsize)) : opsize,
                count, f.cond);
        b.defineFlags(effect.reads());
        String line = text.toString();
        String name = mnemonic;
        if (rnd.nextInt(10) == 0 && line.indexOf('@') < 0) {
            String prefixed = withRedundantPrefixes(mnemonic, asm, f, memAt >= 0, line);
            if (prefixed != null) { line = prefixed; name = mnemonic + " +prefixes"; }
        }
        b.add(line, effect);
        return b.build(name);
    }

    /**
     * The instruction as bytes with 1-3 extra prefixes that must not change what it does: segment overrides
     * (flat segments; fs/gs/cs only without a memory operand), 0x67 without a memory operand, rep/repne on a
     * one-byte-map instruction (P6 ignores them there), a repeated 0x66 when the instruction already has one.
     */
    private String withRedundantPrefixes(String mnemonic, List<AsmOperand> asm, Form f, boolean memory, String text) {
        byte[] bytes;
        try {
            bytes = Encoder.encode(mnemonic, asm, EncodeOptions.DEFAULT).bytes();
        } catch (EncodeException | RuntimeException e) {
            return null;
        }
        List<Integer> allowed = new ArrayList<>(List.of(0x3e, 0x26, 0x36));
        if (!memory) allowed.addAll(List.of(0x2e, 0x64, 0x65, 0x67));
        if (f.map == 0 && !mnemonic.startsWith("lock")) allowed.addAll(List.of(0xf2, 0xf3));
        for (byte x : bytes) {                       // the encoder's own prefixes come first
            int v = x & 0xff;
            if (v == 0x66) allowed.add(0x66);
            if (v != 0x66 && v != 0x67 && v != 0xf0 && v != 0x26 && v != 0x2e && v != 0x36 && v != 0x3e) break;
        }
        int n = 1 + rnd.nextInt(3);
        if (bytes.length + n > 15) return null;
        StringBuilder t = new StringBuilder(".byte ");
        for (int i = 0; i < n; i++) t.append(Values.hex(allowed.get(rnd.nextInt(allowed.size())))).append(", ");
        for (int i = 0; i < bytes.length; i++) t.append(i == 0 ? "" : ", ").append(Values.hex(bytes[i] & 0xff));
        return t.append("    # ").append(text).toString();
    }

    /** Flags effect of an addressing helper line: the index mask is an and, the rest are moves. */
    private static UndefinedFlags.Effect helperEffect(String line) {
        return UndefinedFlags.of(line.startsWith("and") ? Op.AND : Op.MOV, 4, 0, -1);
    }

    /** Mnemonic spellings to try, preferred first. */
    private static List<String> mnemonics(Form f, int opsize, OperandSpec[] specs) {
        if (f.has(Form.EXT_NAMES)) return List.of(f.mnemonic + sfx(specs[1].size(opsize)) + sfx(opsize));
        List<String> names = new ArrayList<>();
        if (!f.has(Form.NO_SUFFIX)) {
            int size = specs.length > 0 ? specs[0].size(opsize) : f.opsizeSensitive() ? opsize : 0;
            if (size == 1 || size == 2 || size == 4) names.add(f.mnemonic + sfx(size));
        }
        names.add(f.mnemonic);
        return names;
    }

    private static String sfx(int size) {
        return size == 1 ? "b" : size == 2 ? "w" : "l";
    }

    /** True if the instruction writes operand i (Intel order); such operands never name ESP or EBP. */
    private static boolean writes(Op op, int i) {
        return switch (op) {
            case XCHG, XADD -> true;
            case CMP, TEST, BT, PUSH, MUL, IMUL1 -> false;
            default -> i == 0;
        };
    }

    private Operand reg(int size, boolean writable) {
        Reg r;
        if (size == 1) r = Reg.gpr(1, rnd.nextInt(8));
        else if (writable) r = Reg.gpr(size, WRITABLE32[rnd.nextInt(WRITABLE32.length)].num());
        else r = Reg.gpr(size, rnd.nextInt(8));
        return new Operand(r.att(), new AsmOperand.Register(r));
    }

    /** Counts exercising the masking (count & 31), the zero count and counts beyond the width. */
    private int shiftCount(Op op, int opsize, int width, boolean one) {
        if (one) return 1;
        int bits = width * 8;
        int c = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> bits;
            case 3 -> rnd.nextInt(256);
            default -> rnd.nextInt(Math.max(bits, 2));
        };
        if ((op == Op.SHLD || op == Op.SHRD) && opsize == 2 && (c & 31) > 16) c &= 15;   // result undefined
        return c;
    }

    /** A memory operand inside the case's block for an access of {@code size} bytes. */
    private Operand memory(int size, int slack, boolean allowEsp, int reserved, List<String> indexLines) {
        int lo = slack, hi = MEM_SIZE - size - slack;
        Reg index = null;
        List<Reg> free = new ArrayList<>();
        for (Reg r : WRITABLE32) if ((reserved & (1 << r.num())) == 0) free.add(r);
        int mode = rnd.nextInt(allowEsp ? 8 : 7);
        if (mode == 6 && !allowEsp) mode = 7;
        if (mode == 7) {
            Operand m = memory16(lo, hi, reserved, indexLines);
            if (m != null) return m;
            mode = 1;
        }
        if ((mode == 3 || mode == 5) && free.isEmpty()) mode = 1;
        int scale = 1 << rnd.nextInt(4);
        if (mode == 3 || mode == 5) {
            index = free.get(rnd.nextInt(free.size()));
            indexLines.add("andl $15, " + index.att());
        }
        Reg base;
        int disp;
        String sym = null;
        boolean hasDisp = true;
        switch (mode) {
            case 0 -> { base = Reg.EBP; disp = 0; hasDisp = false; }
            case 1 -> { base = Reg.EBP; disp = between(Math.max(lo - EBP_OFFSET, -128), Math.min(hi - EBP_OFFSET, 127)); }
            case 2 -> { base = Reg.EBP; disp = between(lo - EBP_OFFSET, hi - EBP_OFFSET); }
            case 3 -> { base = Reg.EBP; disp = between(lo - EBP_OFFSET, hi - EBP_OFFSET - 15 * scale); }
            case 4 -> { base = null; disp = between(lo, hi); sym = "@mem"; }
            case 5 -> { base = null; disp = between(lo, hi - 15 * scale); sym = "@mem"; }
            default -> {
                int sp = ESP_OFFSET - depth;
                base = Reg.ESP;
                disp = between(lo - sp, hi - sp);
                hasDisp = disp != 0;
            }
        }
        Reg seg = rnd.nextInt(10) == 0 ? new Reg[] {Reg.DS, Reg.ES, Reg.SS}[rnd.nextInt(3)] : null;
        StringBuilder t = new StringBuilder();
        if (seg != null) t.append(seg.att()).append(':');
        if (sym != null) t.append(sym).append(disp >= 0 ? "+" : "").append(disp);
        else if (hasDisp) t.append(disp);
        if (base != null || index != null) {
            t.append('(').append(base == null ? "" : base.att());
            if (index != null) t.append(',').append(index.att()).append(',').append(scale);
            t.append(')');
        }
        return new Operand(t.toString(), new AsmOperand.Memory(seg, base, index, index == null ? 1 : scale, disp,
                sym != null, hasDisp || sym != null));
    }

    /**
     * A 16-bit addressing operand ((%bx,%si), disp(%bp), (%di)...; the encoder adds 0x67). The blocks lie
     * below 64 KB, so the 16-bit effective address reaches them; base registers get their low halves from
     * leaw/movw, their upper halves stay random (the CPU must ignore them). Null if the registers are taken.
     */
    private Operand memory16(int lo, int hi, int reserved, List<String> helpers) {
        int form = rnd.nextInt(4);
        Reg base = null, index = null;
        int at = 0;      // block offset the base register points to
        switch (form) {
            case 0 -> { base = Reg.BP; at = EBP_OFFSET; }
            case 1 -> { base = Reg.BP; index = rnd.nextBoolean() ? Reg.SI : Reg.DI; at = EBP_OFFSET; }
            case 2 -> { base = Reg.BX; index = rnd.nextBoolean() ? Reg.SI : Reg.DI; }
            default -> base = new Reg[] {Reg.SI, Reg.DI, Reg.BX}[rnd.nextInt(3)];
        }
        for (Reg r : new Reg[] {base, index})
            if (r != null && r != Reg.BP && (reserved & (1 << r.num())) != 0) return null;
        if (base != Reg.BP) {
            at = between(64, MEM_SIZE - 64);
            helpers.add("leaw " + (at - EBP_OFFSET) + "(%ebp), " + base.att());
        }
        int idx = 0;
        if (index != null) {
            idx = rnd.nextInt(16);
            helpers.add("movw $" + idx + ", " + index.att());
        }
        int disp = between(lo - at - idx, hi - at - idx);
        String text = disp + "(" + base.att() + (index == null ? "" : "," + index.att()) + ")";
        return new Operand(text, new AsmOperand.Memory(null, base, index, 1, disp, false, true));
    }

    /** A moffs operand (mov %al/%eax to or from an absolute address). */
    private Operand absolute(int size) {
        int off = between(0, MEM_SIZE - size);
        return new Operand("@mem+" + off, new AsmOperand.Memory(null, null, null, 1, off, true, true));
    }

    /** lea computes without accessing memory: any base, index, scale and displacement. */
    private Operand leaAddress() {
        if (rnd.nextInt(4) == 0) {                           // 16-bit: the sum wraps at 64 KB
            Reg[][] pairs = {{Reg.BX, Reg.SI}, {Reg.BX, Reg.DI}, {Reg.BP, Reg.SI}, {Reg.BP, Reg.DI}, {Reg.SI, null},
                             {Reg.DI, null}, {Reg.BP, null}, {Reg.BX, null}};
            Reg[] p = pairs[rnd.nextInt(pairs.length)];
            int disp = rnd.nextBoolean() ? rnd.nextInt(256) - 128 : rnd.nextInt(65536) - 32768;
            return new Operand(disp + "(" + p[0].att() + (p[1] == null ? "" : "," + p[1].att()) + ")",
                    new AsmOperand.Memory(null, p[0], p[1], 1, disp, false, true));
        }
        Reg base = rnd.nextInt(5) == 0 ? null : Reg.gpr(4, rnd.nextInt(8));
        Reg index = rnd.nextBoolean() ? null : Reg.gpr(4, new int[] {0, 1, 2, 3, 5, 6, 7}[rnd.nextInt(7)]);
        int scale = 1 << rnd.nextInt(4);
        int disp = rnd.nextBoolean() ? rnd.nextInt(256) - 128 : rnd.nextInt();
        if (base == null && index == null) base = Reg.EAX;
        StringBuilder t = new StringBuilder().append(disp).append('(');
        if (base != null) t.append(base.att());
        if (index != null) t.append(',').append(index.att()).append(',').append(scale);
        t.append(')');
        return new Operand(t.toString(), new AsmOperand.Memory(null, base, index, index == null ? 1 : scale, disp, false, true));
    }

    private int between(int lo, int hi) {
        return hi <= lo ? lo : lo + rnd.nextInt(hi - lo + 1);
    }

    // ---- guarded units

    /** div/idiv with a dividend built as quotient*divisor+remainder, so the quotient fits (no #DE). */
    private Unit division() {
        boolean signed = rnd.nextBoolean();
        int size = new int[] {1, 2, 4}[rnd.nextInt(3)];
        int bits = size * 8;
        long d, q, r;
        if (signed) {
            do d = signExtend(Values.interesting(rnd, size), bits); while (d == 0);
            q = signExtend(Values.interesting(rnd, size), bits);
            long mag = Math.abs(d) - 1;
            r = mag == 0 ? 0 : (long) (rnd.nextDouble() * (mag + 1));
            long prod = q * d;
            if (prod < 0 || (prod == 0 && rnd.nextBoolean())) r = -r;
        } else {
            do d = Values.interesting(rnd, size) & 0xffffffffL; while (d == 0);
            q = Values.interesting(rnd, size) & 0xffffffffL;
            r = (long) (rnd.nextDouble() * d);
        }
        long dividend = q * d + r;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String sfx = sfx(size);
        if (size == 1) b.add("movw $" + Values.hex((int) dividend & 0xffff) + ", %ax");
        else if (size == 2) {
            b.add("movw $" + Values.hex((int) dividend & 0xffff) + ", %ax");
            b.add("movw $" + Values.hex((int) (dividend >> 16) & 0xffff) + ", %dx");
        } else {
            b.add("movl $" + Values.hex((int) dividend) + ", %eax");
            b.add("movl $" + Values.hex((int) (dividend >> 32)) + ", %edx");
        }
        String divisor;
        List<String> indexLines = new ArrayList<>();
        if (rnd.nextBoolean()) {
            Operand m = memory(size, 0, true, 0b101, indexLines);
            divisor = m.text;
        } else {
            int[] nums = size == 1 ? new int[] {1, 2, 3, 5, 6, 7} : new int[] {1, 3, 6, 7};
            divisor = Reg.gpr(size, nums[rnd.nextInt(nums.length)]).att();
        }
        for (String l : indexLines) b.add(l, helperEffect(l));
        b.add("mov" + sfx + " " + Values.imm((int) d, size) + ", " + divisor);
        String m = (signed ? "idiv" : "div") + sfx;
        b.add(m + " " + divisor, UndefinedFlags.of(signed ? Op.IDIV : Op.DIV, size, 0, -1));
        return b.build(m);
    }

    private static long signExtend(int v, int bits) {
        return bits == 32 ? v : ((long) v << (64 - bits)) >> (64 - bits);
    }

    /** movs/cmps/scas/lods/stos, with or without rep, in either direction, over at most 48 bytes. */
    private Unit string() {
        String[] names = {"movs", "cmps", "scas", "lods", "stos"};
        String name = names[rnd.nextInt(names.length)];
        int size = new int[] {1, 2, 4}[rnd.nextInt(3)];
        boolean compare = name.equals("cmps") || name.equals("scas");
        String rep = switch (rnd.nextInt(3)) {
            case 0 -> "";
            case 1 -> compare ? "repe " : "rep ";
            default -> compare ? "repne " : "rep ";
        };
        // addr16: SI, DI and CX count, their upper halves are left alone (the blocks lie below 64 KB)
        boolean a16 = rnd.nextInt(4) == 0;
        String lea = a16 ? "leaw " : "leal ", si = a16 ? "%si" : "%esi", di = a16 ? "%di" : "%edi";
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add(rnd.nextBoolean() ? "cld" : "std");
        if (!name.equals("stos") && !name.equals("scas")) b.add(lea + between(-200, 200) + "(%ebp), " + si);
        if (!name.equals("lods")) b.add(lea + between(-200, 200) + "(%ebp), " + di);
        int n = rnd.nextInt(13);
        if (!rep.isEmpty()) b.add(a16 ? "movw $" + n + ", %cx" : "movl $" + n + ", %ecx");
        String text = (a16 ? "addr16 " : "") + rep + name + sfx(size);
        boolean writesFlags = compare && (rep.isEmpty() || n > 0);
        b.add(text, writesFlags ? UndefinedFlags.of(Op.CMPS, size, 0, -1) : UndefinedFlags.of(Op.NOP, 4, 0, -1));
        return b.build(text);
    }

    /** A forward branch over one instruction: jcc, jmp, loop, loope, loopne, jecxz. */
    private Unit branch() {
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String target = "@L" + labels++;
        String name;
        int k = rnd.nextInt(10);
        if (k < 6) {
            Form f = JCC.get(rnd.nextInt(JCC.size()));
            name = f.mnemonic;
            b.defineFlags(UndefinedFlags.condReads(f.cond));
        } else {
            name = new String[] {"jmp", "loop", "loope", "loopne"}[k - 6];
            if (k == 9 && rnd.nextBoolean()) name = rnd.nextBoolean() ? "jecxz" : "jcxz";
            if (name.startsWith("loop") && name.length() > 4) b.defineFlags(UndefinedFlags.ZF);
        }
        b.add(name + " " + target);
        int before = b.undefined;
        int saved = undefined;
        undefined = before;
        Unit inner = null;
        while (inner == null) inner = unit(true);
        undefined = saved;
        for (String l : inner.lines()) b.add(l);
        b.add(target + ":");
        // after the label, a flag is undefined if it is on either path
        b.undefined = name.equals("jmp") ? before : before | inner.undefinedAfter();
        return b.build(name);
    }

    /** popf of a random value: arithmetic flags and DF change; IF and IOPL bits must be ignored in ring 3. */
    private Unit popf() {
        boolean word = rnd.nextInt(4) == 0;
        int v = (rnd.nextInt() & (UndefinedFlags.ALL | 0x400 | 0x200 | 0x3000)) | 0x2;
        if (!word && rnd.nextInt(4) == 0) v |= 1 << 21;     // ID: toggles on a CPU with cpuid
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add((word ? "pushw $" : "pushl $") + Values.hex(word ? v & 0xffff : v));
        String m = word ? "popfw" : "popfl";
        b.add(m, UndefinedFlags.of(Op.POPF, 4, 0, -1));
        return b.build(m);
    }

    /** pusha, overwrite some saved slots (not EBP's; ESP's slot must be ignored by popa), popa. */
    private Unit pushaPopa() {
        boolean word = rnd.nextInt(4) == 0;
        int slot = word ? 2 : 4;
        if (depth + 8 * slot > MAX_DEPTH) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add(word ? "pushaw" : "pushal");
        int writes = rnd.nextInt(4);
        for (int i = 0; i < writes; i++) {
            int s = rnd.nextInt(8);
            if (s == 2) continue;                                  // saved EBP: must come back unchanged
            b.add((word ? "movw " : "movl ") + Values.imm(Values.interesting(rnd, slot), slot) + ", " + s * slot + "(%esp)");
        }
        b.add(word ? "popaw" : "popal");
        return b.build(word ? "pushaw/popaw" : "pushal/popal");
    }

    /** enter with nesting levels 0-3 (which copy frame pointers from the block), then leave. */
    private Unit enterLeave() {
        int size = 4 * rnd.nextInt(7), level = rnd.nextInt(4);
        if (depth + 4 + 4 * level + size > MAX_DEPTH) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add("enter $" + size + ", $" + level);
        b.add("leave");
        return b.build("enter/leave");
    }

    /** call/ret pairs: plain, ret $n, indirect through a register, and call-pop (reads EIP). */
    private Unit callRet() {
        if (depth + 4 > MAX_DEPTH) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String fn = "@L" + labels++, after = "@L" + labels++;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                Reg r = WRITABLE32[rnd.nextInt(WRITABLE32.length)];
                b.add("call " + fn).add(fn + ":").add("popl " + r.att());
                return b.build("call/pop");
            }
            case 1 -> {
                int pop = 4 * rnd.nextInt(4);
                if (depth - pop < MIN_DEPTH) pop = 0;
                b.add("call " + fn).add("jmp " + after).add(fn + ":").add("ret $" + pop).add(after + ":");
                depth -= pop;
                return b.build("call/ret $n");
            }
            case 2 -> {
                Reg r = WRITABLE32[rnd.nextInt(WRITABLE32.length)];
                b.add("movl $" + fn + ", " + r.att()).add("call *" + r.att()).add("jmp " + after).add(fn + ":")
                        .add("ret").add(after + ":");
                return b.build("call *reg");
            }
            default -> {
                b.add("call " + fn).add("jmp " + after).add(fn + ":").add("ret").add(after + ":");
                return b.build("call/ret");
            }
        }
    }

    /** Far transfers to our own code segment (selector read with push %cs/mov %cs): lret, ljmp/lcall
     *  through a far pointer in memory, iret within ring 3 (it must ignore the IF and IOPL it pops). */
    private Unit farTransfer() {
        if (depth + 12 > MAX_DEPTH) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String fn = "@L" + labels++, after = "@L" + labels++;
        int off = between(0, MEM_SIZE - 8);
        String ptr = "@mem+" + off, sel = "@mem+" + (off + 4);
        switch (rnd.nextInt(5)) {
            case 0 -> { b.add("pushl %cs").add("pushl $" + after).add("lret").add(after + ":"); return b.build("lret"); }
            case 1 -> {
                b.add("movl $" + after + ", " + ptr).add("movw %cs, " + sel).add("ljmp *" + ptr).add(after + ":");
                return b.build("ljmp *mem");
            }
            case 2 -> {
                int pop = 4 * rnd.nextInt(3);
                if (depth - pop < MIN_DEPTH) pop = 0;
                b.add("movl $" + fn + ", " + ptr).add("movw %cs, " + sel).add("lcall *" + ptr).add("jmp " + after)
                        .add(fn + ":").add(pop == 0 ? "lret" : "lret $" + pop).add(after + ":");
                depth -= pop;
                return b.build("lcall/lret");
            }
            case 3 -> {
                // the popped EFLAGS: random arithmetic flags and DF; IF cleared and IOPL 3 requested (ignored)
                int fl = 0x2 | (rnd.nextInt() & (UndefinedFlags.ALL | 0x400)) | (rnd.nextBoolean() ? 0x3000 : 0x200);
                b.add("pushl $" + Values.hex(fl)).add("pushl %cs").add("pushl $" + after).add("iret", UndefinedFlags.of(Op.POPF, 4, 0, -1))
                        .add(after + ":");
                return b.build("iret");
            }
            default -> {
                b.defineFlags(UndefinedFlags.ALL);
                b.add("pushfl").add("pushl %cs").add("pushl $" + after).add("iret").add(after + ":");
                return b.build("pushf/iret");
            }
        }
    }

    /** bound with the index inside the (signed) bounds, so no #BR; edge values included. */
    private Unit bound() {
        boolean word = rnd.nextInt(3) == 0;
        int size = word ? 2 : 4;
        long v = signExtend(Values.interesting(rnd, size), size * 8);
        long min = word ? Short.MIN_VALUE : Integer.MIN_VALUE, max = word ? Short.MAX_VALUE : Integer.MAX_VALUE;
        long lo = rnd.nextBoolean() ? v : Math.max(min, v - rnd.nextInt(1000));
        long hi = rnd.nextBoolean() ? v : Math.min(max, v + rnd.nextInt(1000));
        Reg r = Reg.gpr(size, WRITABLE32[rnd.nextInt(WRITABLE32.length)].num());
        int off = between(0, MEM_SIZE - 2 * size);
        String m = word ? "movw $" : "movl $";
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add(m + Values.hex((int) v & (word ? 0xffff : -1)) + ", " + r.att())
                .add(m + Values.hex((int) lo & (word ? 0xffff : -1)) + ", @mem+" + off)
                .add(m + Values.hex((int) hi & (word ? 0xffff : -1)) + ", @mem+" + (off + size))
                .add((word ? "boundw " : "boundl ") + r.att() + ", @mem+" + off);
        return b.build(word ? "boundw" : "boundl");
    }

    /** xlat with EBX at the block's start, so any AL stays inside it. */
    private Unit xlat() {
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        b.add("leal " + (-EBP_OFFSET + rnd.nextInt(EBP_OFFSET - 255 + 1)) + "(%ebp), %ebx");
        b.add("xlat");
        return b.build("xlat");
    }

    /** Segment registers in user mode: selector values, push/pop/mov of the data selectors, les/lds/lfs. */
    private Unit segments() {
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        Reg r = WRITABLE32[rnd.nextInt(WRITABLE32.length)];
        // not %fs/%gs: Linux 2.4 (and Fixup) start a program with them 0, qemu-i386 with the user data selector
        String seg = new String[] {"%ds", "%es", "%ss", "%cs"}[rnd.nextInt(4)];
        String data = new String[] {"%ds", "%es"}[rnd.nextInt(2)];
        int off = between(0, MEM_SIZE - 6);
        switch (rnd.nextInt(6)) {
            case 0 -> b.add("movl " + seg + ", " + r.att());                          // P6: upper half zeroed
            case 1 -> b.add("movw " + seg + ", " + Reg.gpr(2, r.num()).att());
            case 2 -> b.add("movw " + seg + ", @mem+" + off);
            case 3 -> {
                if (depth + 4 > MAX_DEPTH) return null;
                b.add("pushl " + seg).add("popl " + r.att());
            }
            case 4 -> {
                if (depth + 4 > MAX_DEPTH) return null;
                b.add("pushl %ds").add("popl " + data).add("movl %ss, " + r.att()).add("movw " + Reg.gpr(2, r.num()).att() + ", " + data);
            }
            default -> {                                                              // far pointer load
                String op = new String[] {"lesl", "ldsl", "lesw"}[rnd.nextInt(3)];
                int osz = op.endsWith("w") ? 2 : 4;
                Reg dst = Reg.gpr(osz, r.num());
                b.add("movw %ds, @mem+" + (off + osz)).add(op + " @mem+" + off + ", " + dst.att());
                return b.build(op);
            }
        }
        return b.build("segment moves");
    }

    /** A backward loop: the body runs 1-4 times. The body may not touch ECX or the stack, and is built as if
     *  all flags were undefined, so a flag it reads is always defined first, in every iteration. */
    private Unit loopBack() {
        int saved = undefined;
        undefined = UndefinedFlags.ALL;
        Unit body = unit(true);
        undefined = saved;
        if (body == null) return null;
        for (String l : body.lines())
            if (l.matches(".*%(ecx|cx|cl|ch)\\b.*") || l.contains("@L")) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String top = "@L" + labels++;
        b.add("movl $" + (1 + rnd.nextInt(4)) + ", %ecx").add(top + ":");
        for (String l : body.lines()) b.add(l);
        b.add("loop " + top);
        b.undefined = body.undefinedAfter() | undefined;
        return b.build("loop (backward)");
    }

    /** Self-modifying code: a store patches an instruction that runs right after it (or in the next
     *  iteration of a loop); the CPU must run the new bytes, not a stale pre-decoded copy. */
    private Unit selfModifying() {
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        String at = "@L" + labels++;
        int v = rnd.nextInt(256);
        switch (rnd.nextInt(4)) {
            case 0 -> {          // the immediate of the next instruction: movb $0, %al (b0 00)
                b.add("movb $" + v + ", " + at + "+1").add(at + ":").add(".byte 0xb0, 0x00");
                return b.build("smc: patch next immediate");
            }
            case 1 -> {          // the opcode of the next instruction: inc %eax (40) becomes inc/dec of another register
                int op = 0x40 + new int[] {0, 1, 2, 3, 6, 7}[rnd.nextInt(6)] + (rnd.nextBoolean() ? 8 : 0);
                b.add("movb $" + op + ", " + at).add(at + ":").add(".byte 0x40", UndefinedFlags.of(Op.INC, 4, 0, -1));
                return b.build("smc: patch next opcode");
            }
            case 2 -> {          // a loop body whose addb $imm, %al is patched after its first run
                String top = "@L" + labels++;
                b.add("movl $" + (2 + rnd.nextInt(3)) + ", %ecx").add(top + ":").add(at + ":")
                        .add(".byte 0x04, 0x01", UndefinedFlags.of(Op.ADD, 1, 0, -1)).add("movb $" + v + ", " + at + "+1")
                        .add("loop " + top);
                return b.build("smc: patch in a loop");
            }
            default -> {         // a dword store covering two instructions: nop; nop; nop; nop -> mov $v, %al; inc %ecx; nop
                b.add("movl $" + Values.hex(0x904100b0 | v << 8) + ", " + at).add(at + ":").add(".byte 0x90, 0x90, 0x90, 0x90");
                return b.build("smc: patch two instructions");
            }
        }
    }

    /** Instructions whose operand is ESP itself or addressed through the ESP they change. */
    private Unit stackPointer() {
        if (depth + 8 > MAX_DEPTH || depth - 4 < MIN_DEPTH) return null;
        Unit.Builder b = new Unit.Builder(undefined, rnd);
        switch (rnd.nextInt(4)) {
            case 0 -> b.add("pushl %esp").add("popl %esp");                          // pop %esp loads the pushed value
            case 1 -> b.add("pushl $" + Values.hex(Values.interesting(rnd, 4))).add("popl (%esp)");   // address after the pop
            case 2 -> { b.add("popl 4(%esp)"); depth -= 4; }
            default -> { b.add("pushl 4(%esp)"); depth += 4; }                       // address before the push
        }
        return b.build("esp-relative push/pop");
    }
}

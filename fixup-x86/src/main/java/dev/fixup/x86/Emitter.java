package dev.fixup.x86;

import dev.fixup.x86.AsmOperand.Immediate;
import dev.fixup.x86.AsmOperand.Indirect;
import dev.fixup.x86.AsmOperand.Memory;
import dev.fixup.x86.AsmOperand.Register;
import dev.fixup.x86.Encoding.Field;
import dev.fixup.x86.Encoding.FieldKind;
import dev.fixup.x86.OperandSpec.Kind;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Lays out the bytes of one instruction whose form and operands the {@link Encoder} has matched. */
final class Emitter {
    private final Form form;
    private final int vsize;
    private final AsmOperand[] ops;
    private final int[] attIndex;
    private final EncodeOptions opts;
    private final List<Integer> explicitPrefixes;
    private final List<String> warnings;
    private final String name;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    private final List<Field> fields = new ArrayList<>();
    private int relField = -1;
    private long relTarget;

    Emitter(Form form, int vsize, AsmOperand[] ops, int[] attIndex, EncodeOptions opts, List<Integer> prefixes,
            List<String> warnings, String name) {
        this.form = form;
        this.vsize = vsize;
        this.ops = ops;
        this.attIndex = attIndex;
        this.opts = opts;
        this.explicitPrefixes = prefixes;
        this.warnings = warnings;
        this.name = name;
    }

    private static AsmOperand strip(AsmOperand a) {
        return a instanceof Indirect i ? i.target() : a;
    }

    Encoding emit() throws EncodeException {
        OperandSpec[] specs = form.operands;
        Memory mem = null;
        OperandSpec memSpec = null;
        int rmIdx = -1, regIdx = -1;
        for (int i = 0; i < specs.length; i++) {
            AsmOperand a = strip(ops[i]);
            switch (specs[i].kind) {
                case RM, MEM, RMREG, STI -> { rmIdx = i; if (a instanceof Memory m) { mem = m; memSpec = specs[i]; } }
                case REG, SREG, CREG, DREG -> regIdx = i;
                case MOFFS, STR_SRC, XLAT_SRC -> { mem = (Memory) a; memSpec = specs[i]; }
                case STR_DST -> { if (mem == null) { mem = (Memory) a; memSpec = specs[i]; } }
                default -> { }
            }
        }
        // prefixes in GNU as's order: segment (or notrack), address size, operand size, rep, lock;
        // a prefix written explicitly joins its slot ("fs movl (%eax)", "data16 rep stosb")
        boolean code16 = opts.code16();
        int[] slot = {-1, -1, -1, -1, -1};
        for (int p : explicitPrefixes) {
            int cls = p == NOTRACK ? 0 : prefixClass(p);
            if (slot[cls] >= 0) throw new EncodeException("same type of prefix used twice");
            slot[cls] = p == NOTRACK ? 0x3E : p;
        }
        if (form.op == Op.LEA && mem != null && mem.seg() != null) {
            warnings.add("segment override on `" + name + "' is ineffectual");
        }
        if (mem != null && mem.seg() != null && memSpec.kind != Kind.STR_DST) {
            int def = memSpec.kind == Kind.RM || memSpec.kind == Kind.MEM ? defaultSeg(mem) : 3;
            int seg = SEG_PREFIX[mem.seg().num()];
            if (mem.seg().num() != def || slot[0] == seg) {
                if (slot[0] >= 0 && slot[0] != seg) throw new EncodeException("same type of prefix used twice");
                slot[0] = seg;
            }
        }
        boolean a16 = mem != null && addr16(mem);
        if (a16 != code16 && mem != null && (memSpec.kind != Kind.MOFFS || a16)) slot[1] = 0x67;
        // jcxz counts CX, jecxz ECX; loopw/loopl (the suffixed rows, which never decode) name the count register too
        boolean countSized = form.op == Op.JCXZ
                || (form.op == Op.LOOP || form.op == Op.LOOPE || form.op == Op.LOOPNE) && form.has(Form.NO_DEC);
        if (countSized && form.has(Form.ADDR16) != code16) slot[1] = 0x67;
        boolean sizeMatters = form.opsizeSensitive() && !form.has(Form.NO_OPSIZE);
        if (sizeMatters && (vsize == 2) != code16) {
            if (slot[2] >= 0) throw new EncodeException("same type of prefix used twice");
            slot[2] = 0x66;
        }
        if (form.has(Form.FWAIT)) out.write(0x9B);   // fstsw is fwait; fnstsw
        for (int p : slot) if (p >= 0) out.write(p);

        if (form.map == 1) out.write(0x0F);
        int opc = form.opcode;
        if (form.opreg) {
            for (int i = 0; i < specs.length; i++) {
                if (specs[i].kind == Kind.OPREG) opc += ((Register) strip(ops[i])).reg().num();
            }
        }
        out.write(opc);
        if (form.modrm) {
            int reg = form.digit >= 0 ? form.digit : regIdx >= 0 ? ((Register) ops[regIdx]).reg().num() : 0;
            if (form.rm >= 0) rmIdx = -2;
            if (rmIdx == -2) out.write(0xC0 | reg << 3 | form.rm);
            else if (rmIdx < 0) throw new IllegalStateException("form without r/m operand: " + form);
            AsmOperand rm = rmIdx >= 0 ? strip(ops[rmIdx]) : null;
            if (rm == null) { }
            else if (rm instanceof Register r) {
                out.write(0xC0 | reg << 3 | r.reg().num());
            } else {
                modrmMemory(reg, (Memory) rm, attIndex[rmIdx], a16);
            }
        }
        for (int i = 0; i < specs.length; i++) {
            OperandSpec s = specs[i];
            AsmOperand a = strip(ops[i]);
            switch (s.kind) {
                case IMM -> imm(((Immediate) a).value(), s.size(vsize), attIndex[i], (Immediate) a);
                case IMM8S -> {   // chosen only when the value fits: nothing to warn about
                    fields.add(new Field(out.size(), 1, FieldKind.IMM, attIndex[i]));
                    writeLe(((Immediate) a).value(), 1);
                }
                case REL -> {
                    Memory m = (Memory) a;
                    int n = s.size(vsize);
                    relField = out.size();
                    relTarget = m.disp();
                    fields.add(new Field(out.size(), n, FieldKind.REL, attIndex[i]));
                    writeLe(0, n);
                }
                case MOFFS -> {
                    Memory m = (Memory) a;
                    int n = a16 ? 2 : 4;
                    fields.add(new Field(out.size(), n, FieldKind.DISP, attIndex[i]));
                    writeLe(m.disp(), n);
                }
                case FARPTR -> {
                    Immediate sel = (Immediate) ops[0], off = (Immediate) ops[1];
                    fields.add(new Field(out.size(), vsize, FieldKind.IMM, 1));
                    writeLe(off.value(), vsize);
                    fields.add(new Field(out.size(), 2, FieldKind.IMM, 0));
                    writeLe(sel.value(), 2);
                }
                default -> { }
            }
        }
        byte[] bytes = out.toByteArray();
        if (relField >= 0) {
            Field f = fields.stream().filter(x -> x.kind() == FieldKind.REL).findFirst().orElseThrow();
            long rel = f.size() == 2 ? (short) (relTarget - (opts.address() + bytes.length))
                    : (int) (relTarget - (opts.address() + bytes.length));
            if (f.size() == 1 && (rel < -128 || rel > 127) && !isRelocatable(f.operandIndex())) {
                throw new EncodeException("value of " + rel + " too large for field of 1 byte at " + relField);
            }
            for (int k = 0; k < f.size(); k++) bytes[f.offset() + k] = (byte) (rel >> (8 * k));
        }
        return new Encoding(bytes, List.copyOf(fields), List.copyOf(warnings));
    }

    private boolean isRelocatable(int attIdx) {
        for (int i = 0; i < ops.length; i++) {
            if (attIndex[i] == attIdx && strip(ops[i]) instanceof Memory m) return m.dispRelocatable();
        }
        return false;
    }

    private void imm(long value, int size, int idx, Immediate im) {
        if (!im.relocatable() && size < 4) {
            // GNU as keeps quiet while the magnitude fits the field: -255..255 for a byte
            long max = size == 1 ? 0xFF : 0xFFFF;
            if (value > max || value < -max) {
                warnings.add("0x" + Long.toHexString(value) + " shortened to 0x" + Long.toHexString(value & max));
            }
        }
        fields.add(new Field(out.size(), size, FieldKind.IMM, idx));
        writeLe(value, size);
    }

    /** GNU as's prefix slots: segment, address size, operand size, rep, lock. */
    private static int prefixClass(int p) {
        return switch (p) {
            case 0x67 -> 1;
            case 0x66 -> 2;
            case 0xF2, 0xF3 -> 3;
            case 0xF0 -> 4;
            default -> 0;
        };
    }

    /** Encoder's marker for the notrack prefix (0x3E, emitted in the segment-prefix slot). */
    static final int NOTRACK = 0x13E;

    private static final int[] SEG_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

    private static int defaultSeg(Memory m) {
        Reg b = m.base();
        return b == Reg.EBP || b == Reg.ESP || b == Reg.BP ? 2 : 3;
    }

    /** 16-bit addressing: 16-bit registers, or an absolute address in 16-bit code. */
    private boolean addr16(Memory m) {
        if (m.base() == null && m.index() == null) return opts.code16();
        return (m.base() != null && m.base().size() == 2) || (m.index() != null && m.index().size() == 2);
    }

    private void writeLe(long v, int n) {
        for (int k = 0; k < n; k++) out.write((int) (v >> (8 * k)) & 0xFF);
    }

    private void modrmMemory(int reg, Memory m, int idx, boolean a16) throws EncodeException {
        if (a16) { modrm16(reg, m, idx); return; }
        Reg base = m.base(), index = m.index();
        int disp = (int) m.disp();
        boolean reloc = m.dispRelocatable();
        if (base != null && base.size() != 4 || index != null && index.size() != 4) {
            throw new EncodeException("`" + memText(m) + "' is not a valid base/index expression");
        }
        if (index == Reg.ESP) throw new EncodeException("`" + memText(m) + "' is not a valid base/index expression");
        int scaleBits = switch (m.scale()) {
            case 1 -> 0; case 2 -> 1; case 4 -> 2; case 8 -> 3;
            default -> throw new EncodeException("expecting scale factor of 1, 2, 4, or 8: got `" + m.scale() + "'");
        };
        if (base == null && index == null) {
            out.write(reg << 3 | 5);
            dispField(disp, 4, idx);
            return;
        }
        int dsize;
        if (base == null) dsize = 4;
        else if (reloc) dsize = 4;
        else if (disp == 0 && base != Reg.EBP) dsize = 0;
        else if (disp >= -128 && disp <= 127) dsize = 1;
        else dsize = 4;
        int mod = base == null ? 0 : dsize == 0 ? 0 : dsize == 1 ? 1 : 2;
        if (index == null && base != Reg.ESP) {
            out.write(mod << 6 | reg << 3 | base.num());
        } else {
            out.write(mod << 6 | reg << 3 | 4);
            out.write(scaleBits << 6 | (index == null ? 4 : index.num()) << 3 | (base == null ? 5 : base.num()));
        }
        if (dsize > 0) dispField(disp, dsize, idx);
    }

    private void modrm16(int reg, Memory m, int idx) throws EncodeException {
        Reg base = m.base(), index = m.index();
        if (index != null && (index == Reg.BX || index == Reg.BP) && (base == null || base == Reg.SI || base == Reg.DI)) {
            Reg t = base; base = index; index = t;   // GNU as accepts (%si,%bx) too
        }
        int rm;
        if (base == null && index == null) {
            out.write(reg << 3 | 6);
            dispField(m.disp(), 2, idx);
            return;
        }
        if (m.scale() != 1) throw new EncodeException("`" + memText(m) + "' is not a valid base/index expression");
        if (base == Reg.BX && index == Reg.SI) rm = 0;
        else if (base == Reg.BX && index == Reg.DI) rm = 1;
        else if (base == Reg.BP && index == Reg.SI) rm = 2;
        else if (base == Reg.BP && index == Reg.DI) rm = 3;
        else if (index == null && base == Reg.SI) rm = 4;
        else if (index == null && base == Reg.DI) rm = 5;
        else if (index == null && base == Reg.BP) rm = 6;
        else if (index == null && base == Reg.BX) rm = 7;
        else if (base == null && (index == Reg.SI || index == Reg.DI)) rm = index == Reg.SI ? 4 : 5;
        else throw new EncodeException("`" + memText(m) + "' is not a valid base/index expression");
        int disp = (int) m.disp();
        int dsize;
        if (m.dispRelocatable()) dsize = 2;
        else if (disp == 0 && rm != 6) dsize = 0;
        else if (disp >= -128 && disp <= 127) dsize = 1;
        else dsize = 2;
        int mod = dsize == 0 ? 0 : dsize == 1 ? 1 : 2;
        out.write(mod << 6 | reg << 3 | rm);
        if (dsize > 0) dispField(disp, dsize, idx);
    }

    private void dispField(long disp, int size, int idx) {
        fields.add(new Field(out.size(), size, FieldKind.DISP, idx));
        writeLe(disp, size);
    }

    private static String memText(Memory m) {
        StringBuilder b = new StringBuilder("(");
        if (m.base() != null) b.append(m.base().att());
        if (m.index() != null) b.append(',').append(m.index().att());
        if (m.index() != null && m.scale() != 1) b.append(',').append(m.scale());
        return b.append(')').toString();
    }
}

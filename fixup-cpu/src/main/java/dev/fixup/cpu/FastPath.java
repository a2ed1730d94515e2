package dev.fixup.cpu;

import dev.fixup.x86.Form;
import dev.fixup.x86.FormTable;
import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec.Kind;
import java.util.List;

/**
 * Direct code for the instruction forms gcc -O2 emits in loops (mov of bytes and dwords, the ALU
 * operations with adc/sbb, shifts, movzx/movsx, push/pop, inc/dec, jcc/jmp/call/ret including
 * indirect ones, lea, setcc/cmovcc, imul, leave, cdq), chosen once per table row. Everything
 * else, and every 16-bit form, takes the general operand-spec path in {@link Interpreter}. The
 * semantics (including the order of faulting accesses) are the same; the differential tests
 * against qemu-i386 cover both paths. Each case is a small method so that HotSpot inlines it.
 */
final class FastPath {
    static final int NONE = 0, MOV_EG = 1, MOV_GE = 2, MOV_ZI = 3, MOV_EI = 4, LEA = 5, PUSH_Z = 6, POP_Z = 7,
            INC_Z = 8, DEC_Z = 9, JCC = 10, JMP = 11, CALL = 12, RET = 13,
            MOV8_EG = 14, MOV8_GE = 15, MOV8_EI = 80, MOV8_ZI = 81,
            MOVZX8 = 82, MOVZX16 = 83, MOVSX8 = 84, MOVSX16 = 85,
            SHIFT_I = 86, SHIFT_1 = 87, SHIFT_CL = 88,
            JMP_E = 89, CALL_E = 90, PUSH_I = 91, PUSH_E = 92, LEAVE = 93, SETCC = 94, CMOVCC = 95,
            IMUL2 = 96, IMUL3 = 97, CDQ = 98, CWDE = 99, INC_E = 100, DEC_E = 101,
            ALU_EG = 16, ALU_GE = 32, ALU_EI = 48, ALU_AI = 64;
    /** ALU operation numbers within a group (the ModRM /digit of the 80-83 forms; TEST is extra). */
    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;

    /** Fast code per form id. */
    static final int[] CODE;

    static {
        List<Form> forms = FormTable.forms();
        CODE = new int[forms.size()];
        for (Form f : forms) {
            if (f.id >= 0 && f.id < CODE.length) CODE[f.id] = classify(f);
        }
    }

    /** The ALU operation number of {@code op} (ADD .. TEST), or -1. */
    static int aluNumber(Op op) {
        switch (op) {
            case ADD: return ADD;
            case OR: return OR;
            case ADC: return ADC;
            case SBB: return SBB;
            case AND: return AND;
            case SUB: return SUB;
            case XOR: return XOR;
            case CMP: return CMP;
            case TEST: return TEST;
            default: return -1;
        }
    }

    private static boolean is(Form f, int i, Kind kind, boolean sizeV) {
        return f.operands.length > i && f.operands[i].kind == kind && f.operands[i].isSizeV() == sizeV;
    }

    /** Operand i has kind {@code kind} and a fixed size of {@code size} bytes. */
    private static boolean isSized(Form f, int i, Kind kind, int size) {
        return is(f, i, kind, false) && f.operands[i].size(4) == size;
    }

    private static int classify(Form f) {
        int n = f.operands.length;
        int a = aluNumber(f.op);
        if (a >= 0 && n == 2) {
            if (is(f, 0, Kind.RM, true) && is(f, 1, Kind.REG, true)) return ALU_EG + a;
            if (is(f, 0, Kind.REG, true) && is(f, 1, Kind.RM, true)) return ALU_GE + a;
            if (is(f, 0, Kind.RM, true) && (is(f, 1, Kind.IMM, true) || is(f, 1, Kind.IMM8S, true))) return ALU_EI + a;
            if (is(f, 0, Kind.FIXED, true) && is(f, 1, Kind.IMM, true)) return ALU_AI + a;
            return NONE;
        }
        switch (f.op) {
            case MOV:
                if (n != 2) return NONE;
                if (is(f, 0, Kind.RM, true) && is(f, 1, Kind.REG, true)) return MOV_EG;
                if (is(f, 0, Kind.REG, true) && is(f, 1, Kind.RM, true)) return MOV_GE;
                if (is(f, 0, Kind.OPREG, true) && is(f, 1, Kind.IMM, true)) return MOV_ZI;
                if (is(f, 0, Kind.RM, true) && is(f, 1, Kind.IMM, true)) return MOV_EI;
                if (isSized(f, 0, Kind.RM, 1) && isSized(f, 1, Kind.REG, 1)) return MOV8_EG;
                if (isSized(f, 0, Kind.REG, 1) && isSized(f, 1, Kind.RM, 1)) return MOV8_GE;
                if (isSized(f, 0, Kind.RM, 1) && isSized(f, 1, Kind.IMM, 1)) return MOV8_EI;
                if (isSized(f, 0, Kind.OPREG, 1) && isSized(f, 1, Kind.IMM, 1)) return MOV8_ZI;
                return NONE;
            case MOVZX:
            case MOVSX:
                if (n != 2 || !is(f, 0, Kind.REG, true)) return NONE;
                if (isSized(f, 1, Kind.RM, 1)) return f.op == Op.MOVZX ? MOVZX8 : MOVSX8;
                if (isSized(f, 1, Kind.RM, 2)) return f.op == Op.MOVZX ? MOVZX16 : MOVSX16;
                return NONE;
            case SHL: case SHR: case SAR: case ROL: case ROR:
                if (n != 2 || !is(f, 0, Kind.RM, true)) return NONE;
                if (isSized(f, 1, Kind.IMM, 1)) return SHIFT_I;
                if (f.operands[1].kind == Kind.ONE) return SHIFT_1;
                if (isSized(f, 1, Kind.FIXED, 1) && f.operands[1].fixed.num() == Cpu.ECX) return SHIFT_CL;
                return NONE;
            case LEA: return n == 2 && is(f, 0, Kind.REG, true) ? LEA : NONE;
            case PUSH:
                if (n != 1) return NONE;
                if (is(f, 0, Kind.OPREG, true)) return PUSH_Z;
                if (is(f, 0, Kind.IMM, true) || is(f, 0, Kind.IMM8S, true)) return PUSH_I;
                if (is(f, 0, Kind.RM, true)) return PUSH_E;
                return NONE;
            case POP: return n == 1 && is(f, 0, Kind.OPREG, true) ? POP_Z : NONE;
            case INC: case DEC: {
                boolean inc = f.op == Op.INC;
                if (n == 1 && is(f, 0, Kind.OPREG, true)) return inc ? INC_Z : DEC_Z;
                if (n == 1 && is(f, 0, Kind.RM, true)) return inc ? INC_E : DEC_E;   // counters in memory
                return NONE;
            }
            case JCC: return JCC;
            case JMP:
                if (n == 1 && f.operands[0].kind == Kind.REL) return JMP;
                return n == 1 && is(f, 0, Kind.RM, true) ? JMP_E : NONE;
            case CALL:
                if (n == 1 && f.operands[0].kind == Kind.REL) return CALL;
                return n == 1 && is(f, 0, Kind.RM, true) ? CALL_E : NONE;
            case RET: return n == 0 ? RET : NONE;
            case LEAVE: return n == 0 ? LEAVE : NONE;
            case SETCC: return n == 1 && isSized(f, 0, Kind.RM, 1) ? SETCC : NONE;
            case CMOVCC: return n == 2 && is(f, 0, Kind.REG, true) && is(f, 1, Kind.RM, true) ? CMOVCC : NONE;
            case IMUL2: return n == 2 && is(f, 0, Kind.REG, true) && is(f, 1, Kind.RM, true) ? IMUL2 : NONE;
            case IMUL3:
                return n == 3 && is(f, 0, Kind.REG, true) && is(f, 1, Kind.RM, true)
                        && (is(f, 2, Kind.IMM, true) || is(f, 2, Kind.IMM8S, true)) ? IMUL3 : NONE;
            case CWD: return n == 0 ? CDQ : NONE;
            case CBW: return n == 0 ? CWDE : NONE;
            default: return NONE;
        }
    }

    private final Cpu cpu;
    private final Interpreter interp;
    private final Flags flags;
    private final int[] regs;

    FastPath(Cpu cpu, Interpreter interp) {
        this.cpu = cpu;
        this.interp = interp;
        this.flags = cpu.flags;
        this.regs = cpu.regs;
    }

    /** Executes {@code in} (32-bit operand size, fast code {@code code}) and returns the next EIP. */
    int execute(Insn in, int code, int ea, Segment seg) {
        int next = cpu.eip + in.length;
        switch (code) {
            case MOV_EG:
                if (in.mod == 3) regs[in.rm] = regs[in.reg];
                else interp.write32(seg, ea, regs[in.reg]);
                return next;
            case MOV_GE:
                regs[in.reg] = in.mod == 3 ? regs[in.rm] : interp.read32(seg, ea);
                return next;
            case MOV_ZI: regs[in.reg] = in.imm; return next;
            case MOV_EI:
                if (in.mod == 3) regs[in.rm] = in.imm;
                else interp.write32(seg, ea, in.imm);
                return next;
            case LEA: regs[in.reg] = ea; return next;
            case PUSH_Z: interp.push(4, regs[in.reg]); return next;
            case POP_Z: popReg(in); return next;
            case INC_Z: regs[in.reg] = Alu32.inc(flags, regs[in.reg]); return next;
            case DEC_Z: regs[in.reg] = Alu32.dec(flags, regs[in.reg]); return next;
            case INC_E: case DEC_E: incDec(in, code == INC_E, ea, seg); return next;
            case JCC: return flags.condition(in.cond) ? next + in.imm : next;
            case JMP: return next + in.imm;
            case CALL: interp.push(4, next); return next + in.imm;
            case RET: return ret();
            case MOV8_EG: storeByte(in, ea, seg, cpu.readGpr(1, in.reg)); return next;
            case MOV8_GE: cpu.writeGpr(1, in.reg, loadByte(in, ea, seg)); return next;
            case MOV8_EI: storeByte(in, ea, seg, in.imm); return next;
            case MOV8_ZI: cpu.writeGpr(1, in.reg, in.imm); return next;
            case MOVZX8: regs[in.reg] = loadByte(in, ea, seg); return next;
            case MOVSX8: regs[in.reg] = (byte) loadByte(in, ea, seg); return next;
            case MOVZX16: regs[in.reg] = loadWord(in, ea, seg); return next;
            case MOVSX16: regs[in.reg] = (short) loadWord(in, ea, seg); return next;
            case SHIFT_I: shift(in, ea, seg, in.imm & 0x1F); return next;
            case SHIFT_1: shift(in, ea, seg, 1); return next;
            case SHIFT_CL: shift(in, ea, seg, regs[Cpu.ECX] & 0x1F); return next;
            case JMP_E: return loadDword(in, ea, seg);
            case CALL_E: {
                int target = loadDword(in, ea, seg);
                interp.push(4, next);
                return target;
            }
            case PUSH_I: interp.push(4, in.imm); return next;
            case PUSH_E: interp.push(4, loadDword(in, ea, seg)); return next;
            case LEAVE: leave(); return next;
            case SETCC: storeByte(in, ea, seg, flags.condition(in.cond) ? 1 : 0); return next;
            case CMOVCC: cmov(in, ea, seg); return next;
            case IMUL2: regs[in.reg] = Alu32.imul(flags, loadDword(in, ea, seg), regs[in.reg]); return next;
            case IMUL3: regs[in.reg] = Alu32.imul(flags, loadDword(in, ea, seg), in.imm); return next;
            case CDQ: regs[Cpu.EDX] = regs[Cpu.EAX] >> 31; return next;
            case CWDE: regs[Cpu.EAX] = (short) regs[Cpu.EAX]; return next;
            default:
                alu(in, code, ea, seg);
                return next;
        }
    }

    // ---- operand access (register when mod == 3, else the memory operand)

    private int loadDword(Insn in, int ea, Segment seg) {
        return in.mod == 3 ? regs[in.rm] : interp.read32(seg, ea);
    }

    private int loadWord(Insn in, int ea, Segment seg) {
        return in.mod == 3 ? regs[in.rm] & 0xFFFF : interp.read(seg, ea, 2);
    }

    private int loadByte(Insn in, int ea, Segment seg) {
        return in.mod == 3 ? cpu.readGpr(1, in.rm) : interp.read8(seg, ea);
    }

    private void storeByte(Insn in, int ea, Segment seg, int v) {
        if (in.mod == 3) cpu.writeGpr(1, in.rm, v);
        else interp.write8(seg, ea, v);
    }

    // ---- small operations

    private void popReg(Insn in) {
        int v = interp.read32(cpu.ss, regs[Cpu.ESP]);
        regs[Cpu.ESP] += 4;
        regs[in.reg] = v;
    }

    private int ret() {
        int t = interp.read32(cpu.ss, regs[Cpu.ESP]);
        regs[Cpu.ESP] += 4;
        return t;
    }

    private void leave() {
        int v = interp.read32(cpu.ss, regs[Cpu.EBP]);
        regs[Cpu.ESP] = regs[Cpu.EBP] + 4;
        regs[Cpu.EBP] = v;
    }

    /** inc/dec of a register or dword in memory (write access checked before anything changes). */
    private void incDec(Insn in, boolean inc, int ea, Segment seg) {
        if (in.mod == 3) {
            regs[in.rm] = inc ? Alu32.inc(flags, regs[in.rm]) : Alu32.dec(flags, regs[in.rm]);
            return;
        }
        int d = interp.readForWrite(seg, ea);
        interp.write32(seg, ea, inc ? Alu32.inc(flags, d) : Alu32.dec(flags, d));
    }

    /** cmovcc reads its source even when the condition is false (a memory source may fault). */
    private void cmov(Insn in, int ea, Segment seg) {
        int v = loadDword(in, ea, seg);
        if (flags.condition(in.cond)) regs[in.reg] = v;
    }

    /** shl/shr/sar/rol/ror of a dword by {@code count} (already masked to 0..31). */
    private void shift(Insn in, int ea, Segment seg, int count) {
        boolean mem = in.mod != 3;
        if (count == 0) {
            if (mem) interp.read32(seg, ea); // the operand is still accessed; no flag changes
            return;
        }
        int d = mem ? interp.readForWrite(seg, ea) : regs[in.rm];
        int r = Alu32.shift(flags, shiftKind(in.op), d, count);
        if (mem) interp.write32(seg, ea, r);
        else regs[in.rm] = r;
    }

    /** SHL, SHR, SAR, ROL, ROR as 0 .. 4 (the numbering of {@link Alu32#shift}). */
    static int shiftKind(Op op) {
        switch (op) {
            case SHL: return 0;
            case SHR: return 1;
            case SAR: return 2;
            case ROL: return 3;
            default: return 4;
        }
    }

    /** Rotates keep SF, ZF, PF and AF: they write only CF and OF. */
    static boolean isRotate(Op op) {
        return op == Op.ROL || op == Op.ROR;
    }

    private void alu(Insn in, int code, int ea, Segment seg) {
        int group = code & ~15, op = code & 15;
        boolean writes = op != CMP && op != TEST;
        int d, s;
        boolean memDst = false;
        switch (group) {
            case ALU_EG:
                s = regs[in.reg];
                if (in.mod == 3) d = regs[in.rm];
                else {
                    memDst = writes;
                    d = memDst ? interp.readForWrite(seg, ea) : interp.read32(seg, ea);
                }
                break;
            case ALU_GE:
                d = regs[in.reg];
                s = in.mod == 3 ? regs[in.rm] : interp.read32(seg, ea);
                break;
            case ALU_EI:
                s = in.imm;
                if (in.mod == 3) d = regs[in.rm];
                else {
                    memDst = writes;
                    d = memDst ? interp.readForWrite(seg, ea) : interp.read32(seg, ea);
                }
                break;
            default: // ALU_AI
                s = in.imm;
                d = regs[Cpu.EAX];
        }
        int r = Alu32.alu(flags, op, d, s);
        if (writes) {
            if (memDst) interp.write32(seg, ea, r);
            else if (group == ALU_GE) regs[in.reg] = r;
            else if (group == ALU_AI) regs[Cpu.EAX] = r;
            else regs[in.rm] = r;
        }
    }
}

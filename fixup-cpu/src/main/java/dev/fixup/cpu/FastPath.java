package dev.fixup.cpu;

import dev.fixup.x86.Form;
import dev.fixup.x86.FormTable;
import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec.Kind;
import java.util.List;

/**
 * Direct code for the most frequent 32-bit instruction forms (mov, the ALU operations, push/pop,
 * inc/dec, jcc/jmp/call/ret, lea), chosen once per table row. Everything else, and every
 * 16-bit form, takes the general operand-spec path in {@link Interpreter}. The semantics are the
 * same; the differential tests against qemu-i386 cover both paths.
 */
final class FastPath {
    static final int NONE = 0, MOV_EG = 1, MOV_GE = 2, MOV_ZI = 3, MOV_EI = 4, LEA = 5, PUSH_Z = 6, POP_Z = 7,
            INC_Z = 8, DEC_Z = 9, JCC = 10, JMP = 11, CALL = 12, RET = 13,
            ALU_EG = 16, ALU_GE = 32, ALU_EI = 48, ALU_AI = 64;
    /** ALU operation numbers within a group (ADC/SBB stay on the general path). */
    static final int ADD = 0, OR = 1, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;

    /** Fast code per form id. */
    static final int[] CODE;

    static {
        List<Form> forms = FormTable.forms();
        CODE = new int[forms.size()];
        for (Form f : forms) {
            if (f.id >= 0 && f.id < CODE.length) CODE[f.id] = classify(f);
        }
    }

    private static int alu(Op op) {
        switch (op) {
            case ADD: return ADD;
            case OR: return OR;
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

    private static int classify(Form f) {
        int n = f.operands.length;
        int a = alu(f.op);
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
                return NONE;
            case LEA: return n == 2 && is(f, 0, Kind.REG, true) ? LEA : NONE;
            case PUSH: return n == 1 && is(f, 0, Kind.OPREG, true) ? PUSH_Z : NONE;
            case POP: return n == 1 && is(f, 0, Kind.OPREG, true) ? POP_Z : NONE;
            case INC: return n == 1 && is(f, 0, Kind.OPREG, true) ? INC_Z : NONE;
            case DEC: return n == 1 && is(f, 0, Kind.OPREG, true) ? DEC_Z : NONE;
            case JCC: return JCC;
            case JMP: return n == 1 && f.operands[0].kind == Kind.REL ? JMP : NONE;
            case CALL: return n == 1 && f.operands[0].kind == Kind.REL ? CALL : NONE;
            case RET: return n == 0 ? RET : NONE;
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
                else interp.write(seg, ea, 4, regs[in.reg]);
                return next;
            case MOV_GE:
                regs[in.reg] = in.mod == 3 ? regs[in.rm] : interp.read(seg, ea, 4);
                return next;
            case MOV_ZI: regs[in.reg] = in.imm; return next;
            case MOV_EI:
                if (in.mod == 3) regs[in.rm] = in.imm;
                else interp.write(seg, ea, 4, in.imm);
                return next;
            case LEA: regs[in.reg] = ea; return next;
            case PUSH_Z: interp.push(4, regs[in.reg]); return next;
            case POP_Z: {
                int v = interp.read(cpu.ss, regs[Cpu.ESP], 4);
                regs[Cpu.ESP] += 4;
                regs[in.reg] = v;
                return next;
            }
            case INC_Z: {
                int d = regs[in.reg], r = d + 1;
                regs[in.reg] = r;
                flags.result(32, r, flags.cf(), r == Integer.MIN_VALUE, (r & 0xF) == 0);
                return next;
            }
            case DEC_Z: {
                int d = regs[in.reg], r = d - 1;
                regs[in.reg] = r;
                flags.result(32, r, flags.cf(), d == Integer.MIN_VALUE, (d & 0xF) == 0);
                return next;
            }
            case JCC: return flags.condition(in.cond) ? next + in.imm : next;
            case JMP: return next + in.imm;
            case CALL: interp.push(4, next); return next + in.imm;
            case RET: {
                int t = interp.read(cpu.ss, regs[Cpu.ESP], 4);
                regs[Cpu.ESP] += 4;
                return t;
            }
            default:
                return alu(in, code, ea, seg, next);
        }
    }

    private int alu(Insn in, int code, int ea, Segment seg, int next) {
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
                    d = memDst ? interp.readForWrite(seg, ea) : interp.read(seg, ea, 4);
                }
                break;
            case ALU_GE:
                d = regs[in.reg];
                s = in.mod == 3 ? regs[in.rm] : interp.read(seg, ea, 4);
                break;
            case ALU_EI:
                s = in.imm;
                if (in.mod == 3) d = regs[in.rm];
                else {
                    memDst = writes;
                    d = memDst ? interp.readForWrite(seg, ea) : interp.read(seg, ea, 4);
                }
                break;
            default: // ALU_AI
                s = in.imm;
                d = regs[Cpu.EAX];
        }
        int r;
        int kind;
        switch (op) {
            case ADD: r = d + s; kind = Flags.ADD; break;
            case SUB: case CMP: r = d - s; kind = Flags.SUB; break;
            case OR: r = d | s; kind = Flags.LOGIC; break;
            case XOR: r = d ^ s; kind = Flags.LOGIC; break;
            default: r = d & s; kind = Flags.LOGIC; break; // AND, TEST
        }
        if (writes) {
            if (memDst) interp.write(seg, ea, 4, r);
            else if (group == ALU_GE) regs[in.reg] = r;
            else if (group == ALU_AI) regs[Cpu.EAX] = r;
            else regs[in.rm] = r;
        }
        flags.lazy(kind, 32, d, s, r);
        return next;
    }
}

package dev.fixup.cpu;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;
import dev.fixup.x86.OperandSpec.Kind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumSet;
import java.util.List;

/**
 * Translates a block of decoded instructions ({@link Block}) into a JVM class (a hidden class
 * extending Block), so that HotSpot compiles hot guest code instead of our interpreter
 * dispatching it one instruction at a time. The interpreter stays the reference: every form is
 * either generated with the interpreter's semantics (the fast forms of {@link FastPath} and
 * those of {@link #extraCode}, arithmetic through {@link Alu32}) or handed to the interpreter
 * from inside the block ({@link #PLAIN}); the differential tests run both.
 *
 * <p>What makes the generated code fast: guest registers live in JVM locals for the whole block;
 * memory accesses test the TLB inline and touch the entry's RAM chunk directly on a hit (see {@link Tlb}
 * for why no other check is needed); a condition that follows a cmp/sub or a logic operation in
 * the block compares that operation's operands directly; flags that the next flag write replaces
 * unseen are not recorded; and instructions that may fault cost nothing extra, because JVM
 * exception handlers, not stores on the way, record where a fault restarts.
 *
 * <p>This class decides what a block may hold and defines the class; {@link BlockGenerator}
 * writes its bytecode on top of {@link InlineTlb} (memory access) and {@link BlockFrame} (locals,
 * registers, exits); {@link BlockCache} shares blocks by their code.
 */
final class BlockTranslator {
    /** Upper bound on the instructions gathered for a block (see {@link #MAX_CODE_BYTES} for the one that counts). */
    static final int MAX_INSNS = 48;
    /**
     * Upper bound on the bytecode of a block's method: far below HotSpot's 8000-byte limit on
     * methods it compiles, with room for its own code. A block whose method would be bigger keeps
     * fewer of the instructions gathered.
     */
    static final int MAX_CODE_BYTES = 5000;

    /** Ops that the generated code hands to the interpreter without ending the block. */
    private static final EnumSet<Op> PLAIN = EnumSet.of(
            Op.MOV, Op.MOVZX, Op.MOVSX, Op.LEA, Op.XCHG, Op.BSWAP, Op.CMPXCHG, Op.CMPXCHG8B, Op.XADD,
            Op.CMOVCC, Op.SETCC, Op.XLAT,
            Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP, Op.TEST, Op.INC, Op.DEC, Op.NEG,
            Op.NOT, Op.MUL, Op.IMUL1, Op.IMUL2, Op.IMUL3, Op.DIV, Op.IDIV, Op.ROL, Op.ROR, Op.RCL, Op.RCR,
            Op.SHL, Op.SHR, Op.SAR, Op.SHLD, Op.SHRD, Op.BT, Op.BTS, Op.BTR, Op.BTC, Op.BSF, Op.BSR,
            Op.DAA, Op.DAS, Op.AAA, Op.AAS, Op.AAM, Op.AAD, Op.SALC, Op.CBW, Op.CWD, Op.LAHF, Op.SAHF,
            Op.PUSH, Op.POP, Op.PUSHA, Op.POPA, Op.ENTER, Op.LEAVE,
            Op.MOVS, Op.CMPS, Op.SCAS, Op.LODS, Op.STOS,
            Op.CLC, Op.STC, Op.CMC, Op.CLD, Op.STD, Op.NOP, Op.CPUID,
            Op.PUSH_SEG, Op.MOV_FROM_SEG, Op.POP_SEG, Op.MOV_TO_SEG, Op.PUSHF, Op.BOUND,
            Op.LDS, Op.LES, Op.LFS, Op.LGS,
            Op.SGDT, Op.SIDT, Op.SLDT, Op.STR, Op.SMSW, Op.LAR, Op.LSL, Op.VERR, Op.VERW, Op.ARPL);

    /**
     * Ops the generated code hands to the interpreter as the block's last instruction, returning
     * the EIP the interpreter leaves: they may go anywhere (int n, iret, far and 16-bit branches),
     * change CS, CPL, paging, the descriptor tables or IF, or reach a device. The run loop looks at
     * what they changed (interrupts, TF, a halt) before it runs anything else, as after a step.
     */
    private static final EnumSet<Op> ENDING = EnumSet.of(
            Op.INT, Op.INT1, Op.INT3, Op.INTO, Op.IRET, Op.JMP_FAR, Op.CALL_FAR, Op.RET_FAR,
            Op.JMP, Op.CALL, Op.RET, Op.JCC, Op.LOOP, Op.LOOPE, Op.LOOPNE, Op.JCXZ,
            Op.HLT, Op.STI, Op.CLI, Op.POPF, Op.LSS, Op.MOV_TO_CR, Op.MOV_TO_DR,
            Op.LGDT, Op.LIDT, Op.LLDT, Op.LTR, Op.LMSW, Op.CLTS, Op.INVLPG, Op.INVD, Op.WBINVD,
            Op.IN, Op.OUT, Op.INS, Op.OUTS);

    /** True when {@code in} ends its block through the interpreter (see {@link #ENDING}); branches with fast code do not. */
    static boolean endsThroughInterpreter(Insn in) {
        return fastCode(in) == 0 && ENDING.contains(in.op);
    }

    /** The segment register {@code in} loads, or -1 (the kernel's entry and exit paths are full of these). */
    static int loadsSegment(Insn in) {
        switch (in.op) {
            case MOV_TO_SEG: return in.reg;
            case POP_SEG: return in.form.operands[0].fixed.num();
            case LDS: return Cpu.SEG_DS;
            case LES: return Cpu.SEG_ES;
            case LFS: return Cpu.SEG_FS;
            case LGS: return Cpu.SEG_GS;
            case LSS: return Cpu.SEG_SS;
            default: return -1;
        }
    }

    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Insn[].class, int[].class, int.class, boolean.class, boolean.class);

    /** The fast code of {@code in}, or 0 when it takes the interpreter's general path. */
    static int fastCode(Insn in) {
        int id = in.form.id;
        return id >= 0 && in.opsize == 4 && !in.lock ? FastPath.CODE[id] : 0;
    }

    /**
     * Forms beyond FastPath's that the generated code also does itself (32-bit operand size or
     * bytes, no lock): the rest of the arithmetic that gcc's 64-bit helpers and byte loops use.
     */
    static final int X_NONE = 0, X_NEG = 1, X_NOT = 2, X_MUL = 3, X_IMUL1 = 4, X_DIV = 5, X_IDIV = 6,
            X_SHLD = 7, X_SHRD = 8, X_BSF = 9, X_BSR = 10, X_ALU8_EG = 11, X_ALU8_GE = 12, X_ALU8_EI = 13,
            X_ALU8_AI = 14, X_LOAD_MOFFS = 15, X_STORE_MOFFS = 16;

    static int extraCode(Insn in) {
        if (in.lock || fastCode(in) != 0) return X_NONE;
        OperandSpec[] ops = in.form.operands;
        int n = ops.length;
        boolean dword = in.opsize == 4;
        switch (in.op) {
            case NEG: case NOT: case MUL: case IMUL1: case DIV: case IDIV:
                if (n != 1 || !dword || !isV(ops[0], Kind.RM)) return X_NONE;
                switch (in.op) {
                    case NEG: return X_NEG;
                    case NOT: return X_NOT;
                    case MUL: return X_MUL;
                    case IMUL1: return X_IMUL1;
                    case DIV: return X_DIV;
                    default: return X_IDIV;
                }
            case SHLD: case SHRD:
                if (n != 3 || !dword || !isV(ops[0], Kind.RM) || !isV(ops[1], Kind.REG)) return X_NONE;
                if (!isByte(ops[2], Kind.IMM) && !isCl(ops[2])) return X_NONE;
                return in.op == Op.SHLD ? X_SHLD : X_SHRD;
            case BSF: case BSR:
                if (n != 2 || !dword || !isV(ops[0], Kind.REG) || !isV(ops[1], Kind.RM)) return X_NONE;
                return in.op == Op.BSF ? X_BSF : X_BSR;
            case ADD: case OR: case AND: case SUB: case XOR: case CMP: case TEST:
                if (n != 2) return X_NONE;
                if (isByte(ops[0], Kind.RM) && isByte(ops[1], Kind.REG)) return X_ALU8_EG;
                if (isByte(ops[0], Kind.REG) && isByte(ops[1], Kind.RM)) return X_ALU8_GE;
                if (isByte(ops[0], Kind.RM) && isByte(ops[1], Kind.IMM)) return X_ALU8_EI;
                if (isByte(ops[0], Kind.FIXED) && ops[0].fixed.num() == Cpu.EAX && isByte(ops[1], Kind.IMM)) return X_ALU8_AI;
                return X_NONE;
            case MOV:
                if (n != 2 || !dword || in.addrsize != 4) return X_NONE;
                if (isV(ops[0], Kind.FIXED) && ops[0].fixed.num() == Cpu.EAX && isV(ops[1], Kind.MOFFS)) return X_LOAD_MOFFS;
                if (isV(ops[0], Kind.MOFFS) && isV(ops[1], Kind.FIXED) && ops[1].fixed.num() == Cpu.EAX) return X_STORE_MOFFS;
                return X_NONE;
            default:
                return X_NONE;
        }
    }

    private static boolean isV(OperandSpec o, Kind kind) {
        return o.kind == kind && o.isSizeV();
    }

    private static boolean isByte(OperandSpec o, Kind kind) {
        return o.kind == kind && !o.isSizeV() && o.size(4) == 1;
    }

    private static boolean isCl(OperandSpec o) {
        return o.kind == Kind.FIXED && !o.isSizeV() && o.size(4) == 1 && o.fixed.num() == Cpu.ECX;
    }

    /** True when {@code in} may be part of a block. */
    static boolean admits(Insn in) {
        return fastCode(in) != 0 || PLAIN.contains(in.op) || X87Emitter.admits(in) || ENDING.contains(in.op);
    }

    /** {@link #branchTarget}: the instruction has no direct branch. */
    static final int NO_BRANCH = Integer.MIN_VALUE;

    /** The page offset that a direct jcc, jmp or call goes to, its next instruction being at {@code next}; or {@link #NO_BRANCH}. */
    static int branchTarget(Insn in, int next) {
        switch (fastCode(in)) {
            case FastPath.JCC: case FastPath.JMP: case FastPath.CALL: return next + in.imm;
            default: return NO_BRANCH;
        }
    }

    /** Execution may go on at the next instruction in memory: all but jmp, call and ret, direct or not, and those that end a block through the interpreter. */
    static boolean fallsThrough(Insn in) {
        if (endsThroughInterpreter(in)) return false; // it leaves the block with the EIP it set
        switch (fastCode(in)) {
            case FastPath.JMP: case FastPath.CALL: case FastPath.RET: case FastPath.JMP_E: case FastPath.CALL_E: return false;
            default: return true;
        }
    }

    /** The block leaves after {@code in} though execution goes on at the next instruction. */
    static boolean endsBlock(Insn in) {
        return loadsSegment(in) == Cpu.SEG_SS; // the interrupt shadow covers the next instruction only
    }

    /**
     * Translates a block from {@code gathered}: admitted instructions at byte offsets
     * {@code offsets} from the entry (one at 0), each reachable from an earlier one (or the entry)
     * by the edges of {@link BlockGraph}. When the method would be too big, a shorter prefix is
     * translated: a prefix is still all reachable.
     */
    static Block translate(List<Insn> gathered, int[] offsets) {
        Insn[] array = gathered.toArray(new Insn[0]);
        try {
            int n = array.length;
            while (true) {
                BlockGraph graph = new BlockGraph(array, offsets, n);
                BlockGenerator generator = new BlockGenerator(graph);
                byte[] classFile = generator.generate();
                if (generator.codeSize > MAX_CODE_BYTES && n > 1) {
                    n = Math.max(1, Math.min(n - 1, (int) ((long) n * MAX_CODE_BYTES * 9 / 10 / generator.codeSize)));
                    continue;
                }
                MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(classFile, true);
                MethodHandle ctor = lookup.findConstructor(lookup.lookupClass(), CONSTRUCTOR);
                return (Block) ctor.invoke(graph.insns, graph.offsets, graph.longestRun, graph.entryReached, graph.hasBackEdge);
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // ASM, the verifier: a translator bug, reported as one exception type
            throw new IllegalStateException("translating a block at " + gathered.get(0) + ": " + e, e);
        }
    }
}

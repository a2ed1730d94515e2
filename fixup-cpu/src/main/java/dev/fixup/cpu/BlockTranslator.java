package dev.fixup.cpu;

import static org.objectweb.asm.Opcodes.*;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;
import dev.fixup.x86.OperandSpec.Kind;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Translates a block of decoded instructions ({@link Block}) into a JVM class (a hidden class
 * extending Block), so that HotSpot compiles hot guest code instead of our interpreter
 * dispatching it one instruction at a time. The interpreter stays the reference: every form is
 * either generated with the interpreter's semantics (the fast forms of {@link FastPath} and
 * those of {@link #extraCode}, arithmetic through {@link Alu32}) or handed to the interpreter
 * from inside the block ({@link #PLAIN}); the differential tests run both.
 *
 * <p>What makes the generated code fast: guest registers live in JVM locals for the whole block;
 * memory accesses test the TLB inline and touch the RAM array directly on a hit (see {@link Tlb}
 * for why no other check is needed); a condition that follows a cmp/sub or a logic operation in
 * the block compares that operation's operands directly; flags that the next flag write replaces
 * unseen are not recorded; and instructions that may fault cost nothing extra, because JVM
 * exception handlers, not stores on the way, record where a fault restarts.
 */
final class BlockTranslator {
    /** Upper bound on instructions per block: keeps each method far below HotSpot's 8000-byte limit. */
    static final int MAX_INSNS = 48;

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
            Op.CLC, Op.STC, Op.CMC, Op.CLD, Op.STD, Op.NOP, Op.CPUID);

    private static final String CPU = "dev/fixup/cpu/Cpu", FLAGS = "dev/fixup/cpu/Flags",
            INTERP = "dev/fixup/cpu/Interpreter", SEGMENT = "Ldev/fixup/cpu/Segment;", ALU = "dev/fixup/cpu/Alu32",
            BLOCK = "dev/fixup/cpu/Block", INSN_ARRAY = "[Ldev/fixup/x86/Insn;", GUEST_FAULT = "dev/fixup/cpu/GuestFault";
    private static final String[] SEG_FIELDS = {"es", "cs", "ss", "ds", "fs", "gs"};

    // Local variable slots of the generated run(Cpu) method.
    private static final int THIS = 0, C = 1, REGS = 2, F = 3, IP = 4, E0 = 5, EA = 6, T = 7,
            FD = 8, FS = 9, FR = 10, TAG_READ = 11, TAG_WRITE = 12, FRAMES = 13, RAM = 14, FLAT = 15,
            ADDR = 16, V = 17, FAULT = 18, R0 = 19;

    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Insn[].class, int[].class);

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
        return fastCode(in) != 0 || PLAIN.contains(in.op) || X87Emitter.admits(in);
    }

    /** {@link #follows}: the block ends after this instruction. */
    static final int END = -1;

    /**
     * Where a block goes on after {@code in}, whose next instruction is at page offset {@code next}:
     * the fall-through (also for a conditional jump, which becomes a side exit), the target of a
     * direct jump or call (the caller stops if that leaves the page), or {@link #END}.
     */
    static int follows(Insn in, int next) {
        switch (fastCode(in)) {
            case FastPath.JMP: case FastPath.CALL: return next + in.imm;
            case FastPath.RET: case FastPath.JMP_E: case FastPath.CALL_E: return END;
            default: return next;
        }
    }

    /**
     * Blocks already made, by their code: a block holds no machine state, so every machine in
     * this JVM that runs the same bytes (a program run again, a test suite) reuses the class,
     * and HotSpot's compiled code with it. Least recently used blocks go beyond the bound.
     */
    private static final Map<Key, Block> SHARED = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Block> eldest) {
            return size() > 16384;
        }
    };

    /** A block's identity: the decoding mode, then each instruction's offset and bytes. */
    static final class Key {
        private final byte[] code;
        private final int hash;

        Key(byte[] code) {
            this.code = code;
            this.hash = Arrays.hashCode(code);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(code, ((Key) o).code);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /** The block for {@code insns}, whose code {@code key} describes: shared if one exists, else translated. */
    static Block block(Key key, List<Insn> insns, int[] offsets) {
        synchronized (SHARED) {
            Block b = SHARED.get(key);
            if (b != null) return b;
        }
        Block b = translate(insns, offsets);
        synchronized (SHARED) {
            SHARED.putIfAbsent(key, b);
        }
        return b;
    }

    /** Translates {@code insns}: admitted, in execution order as {@link #follows} gives it. */
    static Block translate(List<Insn> insns, int[] offsets) {
        Insn[] array = insns.toArray(new Insn[0]);
        try {
            byte[] classFile = new Generator(array, offsets).generate();
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(classFile, true);
            MethodHandle ctor = lookup.findConstructor(lookup.lookupClass(), CONSTRUCTOR);
            return (Block) ctor.invoke(array, offsets);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // ASM, the verifier: a translator bug, reported as one exception type
            throw new IllegalStateException("translating a block at " + insns.get(0) + ": " + e, e);
        }
    }

    /** Emits the class for one block. */
    private static final class Generator {
        private final Insn[] insns;
        private final int[] offsets;
        private MethodVisitor mv;
        /** What FD/FS/FR hold for a following condition: NONE, Flags.SUB or Flags.LOGIC. */
        private int fused = Flags.NONE;

        /** Per instruction: the flags it writes are overwritten before anything can see them. */
        private final boolean[] flagsDead;
        /** The instruction being emitted. */
        private int current;

        Generator(Insn[] insns, int[] offsets) {
            this.insns = insns;
            this.offsets = offsets;
            this.flagsDead = deadFlagWrites(insns);
        }

        /** How an instruction treats the arithmetic flags, for {@link #deadFlagWrites}. */
        private static final int NO_FLAGS = 0, WRITES = 1, KEEPS_SOME = 2, READS = 3;

        private static int flagEffect(Insn in) {
            int code = fastCode(in);
            if (code == 0) {
                switch (extraCode(in)) {
                    case X_NONE: return READS; // the interpreter: anything
                    case X_NOT: case X_DIV: case X_IDIV: case X_LOAD_MOFFS: case X_STORE_MOFFS: return NO_FLAGS;
                    case X_BSF: case X_BSR: return READS;
                    case X_SHLD: case X_SHRD:
                        return in.form.operands[2].kind == Kind.FIXED ? KEEPS_SOME : (in.imm & 0x1F) == 0 ? NO_FLAGS : WRITES;
                    default: return WRITES; // neg, mul, imul, byte ALU
                }
            }
            switch (code) {
                case FastPath.JCC: case FastPath.SETCC: case FastPath.CMOVCC: return READS;
                case FastPath.INC_Z: case FastPath.DEC_Z: case FastPath.SHIFT_CL: return KEEPS_SOME;
                case FastPath.IMUL2: case FastPath.IMUL3: case FastPath.SHIFT_1: return WRITES;
                case FastPath.SHIFT_I: return (in.imm & 0x1F) == 0 ? NO_FLAGS : WRITES;
                default:
                    if (code >= FastPath.ALU_EG && code < FastPath.ALU_AI + 16) {
                        int op = code & 15;
                        return op == FastPath.ADC || op == FastPath.SBB ? READS : WRITES;
                    }
                    return NO_FLAGS;
            }
        }

        /**
         * Backward liveness of the flags over the block: they are live at its end and at every
         * instruction that may fault (the handler sees them) or exit early; a write is dead when
         * the next use is another write.
         */
        private static boolean[] deadFlagWrites(Insn[] insns) {
            boolean[] dead = new boolean[insns.length];
            boolean live = true;
            for (int i = insns.length - 1; i >= 0; i--) {
                Insn in = insns[i];
                int effect = flagEffect(in);
                dead[i] = !live && (effect == WRITES || effect == KEEPS_SOME);
                boolean before = effect == WRITES ? false : effect == READS || live;
                if (mayFault(in)) before = true;
                live = before;
            }
            return dead;
        }

        /** May fault, or leave the block before its end (the interpreter, memory writes that may hit code). */
        private static boolean mayFault(Insn in) {
            int code = fastCode(in);
            if (code != 0) return mayFault(in, code);
            int x = extraCode(in);
            return x == X_NONE || in.memory || x == X_DIV || x == X_IDIV;
        }

        byte[] generate() {
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
            cw.visit(V17, ACC_FINAL | ACC_SUPER, "dev/fixup/cpu/TranslatedBlock", null, BLOCK, null);
            MethodVisitor init = cw.visitMethod(0, "<init>", "(" + INSN_ARRAY + "[I)V", null, null);
            init.visitCode();
            init.visitVarInsn(ALOAD, 0);
            init.visitVarInsn(ALOAD, 1);
            init.visitVarInsn(ALOAD, 2);
            init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", "(" + INSN_ARRAY + "[I)V", false);
            init.visitInsn(RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();

            mv = cw.visitMethod(0, "run", "(L" + CPU + ";)I", null, null);
            mv.visitCode();
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "regs", "[I");
            mv.visitVarInsn(ASTORE, REGS);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "flags", "L" + FLAGS + ";");
            mv.visitVarInsn(ASTORE, F);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "interpreter", "L" + INTERP + ";");
            mv.visitVarInsn(ASTORE, IP);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "eip", "I");
            mv.visitVarInsn(ISTORE, E0);
            loadRegisters(0xFF);
            memoryLocals();
            boolean returned = false;
            for (int i = 0; i < insns.length; i++) returned = instruction(i);
            int last = insns.length - 1;
            if (!returned) returnEip(offsets[last] + insns[last].length);
            faultHandlers();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        // ---------------------------------------------------------------- one instruction

        /** Handlers of the instructions that may fault, emitted after the code: label and instruction index. */
        private final List<Label> faultHandlers = new ArrayList<>();
        private final List<Integer> faultIndexes = new ArrayList<>();
        private final List<Integer> faultDirty = new ArrayList<>();

        /**
         * Emits instruction i; true when its code ends in a return (the block's final branch).
         * Code that may fault is covered by a JVM exception handler that records where the
         * instruction started: its own code changes nothing before its last possible fault (ESP
         * included), so nothing needs storing on the way when no fault happens.
         */
        private boolean instruction(int i) {
            Insn in = insns[i];
            current = i;
            boolean guarded = extraCode(in) != X_NONE || fastCode(in) != 0 ? mayFault(in) : X87Emitter.admits(in);
            if (!guarded) return emit(i);
            Label start = new Label(), end = new Label(), handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, GUEST_FAULT);
            faultDirty.add(dirty); // no instruction changes a register before its last possible fault
            mv.visitLabel(start);
            boolean returned = emit(i);
            mv.visitLabel(end);
            faultHandlers.add(handler);
            faultIndexes.add(i);
            return returned;
        }

        /** Each handler stores its instruction's EIP and ESP as where the fault model restarts, and rethrows. */
        private void faultHandlers() {
            if (faultHandlers.isEmpty()) return;
            Label common = new Label();
            for (int k = 0; k < faultHandlers.size(); k++) {
                mv.visitLabel(faultHandlers.get(k));
                storeRegisters(faultDirty.get(k));
                iconst(offsets[faultIndexes.get(k)]);
                mv.visitJumpInsn(GOTO, common);
            }
            mv.visitLabel(common);
            mv.visitVarInsn(ISTORE, T);
            mv.visitVarInsn(ASTORE, FAULT);
            mv.visitVarInsn(ALOAD, C);
            eip(0);
            mv.visitVarInsn(ILOAD, T);
            mv.visitInsn(IADD);
            mv.visitFieldInsn(PUTFIELD, CPU, "startEip", "I");
            mv.visitVarInsn(ALOAD, C);
            reg(Cpu.ESP);
            mv.visitFieldInsn(PUTFIELD, CPU, "startEsp", "I");
            mv.visitVarInsn(ALOAD, FAULT);
            mv.visitInsn(ATHROW);
        }

        private boolean emit(int i) {
            Insn in = insns[i];
            int code = fastCode(in);
            if (code == 0) {
                int extra = extraCode(in);
                if (X87Emitter.admits(in)) x87(i, in);
                else if (extra == X_NONE) generic(i, in);
                else extra(i, in, extra);
                return false;
            }
            boolean last = i == insns.length - 1;
            int next = offsets[i] + in.length;
            if (in.memory) effectiveAddress(in);
            switch (code) {
                case FastPath.MOV_EG: storeE32(in, () -> reg(in.reg)); break;
                case FastPath.MOV_GE: setReg(in.reg, () -> loadE32(in)); break;
                case FastPath.MOV_ZI: setReg(in.reg, () -> iconst(in.imm)); break;
                case FastPath.MOV_EI: storeE32(in, () -> iconst(in.imm)); break;
                case FastPath.LEA: setReg(in.reg, () -> mv.visitVarInsn(ILOAD, EA)); break;
                case FastPath.PUSH_Z: push(() -> reg(in.reg)); break;
                case FastPath.PUSH_I: push(() -> iconst(in.imm)); break;
                case FastPath.PUSH_E: push(() -> loadE32(in)); break;
                case FastPath.POP_Z:
                    stackRead(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T);
                    setReg(Cpu.ESP, () -> { reg(Cpu.ESP); iconst(4); mv.visitInsn(IADD); });
                    setReg(in.reg, () -> mv.visitVarInsn(ILOAD, T));
                    break;
                case FastPath.LEAVE:
                    stackRead(Cpu.EBP);
                    mv.visitVarInsn(ISTORE, T);
                    setReg(Cpu.ESP, () -> { reg(Cpu.EBP); iconst(4); mv.visitInsn(IADD); });
                    setReg(Cpu.EBP, () -> mv.visitVarInsn(ILOAD, T));
                    break;
                case FastPath.INC_Z: case FastPath.DEC_Z:
                    setReg(in.reg, () -> {
                        if (flagsDead[current]) {
                            reg(in.reg);
                            iconst(1);
                            mv.visitInsn(code == FastPath.INC_Z ? IADD : ISUB);
                            return;
                        }
                        mv.visitVarInsn(ALOAD, F);
                        reg(in.reg);
                        mv.visitMethodInsn(INVOKESTATIC, ALU, code == FastPath.INC_Z ? "inc" : "dec", "(L" + FLAGS + ";I)I", false);
                    });
                    fused = Flags.NONE;
                    break;
                case FastPath.MOV8_EG: storeE8(in, () -> byteReg(in.reg)); break;
                case FastPath.MOV8_GE: setByteReg(in.reg, () -> loadE8(in)); break;
                case FastPath.MOV8_EI: storeE8(in, () -> iconst(in.imm)); break;
                case FastPath.MOV8_ZI: setByteReg(in.reg, () -> iconst(in.imm)); break;
                case FastPath.MOVZX8: setReg(in.reg, () -> loadE8(in)); break;
                case FastPath.MOVSX8: setReg(in.reg, () -> { loadE8(in); mv.visitInsn(I2B); }); break;
                case FastPath.MOVZX16: setReg(in.reg, () -> loadE16(in)); break;
                case FastPath.MOVSX16: setReg(in.reg, () -> { loadE16(in); mv.visitInsn(I2S); }); break;
                case FastPath.SHIFT_I: shiftByConstant(in, in.imm & 0x1F); break;
                case FastPath.SHIFT_1: shiftByConstant(in, 1); break;
                case FastPath.SHIFT_CL: shiftByCl(in); break;
                case FastPath.SETCC: {
                    Label yes = new Label(), done = new Label();
                    condition(in.cond, yes);
                    iconst(0);
                    mv.visitJumpInsn(GOTO, done);
                    mv.visitLabel(yes);
                    iconst(1);
                    mv.visitLabel(done);
                    mv.visitVarInsn(ISTORE, T);
                    storeE8(in, () -> mv.visitVarInsn(ILOAD, T));
                    break;
                }
                case FastPath.CMOVCC: {
                    loadE32(in); // read even when the condition is false: a memory source may fault
                    mv.visitVarInsn(ISTORE, T);
                    Label no = new Label();
                    condition(in.cond ^ 1, no);
                    setReg(in.reg, () -> mv.visitVarInsn(ILOAD, T));
                    mv.visitLabel(no);
                    break;
                }
                case FastPath.IMUL2: case FastPath.IMUL3:
                    loadE32(in);
                    mv.visitVarInsn(ISTORE, T);
                    setReg(in.reg, () -> {
                        boolean dead = flagsDead[current];
                        if (!dead) mv.visitVarInsn(ALOAD, F);
                        mv.visitVarInsn(ILOAD, T);
                        if (code == FastPath.IMUL2) reg(in.reg);
                        else iconst(in.imm);
                        if (dead) mv.visitInsn(IMUL);
                        else mv.visitMethodInsn(INVOKESTATIC, ALU, "imul", "(L" + FLAGS + ";II)I", false);
                    });
                    fused = Flags.NONE;
                    break;
                case FastPath.CDQ: setReg(Cpu.EDX, () -> { reg(Cpu.EAX); iconst(31); mv.visitInsn(ISHR); }); break;
                case FastPath.CWDE: setReg(Cpu.EAX, () -> { reg(Cpu.EAX); mv.visitInsn(I2S); }); break;
                case FastPath.JCC: {
                    Label notTaken = new Label();
                    condition(in.cond ^ 1, notTaken);
                    if (!last) setBlockDone(i + 1); // a side exit
                    returnEip(next + in.imm);
                    mv.visitLabel(notTaken);
                    if (!last) return false; // the block goes on with the fall-through
                    returnEip(next);
                    return true;
                }
                case FastPath.JMP:
                    if (!last) return false; // the block goes on at the target
                    returnEip(next + in.imm);
                    return true;
                case FastPath.CALL:
                    push(() -> eip(next));
                    if (!last) {
                        checkCodeWritten(i);
                        return false;
                    }
                    returnEip(next + in.imm);
                    return true;
                case FastPath.RET:
                    stackRead(Cpu.ESP);
                    mv.visitVarInsn(ISTORE, T);
                    setReg(Cpu.ESP, () -> { reg(Cpu.ESP); iconst(4); mv.visitInsn(IADD); });
                    returnT();
                    return true;
                case FastPath.JMP_E:
                    loadE32(in);
                    mv.visitVarInsn(ISTORE, T);
                    returnT();
                    return true;
                case FastPath.CALL_E:
                    loadE32(in);
                    mv.visitVarInsn(ISTORE, T);
                    push(() -> eip(next));
                    returnT();
                    return true;
                default:
                    alu(in, code);
            }
            if (writesMemory(in, code)) checkCodeWritten(i);
            return false;
        }

        /** One of the forms of {@link #extraCode}. */
        private void extra(int i, Insn in, int x) {
            boolean mem = in.memory;
            if (mem) effectiveAddress(in);
            switch (x) {
                case X_NEG:
                    loadRmw32(in);
                    mv.visitVarInsn(ISTORE, FD);
                    storeE32(in, () -> {
                        if (flagsDead[current]) {
                            mv.visitVarInsn(ILOAD, FD);
                            mv.visitInsn(INEG);
                            return;
                        }
                        mv.visitVarInsn(ALOAD, F);
                        mv.visitVarInsn(ILOAD, FD);
                        mv.visitMethodInsn(INVOKESTATIC, ALU, "neg", "(L" + FLAGS + ";I)I", false);
                    });
                    fused = Flags.NONE;
                    break;
                case X_NOT: // no flags
                    loadRmw32(in);
                    mv.visitVarInsn(ISTORE, T);
                    storeE32(in, () -> { mv.visitVarInsn(ILOAD, T); iconst(-1); mv.visitInsn(IXOR); });
                    break;
                case X_MUL: case X_IMUL1: case X_DIV: case X_IDIV: {
                    loadE32(in);
                    mv.visitVarInsn(ISTORE, T);
                    boolean divide = x == X_DIV || x == X_IDIV;
                    int eaxEdx = 1 << Cpu.EAX | 1 << Cpu.EDX;
                    spill(eaxEdx);
                    mv.visitVarInsn(ALOAD, divide ? C : F);
                    mv.visitVarInsn(ALOAD, REGS);
                    mv.visitVarInsn(ILOAD, T);
                    String name = x == X_MUL ? "mul" : x == X_IMUL1 ? "imul1" : x == X_DIV ? "div" : "idiv";
                    mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(L" + (divide ? CPU : FLAGS) + ";[II)V", false);
                    reload(eaxEdx);
                    if (!divide) fused = Flags.NONE; // div leaves the flags as they were
                    break;
                }
                case X_SHLD: case X_SHRD:
                    doubleShift(in, x == X_SHLD ? "shld" : "shrd");
                    fused = Flags.NONE;
                    break;
                case X_BSF: case X_BSR:
                    loadE32(in);
                    mv.visitVarInsn(ISTORE, T);
                    setReg(in.reg, () -> {
                        mv.visitVarInsn(ALOAD, F);
                        mv.visitVarInsn(ILOAD, T);
                        reg(in.reg);
                        mv.visitMethodInsn(INVOKESTATIC, ALU, x == X_BSF ? "bsf" : "bsr", "(L" + FLAGS + ";II)I", false);
                    });
                    fused = Flags.NONE;
                    break;
                case X_LOAD_MOFFS: setReg(Cpu.EAX, () -> loadE32(in)); break;
                case X_STORE_MOFFS: storeE32(in, () -> reg(Cpu.EAX)); break;
                default:
                    alu8(in, x);
            }
            boolean writes = mem && (x == X_NEG || x == X_NOT || x == X_SHLD || x == X_SHRD || x == X_STORE_MOFFS
                    || (x == X_ALU8_EG || x == X_ALU8_EI) && in.op != Op.CMP && in.op != Op.TEST);
            if (writes) checkCodeWritten(i);
        }

        /** The E operand of a read-modify-write instruction (write access checked first). */
        private void loadRmw32(Insn in) {
            if (in.mod == 3) reg(in.rm);
            else read32(EA, segOf(in), true);
        }

        /** shld/shrd: a zero count changes nothing (a memory operand is still read). */
        private void doubleShift(Insn in, String name) {
            boolean cl = in.form.operands[2].kind == Kind.FIXED;
            Label zero = new Label(), done = new Label();
            if (cl) {
                reg(Cpu.ECX);
            } else {
                iconst(in.imm);
            }
            iconst(0x1F);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, T);
            mv.visitVarInsn(ILOAD, T);
            mv.visitJumpInsn(IFEQ, zero);
            loadRmw32(in);
            mv.visitVarInsn(ISTORE, FD);
            storeE32(in, () -> {
                mv.visitVarInsn(ALOAD, F);
                mv.visitVarInsn(ILOAD, FD);
                reg(in.reg);
                mv.visitVarInsn(ILOAD, T);
                mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(L" + FLAGS + ";III)I", false);
            });
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(zero);
            if (in.memory) {
                loadE32(in);
                mv.visitInsn(POP);
            }
            mv.visitLabel(done);
        }

        /** Byte add/or/and/sub/xor/cmp/test: computed here, flags recorded lazily at width 8. */
        private void alu8(Insn in, int x) {
            boolean writes = in.op != Op.CMP && in.op != Op.TEST;
            switch (x) {
                case X_ALU8_EG: case X_ALU8_EI:
                    if (in.mod == 3) byteReg(in.rm);
                    else read8(EA, segOf(in), writes);
                    mv.visitVarInsn(ISTORE, FD);
                    if (x == X_ALU8_EG) byteReg(in.reg);
                    else iconst(in.imm & 0xFF);
                    break;
                case X_ALU8_GE:
                    byteReg(in.reg);
                    mv.visitVarInsn(ISTORE, FD);
                    loadE8(in);
                    break;
                default: // AL, imm8
                    byteReg(0);
                    mv.visitVarInsn(ISTORE, FD);
                    iconst(in.imm & 0xFF);
            }
            mv.visitVarInsn(ISTORE, FS);
            mv.visitVarInsn(ILOAD, FD);
            mv.visitVarInsn(ILOAD, FS);
            int kind;
            switch (in.op) {
                case ADD: mv.visitInsn(IADD); kind = Flags.ADD; break;
                case SUB: case CMP: mv.visitInsn(ISUB); kind = Flags.SUB; break;
                case OR: mv.visitInsn(IOR); kind = Flags.LOGIC; break;
                case XOR: mv.visitInsn(IXOR); kind = Flags.LOGIC; break;
                default: mv.visitInsn(IAND); kind = Flags.LOGIC; // AND, TEST
            }
            mv.visitVarInsn(ISTORE, FR);
            if (writes) {
                Runnable r = () -> mv.visitVarInsn(ILOAD, FR);
                if (x == X_ALU8_GE) setByteReg(in.reg, r);
                else if (x == X_ALU8_AI) setByteReg(0, r);
                else storeE8(in, r);
            }
            if (!flagsDead[current]) {
                mv.visitVarInsn(ALOAD, F);
                iconst(kind);
                iconst(8);
                mv.visitVarInsn(ILOAD, FD);
                mv.visitVarInsn(ILOAD, FS);
                mv.visitVarInsn(ILOAD, FR);
                mv.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "lazy", "(IIIII)V", false);
            }
            fused = Flags.NONE;
        }

        /** Any other admitted instruction: the interpreter executes it at its own EIP. */
        private void generic(int i, Insn in) {
            spill(0xFF);
            markStart(i);
            mv.visitVarInsn(ALOAD, C);
            eip(offsets[i]);
            mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            mv.visitVarInsn(ALOAD, IP);
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "insns", INSN_ARRAY);
            iconst(i);
            mv.visitInsn(AALOAD);
            mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, "execute", "(Ldev/fixup/x86/Insn;)V", false);
            reload(0xFF);
            fused = Flags.NONE;
            checkCodeWritten(i);
        }

        /** An x87 instruction: the unit called directly, the registers staying in their locals (X87Emitter). */
        private void x87(int i, Insn in) {
            boolean ax = X87Emitter.writesAx(in);
            if (ax) spill(1 << Cpu.EAX);
            if (in.memory) effectiveAddress(in);
            mv.visitVarInsn(ALOAD, C);
            eip(offsets[i]);
            mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
            mv.visitVarInsn(ALOAD, IP);
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "insns", INSN_ARRAY);
            iconst(i);
            mv.visitInsn(AALOAD);
            X87Emitter.emitCall(mv, in, () -> segment(segOf(in)), EA);
            if (ax) reload(1 << Cpu.EAX);
            fused = Flags.NONE;
            if (X87Emitter.writesMemory(in)) checkCodeWritten(i);
        }

        private static boolean mayFault(Insn in, int code) {
            switch (code) {
                case FastPath.LEA: case FastPath.MOV_ZI: case FastPath.MOV8_ZI: case FastPath.INC_Z: case FastPath.DEC_Z:
                case FastPath.JCC: case FastPath.JMP: case FastPath.CDQ: case FastPath.CWDE:
                    return false;
                case FastPath.PUSH_Z: case FastPath.PUSH_I: case FastPath.PUSH_E: case FastPath.POP_Z: case FastPath.LEAVE:
                case FastPath.CALL: case FastPath.RET: case FastPath.CALL_E:
                    return true;
                default:
                    return in.memory;
            }
        }

        private static boolean writesMemory(Insn in, int code) {
            switch (code) {
                case FastPath.PUSH_Z: case FastPath.PUSH_I: case FastPath.PUSH_E:
                    return true;
                case FastPath.MOV_EG: case FastPath.MOV_EI: case FastPath.MOV8_EG: case FastPath.MOV8_EI:
                case FastPath.SHIFT_I: case FastPath.SHIFT_1: case FastPath.SHIFT_CL: case FastPath.SETCC:
                    return in.memory;
                default:
                    int group = code & ~15;
                    int op = code & 15;
                    return in.memory && (group == FastPath.ALU_EG || group == FastPath.ALU_EI)
                            && op != FastPath.CMP && op != FastPath.TEST && code < FastPath.MOV8_EI;
            }
        }

        // ---------------------------------------------------------------- arithmetic

        private void alu(Insn in, int code) {
            int group = code & ~15, op = code & 15;
            boolean writes = op != FastPath.CMP && op != FastPath.TEST;
            boolean memDst = in.memory && writes && (group == FastPath.ALU_EG || group == FastPath.ALU_EI);
            switch (group) {
                case FastPath.ALU_EG:
                    aluDestination(in, memDst);
                    reg(in.reg);
                    break;
                case FastPath.ALU_GE:
                    reg(in.reg);
                    mv.visitVarInsn(ISTORE, FD);
                    loadE32(in);
                    break;
                case FastPath.ALU_EI:
                    aluDestination(in, memDst);
                    iconst(in.imm);
                    break;
                default: // ALU_AI
                    reg(Cpu.EAX);
                    mv.visitVarInsn(ISTORE, FD);
                    iconst(in.imm);
            }
            mv.visitVarInsn(ISTORE, FS);
            boolean dead = flagsDead[current] && op != FastPath.ADC && op != FastPath.SBB;
            if (!dead) mv.visitVarInsn(ALOAD, F);
            mv.visitVarInsn(ILOAD, FD);
            mv.visitVarInsn(ILOAD, FS);
            if (dead) mv.visitInsn(aluOpcode(op));
            else mv.visitMethodInsn(INVOKESTATIC, ALU, aluMethod(op), "(L" + FLAGS + ";II)I", false);
            mv.visitVarInsn(ISTORE, FR);
            if (writes) {
                if (memDst) {
                    write32(EA, segOf(in), () -> mv.visitVarInsn(ILOAD, FR));
                } else {
                    int dst = group == FastPath.ALU_GE ? in.reg : group == FastPath.ALU_AI ? Cpu.EAX : in.rm;
                    setReg(dst, () -> mv.visitVarInsn(ILOAD, FR));
                }
            }
            switch (op) {
                case FastPath.SUB: case FastPath.CMP: fused = Flags.SUB; break;
                case FastPath.AND: case FastPath.OR: case FastPath.XOR: case FastPath.TEST: fused = Flags.LOGIC; break;
                default: fused = Flags.NONE;
            }
        }

        /** Loads the destination operand of an E,G or E,I form into FD (write access checked first when it is written). */
        private void aluDestination(Insn in, boolean memDst) {
            if (in.mod == 3) reg(in.rm);
            else read32(EA, segOf(in), memDst);
            mv.visitVarInsn(ISTORE, FD);
        }

        /** The JVM opcode of an ALU operation whose flags nobody reads (not adc/sbb). */
        private static int aluOpcode(int op) {
            switch (op) {
                case FastPath.ADD: return IADD;
                case FastPath.OR: return IOR;
                case FastPath.SUB: case FastPath.CMP: return ISUB;
                case FastPath.XOR: return IXOR;
                default: return IAND;
            }
        }

        private static String aluMethod(int op) {
            switch (op) {
                case FastPath.ADD: return "add";
                case FastPath.OR: return "or";
                case FastPath.ADC: return "adc";
                case FastPath.SBB: return "sbb";
                case FastPath.SUB: case FastPath.CMP: return "sub";
                case FastPath.XOR: return "xor";
                default: return "and";
            }
        }

        private static String shiftMethod(Insn in) {
            switch (FastPath.shiftKind(in.op)) {
                case 0: return "shl";
                case 1: return "shr";
                default: return "sar";
            }
        }

        private void shiftByConstant(Insn in, int count) {
            if (count == 0) {
                if (in.memory) { // the operand is still read; nothing changes
                    loadE32(in);
                    mv.visitInsn(POP);
                }
                return;
            }
            shiftBy(in, () -> iconst(count));
            fused = Flags.NONE;
        }

        private void shiftByCl(Insn in) {
            Label zero = new Label(), done = new Label();
            reg(Cpu.ECX);
            iconst(0x1F);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, FS);
            mv.visitVarInsn(ILOAD, FS);
            mv.visitJumpInsn(IFEQ, zero);
            shiftBy(in, () -> mv.visitVarInsn(ILOAD, FS));
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(zero);
            if (in.memory) {
                loadE32(in);
                mv.visitInsn(POP);
            }
            mv.visitLabel(done);
            fused = Flags.NONE;
        }

        /** Shifts the E operand by a count of 1..31 that {@code count} pushes. */
        private void shiftBy(Insn in, Runnable count) {
            if (in.mod == 3) reg(in.rm);
            else read32(EA, segOf(in), true);
            mv.visitVarInsn(ISTORE, FD);
            boolean dead = flagsDead[current];
            if (!dead) mv.visitVarInsn(ALOAD, F);
            mv.visitVarInsn(ILOAD, FD);
            count.run();
            if (dead) mv.visitInsn(in.op == Op.SHL ? ISHL : in.op == Op.SHR ? IUSHR : ISHR);
            else mv.visitMethodInsn(INVOKESTATIC, ALU, shiftMethod(in), "(L" + FLAGS + ";II)I", false);
            mv.visitVarInsn(ISTORE, FR);
            storeE32(in, () -> mv.visitVarInsn(ILOAD, FR));
        }

        // ---------------------------------------------------------------- conditions

        /** Jumps to {@code target} when condition {@code cc} holds. */
        private void condition(int cc, Label target) {
            boolean negate = (cc & 1) != 0;
            int test = cc >>> 1;
            if (fused == Flags.SUB) {
                switch (test) {
                    case 1: unsignedCompare(negate ? IF_ICMPGE : IF_ICMPLT, target); return;
                    case 2: compare(negate ? IF_ICMPNE : IF_ICMPEQ, target); return;
                    case 3: unsignedCompare(negate ? IF_ICMPGT : IF_ICMPLE, target); return;
                    case 4: result(negate ? IFGE : IFLT, target); return;
                    case 6: compare(negate ? IF_ICMPGE : IF_ICMPLT, target); return;
                    case 7: compare(negate ? IF_ICMPGT : IF_ICMPLE, target); return;
                    default:
                }
            } else if (fused == Flags.LOGIC) {
                switch (test) {
                    case 0: case 1: // OF and CF are 0
                        if (negate) mv.visitJumpInsn(GOTO, target);
                        return;
                    case 2: case 3: result(negate ? IFNE : IFEQ, target); return;
                    case 4: case 6: result(negate ? IFGE : IFLT, target); return;
                    case 7: result(negate ? IFGT : IFLE, target); return;
                    default:
                }
            }
            mv.visitVarInsn(ALOAD, F);
            iconst(cc);
            mv.visitMethodInsn(INVOKEVIRTUAL, FLAGS, "condition", "(I)Z", false);
            mv.visitJumpInsn(IFNE, target);
        }

        private void compare(int opcode, Label target) {
            mv.visitVarInsn(ILOAD, FD);
            mv.visitVarInsn(ILOAD, FS);
            mv.visitJumpInsn(opcode, target);
        }

        /** Unsigned comparison of FD and FS: both biased by 2^31, then compared signed. */
        private void unsignedCompare(int opcode, Label target) {
            mv.visitVarInsn(ILOAD, FD);
            iconst(Integer.MIN_VALUE);
            mv.visitInsn(IXOR);
            mv.visitVarInsn(ILOAD, FS);
            iconst(Integer.MIN_VALUE);
            mv.visitInsn(IXOR);
            mv.visitJumpInsn(opcode, target);
        }

        private void result(int opcode, Label target) {
            mv.visitVarInsn(ILOAD, FR);
            mv.visitJumpInsn(opcode, target);
        }

        // ---------------------------------------------------------------- registers

        // Guest registers live in locals R0..R0+7 inside the block: loaded at entry, written back
        // to Cpu.regs at every exit, around calls that use the array, and by the fault handlers.
        // The generator tracks which ones the code so far may have changed ("dirty").
        private int dirty;

        private void reg(int r) {
            mv.visitVarInsn(ILOAD, R0 + r);
        }

        private void setReg(int r, Runnable value) {
            value.run();
            mv.visitVarInsn(ISTORE, R0 + r);
            dirty |= 1 << r;
        }

        private void loadRegisters(int mask) {
            for (int r = 0; r < 8; r++) {
                if ((mask & 1 << r) == 0) continue;
                mv.visitVarInsn(ALOAD, REGS);
                iconst(r);
                mv.visitInsn(IALOAD);
                mv.visitVarInsn(ISTORE, R0 + r);
            }
        }

        /** Writes the registers in {@code mask} back to Cpu.regs (the generator's dirty set is the caller's business). */
        private void storeRegisters(int mask) {
            for (int r = 0; r < 8; r++) {
                if ((mask & 1 << r) == 0) continue;
                mv.visitVarInsn(ALOAD, REGS);
                iconst(r);
                mv.visitVarInsn(ILOAD, R0 + r);
                mv.visitInsn(IASTORE);
            }
        }

        /** Before code that reads or writes Cpu.regs itself: the array is made current; afterwards {@link #reload}. */
        private void spill(int mask) {
            storeRegisters(dirty & mask);
            dirty &= ~mask;
        }

        private void reload(int mask) {
            loadRegisters(mask);
        }

        /** AL..BL are the low bytes of EAX..EBX; AH..BH (4..7) bits 8-15 of EAX..EBX. */
        private void byteReg(int r) {
            if (r < 4) {
                reg(r);
            } else {
                reg(r - 4);
                iconst(8);
                mv.visitInsn(IUSHR);
            }
            iconst(0xFF);
            mv.visitInsn(IAND);
        }

        private void setByteReg(int r, Runnable value) {
            int full = r & 3, shift = r < 4 ? 0 : 8;
            value.run();
            mv.visitVarInsn(ISTORE, T);
            setReg(full, () -> {
                reg(full);
                iconst(~(0xFF << shift));
                mv.visitInsn(IAND);
                mv.visitVarInsn(ILOAD, T);
                iconst(0xFF);
                mv.visitInsn(IAND);
                if (shift != 0) {
                    iconst(shift);
                    mv.visitInsn(ISHL);
                }
                mv.visitInsn(IOR);
            });
        }

        // ---------------------------------------------------------------- memory operands

        private void effectiveAddress(Insn in) {
            iconst(in.disp);
            if (in.base >= 0) {
                reg(in.base);
                mv.visitInsn(IADD);
            }
            if (in.index >= 0) {
                reg(in.index);
                if (in.scale != 0) {
                    iconst(in.scale);
                    mv.visitInsn(ISHL);
                }
                mv.visitInsn(IADD);
            }
            if (in.addrsize != 4) {
                iconst(0xFFFF);
                mv.visitInsn(IAND);
            }
            mv.visitVarInsn(ISTORE, EA);
        }

        private static int segOf(Insn in) {
            return in.seg >= 0 ? in.seg : in.defaultSeg();
        }

        private void segment(int seg) {
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, SEG_FIELDS[seg], SEGMENT);
        }

        /**
         * Jumps to {@code slow} unless the access of {@code size} bytes at the address in local
         * {@code addr} hits the TLB through tag array {@code tags} on a flat segment and stays in
         * its page; otherwise leaves its physical address on the stack and the RAM array below it.
         */
        private void tlbHit(int addr, int size, int tags, Label slow) {
            mv.visitVarInsn(ILOAD, FLAT);
            mv.visitJumpInsn(IFEQ, slow);
            if (size > 1) {
                mv.visitVarInsn(ILOAD, addr);
                iconst(0xFFF);
                mv.visitInsn(IAND);
                iconst(0x1000 - size);
                mv.visitJumpInsn(IF_ICMPGT, slow);
            }
            mv.visitVarInsn(ALOAD, tags);
            tlbSlot(addr);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ILOAD, addr);
            iconst(0xFFFFF000);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(IF_ICMPNE, slow);
            mv.visitVarInsn(ALOAD, RAM);
            mv.visitVarInsn(ALOAD, FRAMES);
            tlbSlot(addr);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ILOAD, addr);
            iconst(0xFFF);
            mv.visitInsn(IAND);
            mv.visitInsn(IOR);
        }

        private void tlbSlot(int addr) {
            mv.visitVarInsn(ILOAD, addr);
            iconst(12);
            mv.visitInsn(IUSHR);
            iconst(Tlb.MASK);
            mv.visitInsn(IAND);
        }

        /** Pushes the dword at seg:[addr]; {@code forWrite}: the page must be writable too (read-modify-write). */
        private void read32(int addr, int seg, boolean forWrite) {
            read(addr, seg, 4, forWrite);
        }

        /** Pushes the byte at seg:[addr], zero-extended; {@code forWrite} as in {@link #read32}. */
        private void read8(int addr, int seg, boolean forWrite) {
            read(addr, seg, 1, forWrite);
        }

        private void read(int addr, int seg, int size, boolean forWrite) {
            Label slow = new Label(), done = new Label();
            tlbHit(addr, size, forWrite ? TAG_WRITE : TAG_READ, slow);
            if (size == 4) {
                mv.visitMethodInsn(INVOKESTATIC, "dev/fixup/cpu/PhysicalMemory", "ramRead32", "([BI)I", false);
            } else {
                mv.visitInsn(BALOAD);
                iconst(0xFF);
                mv.visitInsn(IAND);
            }
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            mv.visitVarInsn(ALOAD, IP);
            segment(seg);
            mv.visitVarInsn(ILOAD, addr);
            String name = size == 4 ? (forWrite ? "readForWrite" : "read32") : (forWrite ? "readForWrite8" : "read8");
            mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, name, "(" + SEGMENT + "I)I", false);
            mv.visitLabel(done);
        }

        /** Writes the dword (size 4) or byte (size 1) that {@code value} pushes to seg:[addr]. */
        private void write(int addr, int seg, int size, Runnable value) {
            value.run();
            mv.visitVarInsn(ISTORE, V);
            Label slow = new Label(), done = new Label();
            tlbHit(addr, size, TAG_WRITE, slow);
            mv.visitVarInsn(ILOAD, V);
            if (size == 4) mv.visitMethodInsn(INVOKESTATIC, "dev/fixup/cpu/PhysicalMemory", "ramWrite32", "([BII)V", false);
            else mv.visitInsn(BASTORE);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            mv.visitVarInsn(ALOAD, IP);
            segment(seg);
            mv.visitVarInsn(ILOAD, addr);
            mv.visitVarInsn(ILOAD, V);
            mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, size == 4 ? "write32" : "write8", "(" + SEGMENT + "II)V", false);
            mv.visitLabel(done);
        }

        private void write32(int addr, int seg, Runnable value) {
            write(addr, seg, 4, value);
        }

        private void loadE32(Insn in) {
            if (in.mod == 3) reg(in.rm);
            else read32(EA, segOf(in), false);
        }

        private void loadE16(Insn in) {
            if (in.mod == 3) {
                reg(in.rm);
                iconst(0xFFFF);
                mv.visitInsn(IAND);
            } else {
                mv.visitVarInsn(ALOAD, IP);
                segment(segOf(in));
                mv.visitVarInsn(ILOAD, EA);
                iconst(2);
                mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, "read", "(" + SEGMENT + "II)I", false);
            }
        }

        private void loadE8(Insn in) {
            if (in.mod == 3) byteReg(in.rm);
            else read8(EA, segOf(in), false);
        }

        private void storeE32(Insn in, Runnable value) {
            if (in.mod == 3) setReg(in.rm, value);
            else write32(EA, segOf(in), value);
        }

        private void storeE8(Insn in, Runnable value) {
            if (in.mod == 3) setByteReg(in.rm, value);
            else write(EA, segOf(in), 1, value);
        }

        /** Pushes a dword on the guest stack: the write comes first, so a fault leaves ESP alone. */
        private void push(Runnable value) {
            reg(Cpu.ESP);
            iconst(4);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ISTORE, ADDR);
            write32(ADDR, Cpu.SEG_SS, value);
            setReg(Cpu.ESP, () -> mv.visitVarInsn(ILOAD, ADDR));
        }

        /** Reads the dword at SS:[register]. */
        private void stackRead(int register) {
            reg(register);
            mv.visitVarInsn(ISTORE, ADDR);
            read32(ADDR, Cpu.SEG_SS, false);
        }

        /**
         * Block entry: the TLB arrays for the current privilege, the RAM array and whether every
         * segment the block addresses is flat (else all its accesses take the interpreter's path).
         */
        private void memoryLocals() {
            boolean[] used = new boolean[6];
            boolean any = false;
            for (Insn in : insns) {
                int code = fastCode(in);
                if (code == 0 && extraCode(in) == X_NONE) continue;
                if (in.memory && code != FastPath.LEA) used[segOf(in)] = any = true;
                if (usesStack(code)) used[Cpu.SEG_SS] = any = true;
            }
            if (!any) return;
            Label kernel = new Label(), chosen = new Label();
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "user", "Z");
            mv.visitJumpInsn(IFEQ, kernel);
            tlbArray("userRead", TAG_READ);
            tlbArray("userWrite", TAG_WRITE);
            mv.visitJumpInsn(GOTO, chosen);
            mv.visitLabel(kernel);
            tlbArray("kernelRead", TAG_READ);
            tlbArray("kernelWrite", TAG_WRITE);
            mv.visitLabel(chosen);
            tlbArray("frame", FRAMES);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "mem", "Ldev/fixup/cpu/PhysicalMemory;");
            mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/PhysicalMemory", "ram", "[B");
            mv.visitVarInsn(ASTORE, RAM);
            iconst(1);
            for (int seg = 0; seg < used.length; seg++) {
                if (!used[seg]) continue;
                segment(seg);
                mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Segment", "flat", "Z");
                mv.visitInsn(IAND);
            }
            mv.visitVarInsn(ISTORE, FLAT);
        }

        private void tlbArray(String field, int local) {
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "mmu", "Ldev/fixup/cpu/Mmu;");
            mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Mmu", "tlb", "Ldev/fixup/cpu/Tlb;");
            mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Tlb", field, "[I");
            mv.visitVarInsn(ASTORE, local);
        }

        private static boolean usesStack(int code) {
            switch (code) {
                case FastPath.PUSH_Z: case FastPath.PUSH_I: case FastPath.PUSH_E: case FastPath.POP_Z:
                case FastPath.LEAVE: case FastPath.CALL: case FastPath.RET: case FastPath.CALL_E:
                    return true;
                default:
                    return false;
            }
        }

        // ---------------------------------------------------------------- block bookkeeping

        /** The EIP of block offset {@code offset}: blocks are per physical page, so EIPs are relative. */
        private void eip(int offset) {
            mv.visitVarInsn(ILOAD, E0);
            if (offset != 0) {
                iconst(offset);
                mv.visitInsn(IADD);
            }
        }

        private void returnEip(int offset) {
            storeRegisters(dirty);
            eip(offset);
            mv.visitInsn(IRETURN);
        }

        /** Leaves the block at the EIP held in local T. */
        private void returnT() {
            storeRegisters(dirty);
            mv.visitVarInsn(ILOAD, T);
            mv.visitInsn(IRETURN);
        }

        /** Before an instruction the interpreter executes (it may move ESP before it faults): where the fault model restarts it. */
        private void markStart(int i) {
            mv.visitVarInsn(ALOAD, C);
            eip(offsets[i]);
            mv.visitFieldInsn(PUTFIELD, CPU, "startEip", "I");
            mv.visitVarInsn(ALOAD, C);
            reg(Cpu.ESP);
            mv.visitFieldInsn(PUTFIELD, CPU, "startEsp", "I");
        }

        /** After a memory write: if it hit a page with cached code, stop so the CPU decodes afresh. */
        private void checkCodeWritten(int i) {
            if (i == insns.length - 1) return; // the block ends here anyway
            Label same = new Label();
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "codeWritten", "Z");
            mv.visitJumpInsn(IFEQ, same);
            setBlockDone(i + 1);
            returnEip(offsets[i + 1]);
            mv.visitLabel(same);
        }

        private void setBlockDone(int n) {
            mv.visitVarInsn(ALOAD, C);
            iconst(n);
            mv.visitFieldInsn(PUTFIELD, CPU, "blockDone", "I");
        }

        private void iconst(int v) {
            if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
            else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
            else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
            else mv.visitLdcInsn(v);
        }
    }
}

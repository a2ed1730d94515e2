package dev.fixup.cpu;

import static dev.fixup.cpu.BlockTranslator.*;
import static org.objectweb.asm.Opcodes.*;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the class for one block ({@link BlockTranslator}): each instruction's semantics in
 * bytecode (the fast forms of {@link FastPath} and the translator's extra forms, arithmetic
 * through {@link Alu32}, the rest handed to the interpreter), flags computed lazily and dropped
 * when the next flag write replaces them unseen, the block's branches ({@link BlockGraph}) as
 * jumps inside the method, and the fault handlers and exits after the code.
 */
final class BlockGenerator extends InlineTlb {
    /** What FD/FS/FR hold for a following condition: NONE, Flags.SUB or Flags.LOGIC. */
    private int fused = Flags.NONE;

    private final BlockGraph graph;
    /** Per instruction: the flags it writes are overwritten before anything can see them. */
    private final boolean[] flagsDead;
    /** Per instruction: reached other than by falling through from the one before it (it has a label). */
    private final boolean[] joins;
    /** The instruction being emitted. */
    private int current;
    /** The instruction being emitted wrote memory: it checks for written code after it. */
    private boolean wrote;
    /** Size in bytes of the generated method's code, after {@link #generate}. */
    int codeSize;

    BlockGenerator(BlockGraph graph) {
        super(graph.insns, graph.offsets);
        this.graph = graph;
        this.flagsDead = deadFlagWrites(graph);
        this.joins = joins(graph);
    }

    private static boolean[] joins(BlockGraph g) {
        int n = g.size();
        boolean[] joins = new boolean[n];
        joins[g.entry] = g.entry != 0;
        for (int i = 0; i < n; i++) {
            if (g.target[i] >= 0) joins[g.target[i]] = true;
            if (g.fall[i] >= 0 && g.fall[i] != i + 1) joins[g.fall[i]] = true;
        }
        return joins;
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
            case FastPath.INC_Z: case FastPath.DEC_Z: case FastPath.INC_E: case FastPath.DEC_E: case FastPath.SHIFT_CL:
                return KEEPS_SOME;
            case FastPath.IMUL2: case FastPath.IMUL3: return WRITES;
            case FastPath.SHIFT_1: return FastPath.isRotate(in.op) ? KEEPS_SOME : WRITES;
            case FastPath.SHIFT_I: return (in.imm & 0x1F) == 0 ? NO_FLAGS : FastPath.isRotate(in.op) ? KEEPS_SOME : WRITES;
            default:
                if (code >= FastPath.ALU_EG && code < FastPath.ALU_AI + 16) {
                    int op = code & 15;
                    return op == FastPath.ADC || op == FastPath.SBB ? READS : WRITES;
                }
                return NO_FLAGS;
        }
    }

    /**
     * Backward liveness of the flags over the block's graph: they are live wherever the block may
     * leave (its exits, a back edge's check, after a write that may hit code) and at every
     * instruction that may fault (the handler sees them); a write is dead when every path from it
     * meets another write before any use.
     */
    private static boolean[] deadFlagWrites(BlockGraph g) {
        int n = g.size();
        boolean[] liveIn = new boolean[n];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                int effect = flagEffect(g.insns[i]);
                boolean before = effect != WRITES && (effect == READS || liveOut(g, liveIn, i)) || mayFault(g.insns[i]);
                if (before && !liveIn[i]) {
                    liveIn[i] = true;
                    changed = true;
                }
            }
        }
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            int effect = flagEffect(g.insns[i]);
            dead[i] = (effect == WRITES || effect == KEEPS_SOME) && !liveOut(g, liveIn, i);
        }
        return dead;
    }

    private static boolean liveOut(BlockGraph g, boolean[] liveIn, int i) {
        if (mayLeaveAfter(g.insns[i]) || g.fall[i] == BlockGraph.NONE && g.target[i] == BlockGraph.NONE) return true;
        for (int s : new int[] {g.fall[i], g.target[i]}) {
            if (s == BlockGraph.EXIT || BlockGraph.isBackEdge(i, s) || s >= 0 && liveIn[s]) return true;
        }
        return false;
    }

    /** May fault, or leave the block before its end (the interpreter, memory writes that may hit code). */
    private static boolean mayFault(Insn in) {
        int code = fastCode(in);
        if (code != 0) return mayFault(in, code);
        int x = extraCode(in);
        return x == X_NONE || in.memory || x == X_DIV || x == X_IDIV;
    }

    /** Writes memory, so the block leaves after it if that hit a page with cached code (or runs the interpreter). */
    private static boolean mayLeaveAfter(Insn in) {
        int code = fastCode(in);
        if (code != 0) return writesMemory(in, code) || code == FastPath.CALL || code == FastPath.CALL_E;
        if (X87Emitter.admits(in)) return X87Emitter.writesMemory(in);
        int x = extraCode(in);
        return x == X_NONE || extraWrites(in, x);
    }

    // ---------------------------------------------------------------- the method

    /** The state at each join for the pass being emitted, and the merge of its predecessors' being gathered. */
    private int[] joinDirty, joinFused, nextDirty, nextFused;
    /** {@link #joinFused} before any predecessor was seen. */
    private static final int UNSEEN = -1;
    /** Per instruction, for the pass being emitted. */
    private Label[] labels;

    /**
     * The class. Which registers may be dirty and what the flag locals hold at each join depends
     * on all its predecessors, some emitted after it when an edge goes back: passes into a visitor
     * that writes nothing gather them until they settle, then the real pass writes the method.
     */
    byte[] generate() {
        int n = insns.length;
        joinDirty = new int[n];
        joinFused = new int[n];
        Arrays.fill(joinFused, UNSEEN);
        while (graph.hasBackEdge) {
            nextDirty = joinDirty.clone();
            nextFused = joinFused.clone();
            method(new MethodVisitor(ASM9) { });
            if (Arrays.equals(nextDirty, joinDirty) && Arrays.equals(nextFused, joinFused)) break;
            joinDirty = nextDirty;
            joinFused = nextFused;
        }
        nextDirty = joinDirty.clone();
        nextFused = joinFused.clone();
        // A Java 5 class file needs no stack map frames: the JVM infers the types itself, which
        // costs less than ASM computing them. The generated code uses nothing newer.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_5, ACC_FINAL | ACC_SUPER, "dev/fixup/cpu/TranslatedBlock", null, BLOCK, null);
        String ctor = "(" + INSN_ARRAY + "[IIZZ)V";
        MethodVisitor init = cw.visitMethod(0, "<init>", ctor, null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitVarInsn(ALOAD, 2);
        init.visitVarInsn(ILOAD, 3);
        init.visitVarInsn(ILOAD, 4);
        init.visitVarInsn(ILOAD, 5);
        init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", ctor, false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        Label end = method(cw.visitMethod(0, "run", "(L" + CPU + ";)I", null, null));
        codeSize = end.getOffset();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** One pass over the method into {@code visitor}; returns the label at the end of its code. */
    private Label method(MethodVisitor visitor) {
        mv = visitor;
        int n = insns.length;
        labels = new Label[n];
        for (int i = 0; i < n; i++) labels[i] = new Label();
        faultHandlers.clear();
        faultIndexes.clear();
        faultDirty.clear();
        faultPending.clear();
        resetExits();
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
        for (int local : new int[] {DONE, T, FD, FS, FR}) { // every path reaches every use assigned
            iconst(0);
            mv.visitVarInsn(ISTORE, local);
        }
        loadRegisters(0xFF);
        memoryLocals();
        dirty = 0;
        fused = Flags.NONE;
        pending = 0;
        boolean flowing = graph.entry == 0;
        if (!flowing) jumpForward(graph.entry);
        for (int i = 0; i < n; i++) {
            if (joins[i]) {
                if (flowing) {
                    flush();
                    merge(i);
                }
                mv.visitLabel(labels[i]);
                pending = 0; // every edge here caught DONE up
                // The last pass's state, with this pass's edges so far (all of them, when none goes back).
                dirty = nextDirty[i];
                fused = nextFused[i] == UNSEEN ? Flags.NONE : nextFused[i];
            }
            flowing = instruction(i);
        }
        faultHandlers();
        exitStubs();
        Label end = new Label();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return end;
    }

    /** Records the state on an edge to join {@code t}. */
    private void merge(int t) {
        nextDirty[t] |= dirty;
        int f = nextFused[t];
        nextFused[t] = f == UNSEEN || f == fused ? fused : Flags.NONE;
    }

    /** A jump to instruction t after this one (DONE caught up). */
    private void jumpForward(int t) {
        flush();
        merge(t);
        mv.visitJumpInsn(GOTO, labels[t]);
    }

    // ---------------------------------------------------------------- edges

    /**
     * Where instruction i goes after its code (counted in {@link #pending}); true when execution
     * falls into the next instruction emitted.
     */
    private boolean transfer(int i) {
        Insn in = insns[i];
        int next = offsets[i] + in.length;
        switch (fastCode(in)) {
            case FastPath.JCC: {
                flush();
                int t = graph.target[i];
                if (t >= 0 && !BlockGraph.isBackEdge(i, t)) {
                    merge(t);
                    condition(in.cond, labels[t]);
                } else {
                    Label notTaken = new Label();
                    condition(in.cond ^ 1, notTaken);
                    if (t >= 0) backEdge(t);
                    else exit(next + in.imm);
                    mv.visitLabel(notTaken);
                }
                return fallOn(i);
            }
            case FastPath.JMP: case FastPath.CALL: {
                int t = graph.target[i];
                if (t == BlockGraph.EXIT) exit(next + in.imm);
                else if (BlockGraph.isBackEdge(i, t)) {
                    flush();
                    backEdge(t);
                } else {
                    jumpForward(t);
                }
                return false;
            }
            case FastPath.RET: case FastPath.JMP_E: case FastPath.CALL_E:
                exitT();
                return false;
            default:
                if (endsThroughInterpreter(in)) { // the interpreter has set EIP
                    mv.visitVarInsn(ALOAD, C);
                    mv.visitFieldInsn(GETFIELD, CPU, "eip", "I");
                    mv.visitVarInsn(ISTORE, T);
                    exitT();
                    return false;
                }
                return fallOn(i);
        }
    }

    /** Instruction i goes on at the next one in memory; true when that is the next one emitted. */
    private boolean fallOn(int i) {
        int f = graph.fall[i];
        if (f == i + 1) return true;
        if (f == BlockGraph.EXIT) exit(offsets[i] + insns[i].length);
        else jumpForward(f);
        return false;
    }

    /**
     * A branch back to instruction t (DONE caught up): goes on there while the CPU allows another
     * run of the block's longest (see {@link Block}), else leaves the block at t's EIP.
     */
    private void backEdge(int t) {
        mv.visitVarInsn(ALOAD, C);
        mv.visitVarInsn(ILOAD, DONE);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "loopAgain", "(I)Z", false);
        merge(t);
        mv.visitJumpInsn(IFNE, labels[t]);
        exit(offsets[t]);
    }

    // ---------------------------------------------------------------- one instruction

    /** Handlers of the instructions that may fault, emitted after the code: label and instruction index. */
    private final List<Label> faultHandlers = new ArrayList<>();
    private final List<Integer> faultIndexes = new ArrayList<>();
    private final List<Integer> faultDirty = new ArrayList<>();
    private final List<Integer> faultPending = new ArrayList<>();

    /**
     * Emits instruction i and where it goes next; true when execution falls into the next
     * instruction emitted. Code that may fault is covered by a JVM exception handler that records
     * where the instruction started and how many were done before it: its own code changes
     * nothing before its last possible fault (ESP included), so nothing needs storing on the way
     * when no fault happens.
     */
    private boolean instruction(int i) {
        Insn in = insns[i];
        current = i;
        wrote = false;
        boolean underHandler = extraCode(in) != X_NONE || fastCode(in) != 0 ? mayFault(in) : X87Emitter.admits(in);
        if (underHandler) guarded(i, () -> emit(i));
        else emit(i);
        pending++;
        if (wrote) {
            // Where execution goes on; when that leaves the block anyway, nothing to check.
            boolean call = fastCode(in) == FastPath.CALL;
            int next = offsets[i] + in.length;
            if ((call ? graph.target[i] : graph.fall[i]) >= 0) checkCodeWritten(call ? next + in.imm : next);
        }
        return transfer(i);
    }

    /**
     * Each handler stores its instruction's EIP and ESP as where the fault model restarts, and
     * the instructions done before it (see {@link Block}), and rethrows.
     */
    private void faultHandlers() {
        if (faultHandlers.isEmpty()) return;
        Label common = new Label();
        for (int k = 0; k < faultHandlers.size(); k++) {
            mv.visitLabel(faultHandlers.get(k));
            storeRegisters(faultDirty.get(k));
            int i = faultIndexes.get(k);
            pending = faultPending.get(k);
            doneBefore(i);
            iconst(offsets[i]);
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

    /** Instruction i's own code (its branch, if any, is {@link #transfer}'s). */
    private void emit(int i) {
        Insn in = insns[i];
        int code = fastCode(in);
        if (code == 0) {
            int extra = extraCode(in);
            if (X87Emitter.admits(in)) x87(i, in);
            else if (extra == X_NONE) {
                if (!doneInline(i, in)) generic(i, in); // an instruction that ends the block too
            } else extra(i, in, extra);
            return;
        }
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
                popFrom(Cpu.ESP);
                setReg(in.reg, () -> mv.visitVarInsn(ILOAD, T));
                break;
            case FastPath.LEAVE:
                popFrom(Cpu.EBP);
                setReg(Cpu.EBP, () -> mv.visitVarInsn(ILOAD, T));
                break;
            case FastPath.INC_Z: case FastPath.DEC_Z:
                setReg(in.reg, () -> incDec(code == FastPath.INC_Z, () -> reg(in.reg)));
                fused = Flags.NONE;
                break;
            case FastPath.INC_E: case FastPath.DEC_E:
                loadRmw32(in);
                mv.visitVarInsn(ISTORE, FD);
                storeE32(in, () -> incDec(code == FastPath.INC_E, () -> mv.visitVarInsn(ILOAD, FD)));
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
            case FastPath.JCC: case FastPath.JMP: break; // all in the edges
            case FastPath.CALL:
                push(() -> eip(next));
                wrote = true;
                break;
            case FastPath.RET:
                popFrom(Cpu.ESP);
                break;
            case FastPath.JMP_E:
                loadE32(in);
                mv.visitVarInsn(ISTORE, T);
                break;
            case FastPath.CALL_E:
                loadE32(in);
                mv.visitVarInsn(ISTORE, T);
                push(() -> eip(next));
                break;
            default:
                alu(in, code);
        }
        if (writesMemory(in, code)) wrote = true;
    }

    /** Reads the dword at SS:[base] into local T, then sets ESP to base + 4: pop and ret (base ESP), leave (base EBP). */
    private void popFrom(int base) {
        stackRead(base);
        mv.visitVarInsn(ISTORE, T);
        setReg(Cpu.ESP, () -> { reg(base); iconst(4); mv.visitInsn(IADD); });
    }

    /** inc or dec of the value {@code operand} pushes; the result is left on the stack. */
    private void incDec(boolean inc, Runnable operand) {
        if (flagsDead[current]) {
            operand.run();
            iconst(1);
            mv.visitInsn(inc ? IADD : ISUB);
            return;
        }
        mv.visitVarInsn(ALOAD, F);
        operand.run();
        mv.visitMethodInsn(INVOKESTATIC, ALU, inc ? "inc" : "dec", "(L" + FLAGS + ";I)I", false);
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
        if (extraWrites(in, x)) wrote = true;
    }

    /** An extra form that writes memory. */
    private static boolean extraWrites(Insn in, int x) {
        return in.memory && (x == X_NEG || x == X_NOT || x == X_SHLD || x == X_SHRD || x == X_STORE_MOFFS
                || (x == X_ALU8_EG || x == X_ALU8_EI) && in.op != Op.CMP && in.op != Op.TEST);
    }

    /** The E operand of a read-modify-write instruction (write access checked first). */
    private void loadRmw32(Insn in) {
        if (in.mod == 3) reg(in.rm);
        else read32(EA, segOf(in), true);
    }

    /** shld/shrd: a zero count changes nothing (a memory operand is still read). */
    private void doubleShift(Insn in, String name) {
        boolean cl = in.form.operands[2].kind == Kind.FIXED;
        maskedCount(in, () -> {
            if (cl) reg(Cpu.ECX);
            else iconst(in.imm);
        }, T, () -> {
            loadRmw32(in);
            mv.visitVarInsn(ISTORE, FD);
            storeE32(in, () -> {
                mv.visitVarInsn(ALOAD, F);
                mv.visitVarInsn(ILOAD, FD);
                reg(in.reg);
                mv.visitVarInsn(ILOAD, T);
                mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(L" + FLAGS + ";III)I", false);
            });
        });
    }

    /**
     * A shift by a count that {@code count} pushes, taken mod 32 into local {@code countLocal}:
     * {@code shift} runs for counts 1..31; a zero count changes nothing, not even the flags, but
     * a memory operand is still read (it may fault).
     */
    private void maskedCount(Insn in, Runnable count, int countLocal, Runnable shift) {
        Label zero = new Label(), done = new Label();
        count.run();
        iconst(0x1F);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, countLocal);
        mv.visitVarInsn(ILOAD, countLocal);
        mv.visitJumpInsn(IFEQ, zero);
        shift.run();
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
        interpreterAndInsn(i);
        mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, "execute", "(Ldev/fixup/x86/Insn;)V", false);
        reload(0xFF);
        fused = Flags.NONE;
        if (loadsSegment(in) >= 0 && flatSegments != null) flatness(); // the block's direct accesses depend on it
        wrote = true;
    }

    /**
     * The segment-register moves and cld/std that the kernel's entry and exit paths are made of,
     * and nop (gcc's padding), done here rather than through the interpreter's general path: a push
     * or mov of a selector, a pop or mov into DS/ES/FS/GS through {@link Cpu#loadSegmentChecked}
     * (all its checks and faults), DF. Other forms (16-bit operand size, memory destinations, SS
     * and CS, a lock prefix) return false and take {@link #generic}. Faults are caught as for the
     * fast forms: a handler records the instruction's EIP and ESP, which change only after the
     * last possible fault.
     */
    private boolean doneInline(int i, Insn in) {
        if (in.lock) return false; // #UD, from the interpreter
        switch (in.op) {
            case NOP:
                return true; // a memory operand is not accessed
            case CLD: case STD:
                mv.visitVarInsn(ALOAD, F);
                mv.visitInsn(DUP);
                mv.visitFieldInsn(GETFIELD, FLAGS, "bits", "I");
                if (in.op == Op.CLD) {
                    iconst(~Flags.DF);
                    mv.visitInsn(IAND);
                } else {
                    iconst(Flags.DF);
                    mv.visitInsn(IOR);
                }
                mv.visitFieldInsn(PUTFIELD, FLAGS, "bits", "I");
                return true;
            case MOV_FROM_SEG: {
                if (in.mod != 3 || in.reg > Cpu.SEG_GS) return false;
                int size = in.form.operands[0].size(in.opsize);
                if (size != 4) return false;
                setReg(in.rm, () -> selector(in.reg));
                return true;
            }
            case PUSH_SEG: {
                if (in.opsize != 4) return false;
                int seg = in.form.operands[0].fixed.num();
                guarded(i, () -> {
                    reg(Cpu.ESP);
                    iconst(4);
                    mv.visitInsn(ISUB);
                    mv.visitVarInsn(ISTORE, ADDR);
                    mv.visitVarInsn(ALOAD, IP);
                    segment(Cpu.SEG_SS);
                    mv.visitVarInsn(ILOAD, ADDR);
                    selector(seg);
                    mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, "write32", "(" + SEGMENT + "II)V", false);
                });
                setReg(Cpu.ESP, () -> mv.visitVarInsn(ILOAD, ADDR));
                wrote = true;
                return true;
            }
            case POP_SEG: case MOV_TO_SEG: {
                int seg = loadsSegment(in);
                boolean pop = in.op == Op.POP_SEG;
                if (seg == Cpu.SEG_SS || seg == Cpu.SEG_CS || seg > Cpu.SEG_GS || (pop && in.opsize != 4)) return false;
                if (!pop && in.memory) effectiveAddress(in);
                guarded(i, () -> {
                    mv.visitVarInsn(ALOAD, C);
                    iconst(seg);
                    if (pop) {
                        mv.visitVarInsn(ALOAD, IP);
                        segment(Cpu.SEG_SS);
                        reg(Cpu.ESP);
                        mv.visitMethodInsn(INVOKEVIRTUAL, INTERP, "read32", "(" + SEGMENT + "I)I", false);
                    } else {
                        loadE16(in);
                    }
                    iconst(0xFFFF);
                    mv.visitInsn(IAND);
                    mv.visitMethodInsn(INVOKEVIRTUAL, CPU, "loadSegmentChecked", "(II)V", false);
                });
                if (pop) setReg(Cpu.ESP, () -> { reg(Cpu.ESP); iconst(4); mv.visitInsn(IADD); });
                if (flatSegments != null) flatness(); // the block's direct accesses depend on it
                wrote = true; // a descriptor's accessed bit may be set in memory
                return true;
            }
            default:
                return false;
        }
    }

    /** Pushes the selector in segment register {@code seg}. */
    private void selector(int seg) {
        segment(seg);
        mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Segment", "selector", "I");
    }

    /**
     * Emits instruction i's {@code body} under a fault handler ({@link #faultHandlers}). The
     * registers dirty now are the ones to write back on a fault: no instruction changes a register
     * before its last possible fault.
     */
    private void guarded(int i, Runnable body) {
        Label start = new Label(), end = new Label(), handler = new Label();
        mv.visitTryCatchBlock(start, end, handler, GUEST_FAULT);
        faultDirty.add(dirty);
        faultPending.add(pending);
        mv.visitLabel(start);
        body.run();
        mv.visitLabel(end);
        faultHandlers.add(handler);
        faultIndexes.add(i);
    }

    /** Sets the CPU's EIP to instruction i's and pushes the interpreter and that decoded instruction. */
    private void interpreterAndInsn(int i) {
        mv.visitVarInsn(ALOAD, C);
        eip(offsets[i]);
        mv.visitFieldInsn(PUTFIELD, CPU, "eip", "I");
        mv.visitVarInsn(ALOAD, IP);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, BLOCK, "insns", INSN_ARRAY);
        iconst(i);
        mv.visitInsn(AALOAD);
    }

    /** An x87 instruction: the unit called directly, the registers staying in their locals (X87Emitter). */
    private void x87(int i, Insn in) {
        boolean ax = X87Emitter.writesAx(in);
        if (ax) spill(1 << Cpu.EAX);
        if (in.memory) effectiveAddress(in);
        interpreterAndInsn(i);
        X87Emitter.emitCall(mv, in, () -> segment(segOf(in)), EA);
        if (ax) reload(1 << Cpu.EAX);
        fused = Flags.NONE;
        if (X87Emitter.writesMemory(in)) wrote = true;
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
            case FastPath.INC_E: case FastPath.DEC_E:
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
            case 2: return "sar";
            case 3: return "rol";
            default: return "ror";
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
        maskedCount(in, () -> reg(Cpu.ECX), FS, () -> shiftBy(in, () -> mv.visitVarInsn(ILOAD, FS)));
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
        if (dead && FastPath.isRotate(in.op)) {
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", in.op == Op.ROL ? "rotateLeft" : "rotateRight", "(II)I", false);
        } else if (dead) mv.visitInsn(in.op == Op.SHL ? ISHL : in.op == Op.SHR ? IUSHR : ISHR);
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
}

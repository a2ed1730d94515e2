package dev.fixup.cpu;

import static org.objectweb.asm.Opcodes.*;

import dev.fixup.x86.Insn;
import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The frame of a generated block method ({@link BlockGenerator}): its local variable slots, the
 * guest registers cached in locals, and how the method records progress and leaves (EIP, the
 * fault model's restart point, instructions done).
 *
 * <p>Instructions done: local DONE counts those before the current straight run of code, and the
 * generator knows statically how many of the run are done ({@link #pending}); DONE catches up
 * ({@link #flush}) on every edge into an instruction that more than one path reaches, so that
 * there the count is exact whichever way execution came.
 */
abstract class BlockFrame {
    static final String CPU = "dev/fixup/cpu/Cpu", FLAGS = "dev/fixup/cpu/Flags",
            INTERP = "dev/fixup/cpu/Interpreter", SEGMENT = "Ldev/fixup/cpu/Segment;", ALU = "dev/fixup/cpu/Alu32",
            BLOCK = "dev/fixup/cpu/Block", INSN_ARRAY = "[Ldev/fixup/x86/Insn;", GUEST_FAULT = "dev/fixup/cpu/GuestFault";
    static final String[] SEG_FIELDS = {"es", "cs", "ss", "ds", "fs", "gs"};

    // Local variable slots of the generated run(Cpu) method.
    static final int THIS = 0, C = 1, REGS = 2, F = 3, IP = 4, E0 = 5, EA = 6, T = 7,
            FD = 8, FS = 9, FR = 10, TAG_READ = 11, TAG_WRITE = 12, FRAMES = 13, CHUNKS = 14, FLAT = 15,
            ADDR = 16, V = 17, FAULT = 18, SLOT = 19, DONE = 20, R0 = 21;

    final Insn[] insns;
    final int[] offsets;
    MethodVisitor mv;

    BlockFrame(Insn[] insns, int[] offsets) {
        this.insns = insns;
        this.offsets = offsets;
    }

    // ---------------------------------------------------------------- registers

    // Guest registers live in locals R0..R0+7 inside the block: loaded at entry, written back
    // to Cpu.regs at every exit, around calls that use the array, and by the fault handlers.
    // The generator tracks which ones the code so far may have changed ("dirty").
    int dirty;

    void reg(int r) {
        mv.visitVarInsn(ILOAD, R0 + r);
    }

    void setReg(int r, Runnable value) {
        value.run();
        mv.visitVarInsn(ISTORE, R0 + r);
        dirty |= 1 << r;
    }

    void loadRegisters(int mask) {
        for (int r = 0; r < 8; r++) {
            if ((mask & 1 << r) == 0) continue;
            mv.visitVarInsn(ALOAD, REGS);
            iconst(r);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, R0 + r);
        }
    }

    /** Writes the registers in {@code mask} back to Cpu.regs (the generator's dirty set is the caller's business). */
    void storeRegisters(int mask) {
        for (int r = 0; r < 8; r++) {
            if ((mask & 1 << r) == 0) continue;
            mv.visitVarInsn(ALOAD, REGS);
            iconst(r);
            mv.visitVarInsn(ILOAD, R0 + r);
            mv.visitInsn(IASTORE);
        }
    }

    /** Before code that reads or writes Cpu.regs itself: the array is made current; afterwards {@link #reload}. */
    void spill(int mask) {
        storeRegisters(dirty & mask);
        dirty &= ~mask;
    }

    void reload(int mask) {
        loadRegisters(mask);
    }

    /** AL..BL are the low bytes of EAX..EBX; AH..BH (4..7) bits 8-15 of EAX..EBX. */
    void byteReg(int r) {
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

    void setByteReg(int r, Runnable value) {
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

    // ---------------------------------------------------------------- block bookkeeping

    /** The EIP of block offset {@code offset}: blocks are per physical page, so EIPs are relative. */
    void eip(int offset) {
        mv.visitVarInsn(ILOAD, E0);
        if (offset != 0) {
            iconst(offset);
            mv.visitInsn(IADD);
        }
    }

    /** Instructions of the current straight run done beyond those counted in local DONE. */
    int pending;

    /** DONE catches up with {@link #pending}. */
    void flush() {
        if (pending != 0) mv.visitIincInsn(DONE, pending);
        pending = 0;
    }

    /** Leaves the block at block offset {@code offset}, the instructions done being DONE + pending. */
    void exit(int offset) {
        eip(offset);
        mv.visitVarInsn(ISTORE, T);
        exitT();
    }

    /** Leaves the block at the EIP held in local T, the instructions done being DONE + pending. */
    void exitT() {
        if (pending != 0) mv.visitIincInsn(DONE, pending); // this path ends here: pending stays for the others
        mv.visitJumpInsn(GOTO, exitStub(dirty));
    }

    /** Per set of registers to write back: the shared code that leaves the block. */
    private final Map<Integer, Label> exitStubs = new TreeMap<>();

    /** Before a pass over the method: no exits yet, nothing dirty, nothing pending. */
    void resetExits() {
        exitStubs.clear();
        dirty = 0;
        pending = 0;
    }

    private Label exitStub(int mask) {
        return exitStubs.computeIfAbsent(mask, m -> new Label());
    }

    /** The exits' shared code, after the method's: registers back, instructions done, return T. */
    void exitStubs() {
        for (Map.Entry<Integer, Label> e : exitStubs.entrySet()) {
            mv.visitLabel(e.getValue());
            storeRegisters(e.getKey());
            mv.visitVarInsn(ALOAD, C);
            mv.visitVarInsn(ILOAD, DONE);
            mv.visitFieldInsn(PUTFIELD, CPU, "blockIterated", "I");
            mv.visitVarInsn(ALOAD, C);
            iconst(0);
            mv.visitFieldInsn(PUTFIELD, CPU, "blockDone", "I");
            mv.visitVarInsn(ILOAD, T);
            mv.visitInsn(IRETURN);
        }
    }

    /**
     * Instruction i may fault inside the interpreter, which does not return here: the restart
     * point and the instructions done before it, as {@link Block#run} tells the CPU.
     */
    void markStart(int i) {
        mv.visitVarInsn(ALOAD, C);
        eip(offsets[i]);
        mv.visitFieldInsn(PUTFIELD, CPU, "startEip", "I");
        mv.visitVarInsn(ALOAD, C);
        reg(Cpu.ESP);
        mv.visitFieldInsn(PUTFIELD, CPU, "startEsp", "I");
        doneBefore(i);
    }

    /** Stores in c.blockIterated the instructions done before instruction i less its index (see {@link Block}). */
    void doneBefore(int i) {
        mv.visitVarInsn(ALOAD, C);
        mv.visitVarInsn(ILOAD, DONE);
        iconst(pending - i);
        mv.visitInsn(IADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "blockIterated", "I");
    }

    /**
     * After a memory write by instruction i (counted in {@link #pending}): if it hit a page with
     * cached code, leave at {@code offset}, where execution goes on, so the CPU decodes afresh.
     */
    void checkCodeWritten(int offset) {
        Label same = new Label();
        mv.visitVarInsn(ALOAD, C);
        mv.visitFieldInsn(GETFIELD, CPU, "codeWritten", "Z");
        mv.visitJumpInsn(IFEQ, same);
        exit(offset);
        mv.visitLabel(same);
    }

    void iconst(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }
}

package dev.fixup.cpu;

import static org.objectweb.asm.Opcodes.*;

import dev.fixup.x86.Insn;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The frame of a generated block method ({@link BlockGenerator}): its local variable slots, the
 * guest registers cached in locals, and how the method records progress and leaves (EIP, the
 * fault model's restart point, instructions done).
 */
abstract class BlockFrame {
    static final String CPU = "dev/fixup/cpu/Cpu", FLAGS = "dev/fixup/cpu/Flags",
            INTERP = "dev/fixup/cpu/Interpreter", SEGMENT = "Ldev/fixup/cpu/Segment;", ALU = "dev/fixup/cpu/Alu32",
            BLOCK = "dev/fixup/cpu/Block", INSN_ARRAY = "[Ldev/fixup/x86/Insn;", GUEST_FAULT = "dev/fixup/cpu/GuestFault";
    static final String[] SEG_FIELDS = {"es", "cs", "ss", "ds", "fs", "gs"};

    // Local variable slots of the generated run(Cpu) method.
    static final int THIS = 0, C = 1, REGS = 2, F = 3, IP = 4, E0 = 5, EA = 6, T = 7,
            FD = 8, FS = 9, FR = 10, TAG_READ = 11, TAG_WRITE = 12, FRAMES = 13, CHUNKS = 14, FLAT = 15,
            ADDR = 16, V = 17, FAULT = 18, SLOT = 19, ITER = 20, R0 = 21;

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

    void returnEip(int offset) {
        storeRegisters(dirty);
        eip(offset);
        mv.visitInsn(IRETURN);
    }

    /** Leaves the block at the EIP held in local T. */
    void returnT() {
        storeRegisters(dirty);
        mv.visitVarInsn(ILOAD, T);
        mv.visitInsn(IRETURN);
    }

    /** Before an instruction the interpreter executes (it may move ESP before it faults): where the fault model restarts it. */
    void markStart(int i) {
        mv.visitVarInsn(ALOAD, C);
        eip(offsets[i]);
        mv.visitFieldInsn(PUTFIELD, CPU, "startEip", "I");
        mv.visitVarInsn(ALOAD, C);
        reg(Cpu.ESP);
        mv.visitFieldInsn(PUTFIELD, CPU, "startEsp", "I");
    }

    /** After a memory write: if it hit a page with cached code, stop so the CPU decodes afresh. */
    void checkCodeWritten(int i) {
        if (i == insns.length - 1) return; // the block ends here anyway
        Label same = new Label();
        mv.visitVarInsn(ALOAD, C);
        mv.visitFieldInsn(GETFIELD, CPU, "codeWritten", "Z");
        mv.visitJumpInsn(IFEQ, same);
        setBlockDone(i + 1);
        returnEip(offsets[i + 1]);
        mv.visitLabel(same);
    }

    void setBlockDone(int n) {
        mv.visitVarInsn(ALOAD, C);
        iconst(n);
        mv.visitFieldInsn(PUTFIELD, CPU, "blockDone", "I");
    }

    void iconst(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }
}

package dev.fixup.cpu;

import static dev.fixup.cpu.BlockTranslator.*;
import static org.objectweb.asm.Opcodes.*;

import dev.fixup.x86.Insn;
import org.objectweb.asm.Label;

/**
 * Memory access in generated block code: effective addresses, and loads and stores that test
 * the TLB inline and touch the entry's RAM chunk directly on a hit (see {@link Tlb} for why no
 * other check is needed), falling back to the interpreter's accessors otherwise.
 */
abstract class InlineTlb extends BlockFrame {
    InlineTlb(Insn[] insns, int[] offsets) {
        super(insns, offsets);
    }

    // ---------------------------------------------------------------- memory operands

    void effectiveAddress(Insn in) {
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

    static int segOf(Insn in) {
        return in.seg >= 0 ? in.seg : in.defaultSeg();
    }

    void segment(int seg) {
        mv.visitVarInsn(ALOAD, C);
        mv.visitFieldInsn(GETFIELD, CPU, SEG_FIELDS[seg], SEGMENT);
    }

    /**
     * Jumps to {@code slow} unless the access of {@code size} bytes at the address in local
     * {@code addr} hits the TLB through tag array {@code tags} on a flat segment and stays in
     * its page; otherwise leaves its offset in its RAM chunk on the stack and the chunk below it.
     */
    void tlbHit(int addr, int size, int tags, Label slow) {
        mv.visitVarInsn(ILOAD, FLAT);
        mv.visitJumpInsn(IFEQ, slow);
        if (size > 1) {
            pageOffset(addr);
            iconst(0x1000 - size);
            mv.visitJumpInsn(IF_ICMPGT, slow);
        }
        mv.visitVarInsn(ILOAD, addr);
        iconst(12);
        mv.visitInsn(IUSHR);
        iconst(Tlb.MASK);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, SLOT);
        tlbEntry(tags, IALOAD);
        mv.visitVarInsn(ILOAD, addr);
        iconst(0xFFFFF000);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IF_ICMPNE, slow);
        tlbEntry(CHUNKS, AALOAD);
        tlbEntry(FRAMES, IALOAD);
        pageOffset(addr);
        mv.visitInsn(IOR);
        iconst(PhysicalMemory.CHUNK_MASK);
        mv.visitInsn(IAND);
    }

    /** Pushes element SLOT of the TLB array in local {@code array}, loaded with {@code opcode}. */
    private void tlbEntry(int array, int opcode) {
        mv.visitVarInsn(ALOAD, array);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitInsn(opcode);
    }

    /** Pushes the offset in its page of the address in local {@code addr}. */
    private void pageOffset(int addr) {
        mv.visitVarInsn(ILOAD, addr);
        iconst(0xFFF);
        mv.visitInsn(IAND);
    }

    /** Pushes the dword at seg:[addr]; {@code forWrite}: the page must be writable too (read-modify-write). */
    void read32(int addr, int seg, boolean forWrite) {
        read(addr, seg, 4, forWrite);
    }

    /** Pushes the byte at seg:[addr], zero-extended; {@code forWrite} as in {@link #read32}. */
    void read8(int addr, int seg, boolean forWrite) {
        read(addr, seg, 1, forWrite);
    }

    void read(int addr, int seg, int size, boolean forWrite) {
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
    void write(int addr, int seg, int size, Runnable value) {
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

    void write32(int addr, int seg, Runnable value) {
        write(addr, seg, 4, value);
    }

    void loadE32(Insn in) {
        if (in.mod == 3) reg(in.rm);
        else read32(EA, segOf(in), false);
    }

    void loadE16(Insn in) {
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

    void loadE8(Insn in) {
        if (in.mod == 3) byteReg(in.rm);
        else read8(EA, segOf(in), false);
    }

    void storeE32(Insn in, Runnable value) {
        if (in.mod == 3) setReg(in.rm, value);
        else write32(EA, segOf(in), value);
    }

    void storeE8(Insn in, Runnable value) {
        if (in.mod == 3) setByteReg(in.rm, value);
        else write(EA, segOf(in), 1, value);
    }

    /** Pushes a dword on the guest stack: the write comes first, so a fault leaves ESP alone. */
    void push(Runnable value) {
        reg(Cpu.ESP);
        iconst(4);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, ADDR);
        write32(ADDR, Cpu.SEG_SS, value);
        setReg(Cpu.ESP, () -> mv.visitVarInsn(ILOAD, ADDR));
    }

    /** Reads the dword at SS:[register]. */
    void stackRead(int register) {
        reg(register);
        mv.visitVarInsn(ISTORE, ADDR);
        read32(ADDR, Cpu.SEG_SS, false);
    }

    /**
     * Block entry: the TLB arrays for the current privilege, the TLB's chunk array and whether every
     * segment the block addresses is flat (else all its accesses take the interpreter's path).
     */
    void memoryLocals() {
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
        mv.visitFieldInsn(GETFIELD, CPU, "mmu", "Ldev/fixup/cpu/Mmu;");
        mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Mmu", "tlb", "Ldev/fixup/cpu/Tlb;");
        mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Tlb", "chunk", "[[B");
        mv.visitVarInsn(ASTORE, CHUNKS);
        flatSegments = used;
        flatness();
    }

    /** The segments the block's direct accesses use; null when it makes none. */
    boolean[] flatSegments;

    /** Sets local FLAT: every segment in {@link #flatSegments} is flat. */
    void flatness() {
        iconst(1);
        for (int seg = 0; seg < flatSegments.length; seg++) {
            if (!flatSegments[seg]) continue;
            segment(seg);
            mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Segment", "flat", "Z");
            mv.visitInsn(IAND);
        }
        mv.visitVarInsn(ISTORE, FLAT);
    }

    void tlbArray(String field, int local) {
        mv.visitVarInsn(ALOAD, C);
        mv.visitFieldInsn(GETFIELD, CPU, "mmu", "Ldev/fixup/cpu/Mmu;");
        mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Mmu", "tlb", "Ldev/fixup/cpu/Tlb;");
        mv.visitFieldInsn(GETFIELD, "dev/fixup/cpu/Tlb", field, "[I");
        mv.visitVarInsn(ASTORE, local);
    }

    static boolean usesStack(int code) {
        switch (code) {
            case FastPath.PUSH_Z: case FastPath.PUSH_I: case FastPath.PUSH_E: case FastPath.POP_Z:
            case FastPath.LEAVE: case FastPath.CALL: case FastPath.RET: case FastPath.CALL_E:
                return true;
            default:
                return false;
        }
    }
}

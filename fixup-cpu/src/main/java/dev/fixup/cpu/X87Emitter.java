package dev.fixup.cpu;

import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import org.objectweb.asm.MethodVisitor;

/**
 * The x87 inside translated blocks. An x87 instruction does not end a block: the generated code
 * computes its memory operand's address from the register locals and calls the unit
 * ({@link #execute}) directly. The guest registers stay in their locals (the unit reads and writes
 * none but AX of fnstsw), so the costs of the interpreter's path, spilling and reloading all eight
 * registers and dispatching on the form, go; a fault (page fault, #MF, #NM) reaches the block's
 * handler for the instruction like any other faulting instruction's.
 */
final class X87Emitter {
    private X87Emitter() { }

    private static final String SELF = "dev/fixup/cpu/X87Emitter";

    /** True for the instructions a block keeps: every x87 form and fwait; a lock prefix is #UD (the interpreter's). */
    static boolean admits(Insn in) {
        return !in.lock && (in.form.isX87() || in.op == Op.WAIT);
    }

    /** fnstsw %ax: the one x87 form that writes a general register. */
    static boolean writesAx(Insn in) {
        return in.op == Op.FNSTSW && !in.memory;
    }

    /** Whether the instruction stores to memory (the block then checks for written code). */
    static boolean writesMemory(Insn in) {
        if (!in.memory) return false;
        switch (in.op) {
            case FST: case FSTP: case FIST: case FISTP: case FBSTP: case FNSTCW: case FNSTSW: case FNSTENV: case FNSAVE:
                return true;
            default:
                return false;
        }
    }

    /**
     * Emits the call for {@code in}, with the Interpreter and this instruction's Insn already on
     * the operand stack; {@code segment} pushes the memory operand's segment and local
     * {@code eaLocal} holds its offset (for a memory form).
     */
    static void emitCall(MethodVisitor mv, Insn in, Runnable segment, int eaLocal) {
        if (in.op == Op.WAIT) {
            mv.visitMethodInsn(INVOKESTATIC, SELF, "fwait", "(Ldev/fixup/cpu/Interpreter;Ldev/fixup/x86/Insn;)V", false);
            return;
        }
        if (in.memory) {
            segment.run();
            mv.visitVarInsn(ILOAD, eaLocal);
        } else {
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ICONST_0);
        }
        mv.visitMethodInsn(INVOKESTATIC, SELF, "execute",
                "(Ldev/fixup/cpu/Interpreter;Ldev/fixup/x86/Insn;Ldev/fixup/cpu/Segment;I)V", false);
    }

    /** Called by generated code: Cpu.eip is the instruction's (the unit records it as the last instruction). */
    static void execute(Interpreter ip, Insn in, Segment s, int ea) {
        ip.x87.execute(in, s, ea);
    }

    static void fwait(Interpreter ip, Insn in) {
        ip.x87.fwait();
    }
}

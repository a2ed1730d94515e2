package dev.fixup.cpu;

import dev.fixup.x86.Insn;
import java.util.Arrays;

/**
 * A region of guest code on one physical page, translated into a JVM method by
 * {@link BlockTranslator}: the instructions reachable from its entry by direct branches within
 * the page (both sides of each conditional jump, jumps and calls forward and back), up to a
 * bounded size ({@link BlockGraph}). Each instruction is emitted once; a branch to one of them is
 * a jump inside the method, which keeps the guest registers in its locals; a branch anywhere else
 * leaves the block. A branch back (to an instruction at or before it in address order) goes on
 * only while {@link Cpu#loopAgain} allows another run of up to {@link #count} instructions (budget,
 * timer, interrupts, a stop request). The CPU runs a block in one call and HotSpot compiles the
 * hot ones like any other method.
 *
 * <p>Contract of {@link #run}: it starts with {@code c.eip} at the entry and returns the EIP it
 * leaves at. It keeps the fault model: before each instruction that may fault it stores that
 * instruction's EIP and ESP in {@code c.startEip}/{@code c.startEsp}, and the instruction changes
 * nothing before its last possible fault. When a write lands on a page with cached code
 * ({@code c.codeWritten}) it stops after that instruction. Instructions done: a block leaves with
 * their number in {@code c.blockIterated} and 0 in {@code c.blockDone}; a fault leaves
 * {@code c.blockIterated} such that adding the faulting instruction's {@link #indexOf index} gives
 * the number done before it (so {@code blockIterated + blockDone}, or on a fault
 * {@code blockIterated + indexOf(startEip - entry)}, counts instructions exactly).
 */
abstract class Block {
    /** The decoded instructions in address order, for those the generated code hands to the interpreter. */
    final Insn[] insns;
    /** Byte offset of each instruction from the entry, ascending. */
    final int[] offsets;
    /**
     * The most instructions a call runs before it leaves or asks {@link Cpu#loopAgain}: the CPU
     * runs a block only when no instruction-level event falls within that many.
     */
    final int count;
    /** Some branch in the block comes back to its entry. */
    private final boolean entryReached;
    /** Some branch goes back: the block asks {@link Cpu#loopAgain}. */
    final boolean loops;

    protected Block(Insn[] insns, int[] offsets, int count, boolean entryReached, boolean loops) {
        this.insns = insns;
        this.offsets = offsets;
        this.count = count;
        this.entryReached = entryReached;
        this.loops = loops;
    }

    /** True when a run may reach an instruction at byte offset {@code offset} after its entry. */
    final boolean covers(int offset) {
        if (offset < offsets[0] || offset > offsets[offsets.length - 1]) return false;
        return (offset != 0 || entryReached) && Arrays.binarySearch(offsets, offset) >= 0;
    }

    /** Executes the block (see the class comment) and returns the next EIP. */
    abstract int run(Cpu c);

    /** Index of the instruction at byte offset {@code offset}. */
    final int indexOf(int offset) {
        int i = Arrays.binarySearch(offsets, offset);
        if (i < 0) throw new IllegalStateException("no instruction at block offset " + offset);
        return i;
    }
}

package dev.fixup.cpu;

import dev.fixup.x86.Insn;

/**
 * A run of guest instructions on one physical page in execution order, translated into a JVM
 * method by {@link BlockTranslator}: code that follows direct jumps and calls and leaves at the
 * first taken conditional jump (a side exit) or its final branch. A jump back to one of its own
 * instructions (a loop on the page) is chained: the method jumps there directly, keeping the
 * registers in its locals, for as long as {@link Cpu#loopAgain} allows (budget, timer, interrupts,
 * a stop request). The CPU runs a block in one call and HotSpot compiles the hot ones like any
 * other method.
 *
 * <p>Contract of {@link #run}: it starts with {@code c.eip} at the block's first instruction and
 * {@code c.blockIterated} at 0, and returns the EIP after its last one. It keeps the fault model:
 * before each instruction that may fault it stores that instruction's EIP and ESP in
 * {@code c.startEip}/{@code c.startEsp}, and the instruction changes nothing before its last
 * possible fault. When a write lands on a page with cached code ({@code c.codeWritten}) it stops
 * after that instruction, and a taken side exit stops after the jump; both store the index of the
 * instruction it stops before in {@code c.blockDone}; otherwise the caller's preset value (all)
 * stands. Each jump back adds the instructions of the pass to {@code c.blockIterated}, less the
 * index it goes back to, so that {@code blockIterated + blockDone} (or, on a fault, plus the
 * faulting instruction's index) is the number of instructions done.
 */
abstract class Block {
    /** The decoded instructions, for those the generated code hands to the interpreter. */
    final Insn[] insns;
    /** Byte offset of each instruction from the first one. */
    final int[] offsets;
    /** Number of instructions. */
    final int count;
    /** The bytes the instructions occupy lie within offsets [low, high) of the first one. */
    final int low, high;
    /** Some jump goes back to an instruction of the block: it may pass its first one again. */
    final boolean loops;

    protected Block(Insn[] insns, int[] offsets) {
        this.insns = insns;
        this.offsets = offsets;
        this.count = insns.length;
        int lo = 0, hi = 0;
        for (int i = 0; i < count; i++) {
            lo = Math.min(lo, offsets[i]);
            hi = Math.max(hi, offsets[i] + insns[i].length);
        }
        this.low = lo;
        this.high = hi;
        boolean back = false;
        for (int i = 0; i < count; i++) back |= BlockTranslator.loopTarget(insns, offsets, i) >= 0;
        this.loops = back;
    }

    /** True when some instruction after the first (or the first again, in a loop) may start at byte offset {@code offset}. */
    final boolean covers(int offset) {
        return (offset != 0 || loops) && offset >= low && offset < high;
    }

    /** Executes the block (see the class comment) and returns the next EIP. */
    abstract int run(Cpu c);

    /** Index of the instruction at byte offset {@code offset}. */
    final int indexOf(int offset) {
        for (int i = 0; i < count; i++) {
            if (offsets[i] == offset) return i;
        }
        throw new IllegalStateException("no instruction at block offset " + offset);
    }
}

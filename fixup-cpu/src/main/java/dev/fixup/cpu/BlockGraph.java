package dev.fixup.cpu;

import dev.fixup.x86.Insn;
import java.util.Arrays;

/**
 * The control flow of a block: the instructions of one page reachable from its entry by direct
 * branches, each with where it goes next. They are kept in address order, the order the generator
 * emits them in: a branch to an instruction at or before its own position is a back edge, where
 * the generated code asks {@link Cpu#loopAgain} before going on; every other edge goes to a later
 * position, so the other edges form an acyclic graph and every cycle passes a check.
 */
final class BlockGraph {
    /** A successor outside the block: the generated code leaves there. */
    static final int EXIT = -1;
    /** No such successor: the instruction never falls through, or has no direct branch. */
    static final int NONE = -2;

    /** The instructions in address order, and each one's byte offset from the entry. */
    final Insn[] insns;
    final int[] offsets;
    /** Index of the entry (offset 0). */
    final int entry;
    /** Per instruction: the instruction it falls through to (an index), {@link #EXIT} or {@link #NONE}. */
    final int[] fall;
    /** Per instruction: the target of its direct jump, jcc or call (an index), {@link #EXIT} or {@link #NONE}. */
    final int[] target;
    /**
     * The most instructions a run executes from its entry or a back edge's target to the next back
     * edge or exit: the longest path over the forward edges.
     */
    final int longestRun;
    /** Some edge leads back to the entry. */
    final boolean entryReached;
    /** Some edge goes back (see {@link #isBackEdge}). */
    final boolean hasBackEdge;

    /** The graph of the first {@code n} of {@code gathered} at {@code gatheredOffsets} (any order; one has offset 0). */
    BlockGraph(Insn[] gathered, int[] gatheredOffsets, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(gatheredOffsets[a], gatheredOffsets[b]));
        insns = new Insn[n];
        offsets = new int[n];
        for (int i = 0; i < n; i++) {
            insns[i] = gathered[order[i]];
            offsets[i] = gatheredOffsets[order[i]];
        }
        entry = Arrays.binarySearch(offsets, 0);
        if (entry < 0) throw new IllegalArgumentException("no instruction at the entry");
        fall = new int[n];
        target = new int[n];
        boolean reached = false, back = false;
        for (int i = 0; i < n; i++) {
            Insn in = insns[i];
            int next = offsets[i] + in.length;
            fall[i] = !BlockTranslator.fallsThrough(in) ? NONE : BlockTranslator.endsBlock(in) ? EXIT : indexOf(next);
            int branch = BlockTranslator.branchTarget(in, next);
            target[i] = branch == BlockTranslator.NO_BRANCH ? NONE : indexOf(branch);
            reached |= fall[i] == entry || target[i] == entry;
            back |= isBackEdge(i, target[i]); // a fall-through never goes back
        }
        entryReached = reached;
        hasBackEdge = back;
        int[] run = new int[n];
        int longest = 0;
        for (int i = n - 1; i >= 0; i--) {
            int after = 0;
            if (fall[i] > i) after = run[fall[i]];
            if (target[i] > i) after = Math.max(after, run[target[i]]);
            run[i] = 1 + after;
            longest = Math.max(longest, run[i]);
        }
        longestRun = longest;
    }

    int size() {
        return insns.length;
    }

    /** The index of the instruction at {@code offset}, or {@link #EXIT}. */
    int indexOf(int offset) {
        int k = Arrays.binarySearch(offsets, offset);
        return k >= 0 ? k : EXIT;
    }

    /** Edge from {@code from} to instruction {@code to} goes back: the generated code checks there. */
    static boolean isBackEdge(int from, int to) {
        return to >= 0 && to <= from;
    }
}

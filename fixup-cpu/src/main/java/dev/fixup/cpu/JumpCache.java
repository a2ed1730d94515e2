package dev.fixup.cpu;

import java.util.Arrays;

/**
 * The translated blocks this CPU found lately, by the linear address of their first instruction
 * (two-way set associative), so that going from one block to the next (a return, a call to
 * another page) takes a few loads instead of the fetch-page switch of {@link Interpreter#block}.
 *
 * <p>An entry is valid while three things hold, and a lookup checks them all: the privilege
 * (user or not) and the cache's epoch are those it was made under (the key); the TLB still maps
 * its page for fetching at that privilege, to the frame the entry names (so a flush, an invlpg, a
 * CR3 switch or an evicted slot each send the next lookup down the full path, and a page mapped
 * to another frame never runs the old frame's block); and no cached code was dropped since: the
 * interpreter bumps the epoch whenever a page's decodings go (a write to code, a change of code
 * size) or a host-call page appears. The table is per CPU: blocks themselves are shared by all
 * machines in the JVM, what runs where is not.
 */
final class JumpCache {
    static final int BITS = 13, SIZE = 1 << BITS;
    /** The epoch wraps here, clearing the table, so that an old key can never match again. */
    private static final int EPOCH_LIMIT = 1 << 30;

    /** Per entry: epoch (bits 33-62), user (bit 32) and linear address; -1 (bit 63) is empty. */
    final long[] keys = new long[SIZE];
    /** Per entry: the frame (physical page address) the TLB mapped the address to. */
    final int[] frames = new int[SIZE];
    final Block[] blocks = new Block[SIZE];
    private int epoch;

    JumpCache() {
        Arrays.fill(keys, -1L);
    }

    /**
     * The first slot of the address's set of two ({@code index ^ 1} is the other): Fibonacci
     * hashing, so that code at one page offset on nearby pages (a caller and its callee) falls apart.
     */
    static int index(int lin) {
        return (lin * 0x9E3779B1) >>> (32 - BITS) & ~1;
    }

    long key(int lin, boolean user) {
        return (long) epoch << 33 | (user ? 1L << 32 : 0) | (lin & 0xFFFFFFFFL);
    }

    /**
     * Puts the block in its set's first slot; what was there moves to the second, so that two hot
     * blocks whose addresses hash alike both stay.
     */
    void put(int lin, boolean user, int frame, Block b) {
        int i = index(lin);
        long key = key(lin, user);
        if (keys[i] != key) {
            keys[i ^ 1] = keys[i];
            frames[i ^ 1] = frames[i];
            blocks[i ^ 1] = blocks[i];
        }
        keys[i] = key;
        frames[i] = frame;
        blocks[i] = b;
    }

    /** Forgets every entry: some cached code went away. */
    void clear() {
        if (++epoch < EPOCH_LIMIT) return;
        epoch = 0;
        Arrays.fill(keys, -1L);
        Arrays.fill(blocks, null);
    }
}

package dev.fixup.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run of bytes whose size is fixed once written, optionally followed by a variable tail (an alignment
 * pad, a relaxable jump or an .org gap) whose size only the layout decides. Two labels in the same frag
 * have a difference known while parsing, which is what GNU as resolves early too.
 */
final class Frag {
    enum Tail { NONE, ALIGN, JUMP, ORG, LEB }

    final SectionBuffer section;
    /** Position in the section's frag list during relaxation. */
    int index;
    byte[] data = new byte[32];
    int size;
    final List<PendingField> pendingFields = new ArrayList<>();

    Tail tail = Tail.NONE;
    // ALIGN: pad to a multiple of alignBytes unless that needs more than alignMax bytes (0 = no limit)
    int alignBytes, alignMax;
    /** Fill pattern for the pad; null = NOPs in code sections, zeros elsewhere. */
    byte[] alignFill;
    // JUMP: both encodings of a jmp/jcc; relaxation starts short and only ever grows
    byte[] shortForm, longForm;
    int shortField, longField;
    Expr target;
    boolean isLong;
    int line;
    // ORG
    Expr orgTarget;
    byte orgFill;
    // LEB: a .uleb128/.sleb128 whose value (and so size) only the layout decides
    Expr lebValue;
    boolean lebSigned;

    /** The fixed part's size once the tail has become bytes (GNU as's fr_fix). */
    int fix;
    /** Offset of the frag in its section, and the size of its tail, from the latest layout pass. */
    int address, tailSize;
    /** A relaxable jump's target, resolved once before relaxation (labels never move between frags). */
    Frag targetFrag;
    long targetOffset;

    Frag(SectionBuffer section, int index) {
        this.section = section;
        this.index = index;
    }

    void put(byte b) {
        // a NOBITS section (.bss) has a size but no contents: nothing to keep
        if (section.isNobits()) {
            size++;
            return;
        }
        if (size == data.length) data = Arrays.copyOf(data, data.length * 2);
        data[size++] = b;
    }

    /** Appends n copies of a pattern (.space, .fill, .lcomm); {@link Assembly#checkGrowth} has allowed the size. */
    void putRepeated(byte[] pattern, long n) {
        long bytes = n * pattern.length;
        if (section.isNobits()) {
            size += (int) bytes;
            return;
        }
        if (bytes == 0) return;
        if (size + bytes > data.length) data = Arrays.copyOf(data, (int) Math.min(SectionBuffer.MAX_SIZE, Math.max(size + bytes, 2L * data.length)));
        if (pattern.length == 1) {
            Arrays.fill(data, size, size + (int) bytes, pattern[0]);
            size += (int) bytes;
            return;
        }
        for (long i = 0; i < n; i++) for (byte b : pattern) data[size++] = b;
    }

    void put(byte[] bytes) { for (byte b : bytes) put(b); }

    void putLE(long value, int n) {
        for (int i = 0; i < n; i++) put((byte) (value >>> (8 * i)));
    }

    int end() { return address + size + tailSize; }
}

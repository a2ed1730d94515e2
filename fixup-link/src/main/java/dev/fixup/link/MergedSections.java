package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Section;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SHF_MERGE sections, merged as GNU ld 2.40 merges them (each rule below was checked against it
 * with hand-written inputs).
 * <ul>
 * <li>A group is every mergeable input section with the same output section, SHF_STRINGS flag,
 *     entry size and alignment, whatever its name. A section is left alone when it has relocations,
 *     is empty, is not a whole number of entries, or its alignment is below a non-power-of-two
 *     string character size or below a constant's size, or does not divide an entry size above it.</li>
 * <li>Sections are read in input order (file by file, section by section). A section's strings
 *     are its NUL-terminated runs; the zeros after a string are padding, except that the first
 *     zero at an aligned offset stands for the empty string. A string is as aligned as its offset
 *     (its lowest set bit, at most the section's alignment); constants need no alignment of their
 *     own. A piece seen before is not stored again, unless it now needs more alignment: then the
 *     earlier copy is dropped and the new one kept where it now appears.</li>
 * <li>A string that ends another kept one, at an offset its alignment allows and with no more
 *     alignment than it, is not stored: the candidates are compared in the order of their
 *     reversed bytes, each against the nearest longer one after it.</li>
 * <li>Each section keeps its pieces in the order they were first read, each at its alignment; a
 *     section that keeps nothing is dropped from the layout (no space, no alignment padding). When
 *     every section of the group was a multiple of its alignment, the section of the last piece
 *     read is padded to that alignment.</li>
 * <li>An address into an old section is found by content: the string (or constant) around the
 *     offset is looked up and the offset keeps its distance from that piece's start.</li>
 * </ul>
 */
final class MergedSections {
    /** A distinct string (with its terminator) or constant of one group, and where it is kept. */
    private static final class Piece {
        final byte[] bytes;
        /** Alignment it needs; 0 once dropped (a tail of another piece, or replaced by a better-aligned copy). */
        int align;
        final Member recordedIn;
        /** Where it finally is: the member that stores it (or its longer string) and the offset there. */
        Member home;
        long index;
        Piece tailOf;

        Piece(byte[] bytes, int align, Member recordedIn) {
            this.bytes = bytes;
            this.align = align;
            this.recordedIn = recordedIn;
        }

        int len() { return bytes.length; }
    }

    /** An input section of a group: its original bytes and what it keeps. */
    private static final class Member {
        final InputSection in;
        final byte[] original;
        Piece first;
        long size;

        Member(InputSection in, byte[] original) {
            this.in = in;
            this.original = original;
        }
    }

    /** Byte-array content as a hash key. */
    private record Key(byte[] b) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(b, k.b); }
        @Override public int hashCode() { return Arrays.hashCode(b); }
    }

    /** Sections merged together, with the table of their pieces. */
    private static final class Group {
        final boolean strings;
        final int entsize;
        final int align;
        final Map<Key, Piece> table = new HashMap<>();
        /** Every piece in the order it was recorded (dropped ones included). */
        final List<Piece> order = new ArrayList<>();
        final List<Member> members = new ArrayList<>();

        Group(boolean strings, int entsize, int align) {
            this.strings = strings;
            this.entsize = entsize;
            this.align = align;
        }
    }

    private final Map<InputObject, Map<Integer, Member>> members = new IdentityHashMap<>();
    private final Map<Member, Group> groupOf = new IdentityHashMap<>();

    /** Merges the mergeable sections among these (taken in input order) and shrinks them in place. */
    static MergedSections merge(List<InputSection> sections) {
        MergedSections m = new MergedSections();
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        for (InputSection in : sections) {
            if (!mergeable(in)) continue;
            Section s = in.file.elf.sections.get(in.index);
            boolean strings = (in.flags & Elf.SHF_STRINGS) != 0;
            Group g = groups.computeIfAbsent(List.of(in.out, strings, s.entsize, in.align),
                    k -> new Group(strings, s.entsize, (int) in.align));
            Member mem = new Member(in, s.data);
            g.members.add(mem);
            m.groupOf.put(mem, g);
            m.members.computeIfAbsent(in.file, f -> new HashMap<>()).put(in.index, mem);
        }
        for (Group g : groups.values()) merge(g);
        return m;
    }

    private static boolean mergeable(InputSection in) {
        if (in.discarded || in.index < 0 || in.out == null || (in.flags & Elf.SHF_MERGE) == 0) return false;
        Section s = in.file.elf.sections.get(in.index);
        int entsize = s.entsize;
        if (entsize <= 0 || s.data == null || s.data.length == 0 || s.data.length % entsize != 0 || relocated(in)) return false;
        long align = in.align;
        boolean strings = (in.flags & Elf.SHF_STRINGS) != 0;
        if (entsize < align && (Integer.bitCount(entsize) != 1 || !strings)) return false;
        return entsize <= align || entsize % align == 0;
    }

    private static boolean relocated(InputSection in) {
        for (Section rel : in.file.elf.sections)
            if (rel.type == Elf.SHT_REL && rel.info == in.index && !rel.relocations.isEmpty()) return true;
        return false;
    }

    private static void merge(Group g) {
        boolean padded = true;
        for (Member m : g.members) {
            record(g, m);
            padded &= m.original.length % g.align == 0;
        }
        if (g.order.isEmpty()) return;
        if (g.strings) dropTails(g);
        // each section keeps, in reading order, the pieces first read in it
        Member cur = g.order.get(0).recordedIn;
        long size = 0;
        for (Piece p : g.order) {
            if (p.recordedIn != cur) {
                cur.size = size;
                cur = p.recordedIn;
            }
            if (p.align == 0) continue;
            if (cur.first == null) {
                cur.first = p;
                size = 0;
            }
            size = alignUp(size, p.align);
            p.home = cur;
            p.index = size;
            size += p.len();
        }
        cur.size = padded ? alignUp(size, g.align) : size;
        for (Piece p : g.order)
            if (p.tailOf != null) {
                p.home = p.tailOf.home;
                p.index = p.tailOf.index + p.tailOf.len() - p.len();
            }
        for (Member m : g.members) {
            byte[] kept = new byte[m.first == null ? 0 : (int) m.size];
            for (Piece p : g.order)
                if (p.align != 0 && p.home == m) System.arraycopy(p.bytes, 0, kept, (int) p.index, p.len());
            m.in.file.elf.sections.get(m.in.index).setData(kept);
            m.in.size = kept.length;
            if (m.first == null) m.in.align = 1;
        }
    }

    /** Reads one section's pieces into the group's table. */
    private static void record(Group g, Member m) {
        byte[] d = m.original;
        int es = g.entsize;
        if (!g.strings) {
            for (int p = 0; p < d.length; p += es) add(g, Arrays.copyOfRange(d, p, p + es), 1, m);
            return;
        }
        boolean emptyString = false;
        int p = 0;
        while (p < d.length) {
            int align = p == 0 ? g.align : Math.min(Integer.lowestOneBit(p), g.align);
            p += add(g, stringAt(d, p, es), align, m).len();
            for (; p < d.length && isZero(d, p, es); p += es)
                if (!emptyString && p % g.align == 0) {
                    emptyString = true;
                    add(g, new byte[es], g.align, m);
                }
        }
    }

    private static Piece add(Group g, byte[] bytes, int align, Member m) {
        Key k = new Key(bytes);
        Piece old = g.table.get(k);
        if (old != null && old.align >= align) return old;
        if (old != null) old.align = 0;  // needs more alignment here: the earlier copy goes
        Piece p = new Piece(bytes, align, m);
        g.table.put(k, p);
        g.order.add(p);
        return p;
    }

    /**
     * Marks the strings stored as the tail of a longer one. Sorted by reversed bytes (terminators
     * aside; when all share one alignment above the character size, first by length modulo it), a
     * string is followed by the strings it ends.
     */
    private static void dropTails(Group g) {
        List<Piece> live = new ArrayList<>();
        int common = 0;
        for (Piece p : g.order) {
            if (p.align == 0) continue;
            live.add(p);
            common = common == 0 || common == p.align ? p.align : -1;
        }
        int es = g.entsize;
        Comparator<Piece> reversed = (a, b) -> compareReversed(a.bytes, a.len() - es, b.bytes, b.len() - es);
        if (common != -1 && common > es) {
            int mask = common - 1;
            reversed = Comparator.<Piece>comparingInt(a -> (a.len() - es) & mask).thenComparing(reversed);
        }
        live.sort(reversed);
        Piece longer = live.get(live.size() - 1);
        for (int i = live.size() - 2; i >= 0; i--) {
            Piece p = live.get(i);
            if (longer.align >= p.align && ((longer.len() - p.len()) & (p.align - 1)) == 0 && endsWith(longer.bytes, p.bytes)) {
                p.tailOf = longer;
                p.align = 0;
            } else longer = p;
        }
    }

    private static int compareReversed(byte[] a, int lenA, byte[] b, int lenB) {
        for (int i = lenA - 1, j = lenB - 1; i >= 0 && j >= 0; i--, j--) {
            int c = (a[i] & 0xff) - (b[j] & 0xff);
            if (c != 0) return c;
        }
        return lenA - lenB;
    }

    private static boolean endsWith(byte[] longer, byte[] tail) {
        if (longer.length <= tail.length) return false;
        return Arrays.equals(longer, longer.length - tail.length, longer.length, tail, 0, tail.length);
    }

    /** The string at p with its terminator (one of zeros added if the section ends without one). */
    private static byte[] stringAt(byte[] d, int p, int es) {
        int q = p;
        while (q < d.length && !isZero(d, q, es)) q += es;
        return Arrays.copyOf(Arrays.copyOfRange(d, p, Math.min(q, d.length)), q - p + es);
    }

    private static boolean isZero(byte[] d, int p, int es) {
        // past the end reads as zeros: a last string without its terminator gets one
        for (int i = p; i < p + es; i++) if (i < d.length && d[i] != 0) return false;
        return true;
    }

    private static long alignUp(long v, long a) { return (v + a - 1) / a * a; }

    /** The final address of what was at this offset of a merged input section, or null when the section was not merged. */
    Long address(InputObject f, int shndx, long offset) {
        Map<Integer, Member> byIndex = members.get(f);
        Member m = byIndex == null ? null : byIndex.get(shndx);
        if (m == null) return null;
        Group g = groupOf.get(m);
        byte[] d = m.original;
        // the end of the section (or past it): the end of what the section keeps
        if (offset >= d.length) return m.in.vma + (m.first != null ? m.size : 0);
        int es = g.entsize, at = (int) offset;
        int start = at / es * es;
        if (g.strings) {
            if (es == 1) while (start > 0 && d[start - 1] != 0) start--;
            else while (start >= es && !isZero(d, start - es, es)) start -= es;
        }
        Piece p = g.table.get(new Key(g.strings ? stringAt(d, start, es) : Arrays.copyOfRange(d, start, start + es)));
        if (p == null) {
            // padding between strings that no empty string stands for: ld counts back from the first piece kept
            p = firstKept(g);
            start = (at / es + 1) * es - p.len();
        }
        return p.home.in.vma + p.index + (at - start);
    }

    private static Piece firstKept(Group g) {
        for (Piece p : g.order) if (p.align != 0) return p;
        throw new IllegalStateException("a merged group keeps nothing");
    }
}

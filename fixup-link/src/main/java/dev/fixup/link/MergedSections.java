package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.Section;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SHF_MERGE sections, merged as GNU ld (2.40) merges them: among the mergeable input sections
 * that go to the same output section with the same flags, entry size and alignment, each distinct
 * entry (a string with its terminator, or a constant) is kept once, in the input section where it
 * first appears; later sections keep their place and lose the entries seen before. A string that
 * is the tail of another one anywhere in the group is not stored at all: it points into the
 * longer one. Addresses into the old sections are translated through {@link #address}.
 */
final class MergedSections {
    /** One distinct entry and where it is kept: the input section it first appeared in, and its offset there. */
    private static final class Entry {
        final byte[] bytes;
        InputSection home;
        long out = -1;
        Entry(byte[] bytes) { this.bytes = bytes; }
    }

    /** An input section's old entries: their start offsets (ascending) and what each became. */
    private record Member(long[] starts, Entry[] entries) {}

    private final Map<InputObject, Map<Integer, Member>> members = new IdentityHashMap<>();

    static MergedSections merge(List<InputSection> sections) {
        MergedSections m = new MergedSections();
        Map<String, List<InputSection>> groups = new LinkedHashMap<>();
        Map<OutSection, Integer> ids = new IdentityHashMap<>();
        for (InputSection in : sections) {
            if (in.discarded || in.index < 0 || in.out == null || (in.flags & Elf.SHF_MERGE) == 0) continue;
            Section s = in.file.elf.sections.get(in.index);
            if (s.entsize <= 0 || s.data == null || s.type != Elf.SHT_PROGBITS) continue;
            int id = ids.computeIfAbsent(in.out, o -> ids.size());
            groups.computeIfAbsent(id + "/" + (in.flags & (Elf.SHF_MERGE | Elf.SHF_STRINGS)) + "/" + s.entsize + "/" + in.align,
                    k -> new ArrayList<>()).add(in);
        }
        for (List<InputSection> g : groups.values()) m.mergeGroup(g);
        return m;
    }

    private void mergeGroup(List<InputSection> group) {
        // members are merged in their output order
        group.sort((a, b) -> {
            List<InputSection> all = a.out.allMembers();
            return Integer.compare(indexOf(all, a), indexOf(all, b));
        });
        Map<String, Entry> unique = new LinkedHashMap<>();
        Map<InputSection, Member> split = new IdentityHashMap<>();
        boolean strings = (group.get(0).flags & Elf.SHF_STRINGS) != 0;
        long align = group.get(0).align;
        for (InputSection in : group) {
            Section sec = in.file.elf.sections.get(in.index);
            int entsize = sec.entsize;
            byte[] d = sec.data;
            List<Long> starts = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            int p = 0;
            while (p < d.length) {
                int end = strings ? stringEnd(d, p, entsize) : Math.min(d.length, p + entsize);
                // in a section aligned beyond its entry size, the zeros up to the next aligned string belong to this one
                if (strings && in.align > entsize)
                    while (end % in.align != 0 && end < d.length && d[end] == 0) end++;
                byte[] e = Arrays.copyOfRange(d, p, end);
                starts.add((long) p);
                entries.add(unique.computeIfAbsent(java.util.HexFormat.of().formatHex(e), k -> new Entry(e)));
                p = end;
            }
            Member m = new Member(starts.stream().mapToLong(Long::longValue).toArray(), entries.toArray(Entry[]::new));
            split.put(in, m);
            members.computeIfAbsent(in.file, f -> new HashMap<>()).put(in.index, m);
        }
        Map<Entry, Entry> tailOf = strings ? tails(new ArrayList<>(unique.values()), align) : Map.of();
        // each kept entry stays in the first section that had it
        for (InputSection in : group) {
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            for (Entry e : split.get(in).entries()) {
                if (e.home != null || tailOf.containsKey(e)) continue;
                while (kept.size() % in.align != 0) kept.write(0);
                e.home = in;
                e.out = kept.size();
                kept.writeBytes(e.bytes);
            }
            Section sec = in.file.elf.sections.get(in.index);
            sec.setData(kept.toByteArray());
            in.size = sec.data.length;
        }
        for (Map.Entry<Entry, Entry> t : tailOf.entrySet()) {
            Entry tail = t.getKey(), of = t.getValue();
            tail.home = of.home;
            tail.out = of.out + of.bytes.length - tail.bytes.length;
        }
    }

    /**
     * Strings that end a longer one (at an offset the alignment allows): sorted by their reversed
     * bytes, a tail comes just before the strings it ends, so one pass from the end finds them.
     */
    private static Map<Entry, Entry> tails(List<Entry> entries, long align) {
        entries.sort((a, b) -> compareReversed(a.bytes, b.bytes));
        Map<Entry, Entry> r = new IdentityHashMap<>();
        Entry longer = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (longer != null && isTail(e.bytes, longer.bytes) && (longer.bytes.length - e.bytes.length) % align == 0) r.put(e, longer);
            else longer = e;
        }
        return r;
    }

    private static int compareReversed(byte[] a, byte[] b) {
        for (int i = a.length - 1, j = b.length - 1; i >= 0 && j >= 0; i--, j--) {
            int c = Integer.compare(a[i] & 0xff, b[j] & 0xff);
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    }

    private static boolean isTail(byte[] tail, byte[] of) {
        if (tail.length > of.length) return false;
        for (int i = 1; i <= tail.length; i++) if (tail[tail.length - i] != of[of.length - i]) return false;
        return true;
    }

    /** The end of the string at p (past its terminator of entsize zero bytes), or the section's end. */
    private static int stringEnd(byte[] d, int p, int entsize) {
        for (int q = p; q + entsize <= d.length; q += entsize) {
            boolean zero = true;
            for (int k = 0; k < entsize; k++) if (d[q + k] != 0) { zero = false; break; }
            if (zero) return q + entsize;
        }
        return d.length;
    }

    private static int indexOf(List<InputSection> l, InputSection x) {
        for (int i = 0; i < l.size(); i++) if (l.get(i) == x) return i;
        return -1;
    }

    /** The final address of what was at this offset of a merged input section, or null when the section was not merged. */
    Long address(InputObject f, int shndx, long offset) {
        Map<Integer, Member> byIndex = members.get(f);
        Member m = byIndex == null ? null : byIndex.get(shndx);
        if (m == null || m.starts().length == 0) return null;
        int i = Arrays.binarySearch(m.starts(), offset);
        if (i < 0) i = Math.max(0, -i - 2);
        Entry e = m.entries()[i];
        return e.home.vma + e.out + (offset - m.starts()[i]);
    }
}

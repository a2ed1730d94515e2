package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A line program's rows as a debugger searches them: one sorted run of rows per sequence, where
 * an address belongs to the last row at or before it (of several rows at one address, the last
 * one written), and not to any sequence it is at or past the end of.
 */
final class LineTable {
    /** One located address: the source file's path as the table spells it, and its line. */
    record Position(String file, int line, int discriminator) {}

    private record Sequence(long low, long high, LineRow[] rows) {}

    private final LineProgramHeader header;
    private final String compDir;
    private final List<Sequence> sequences = new ArrayList<>();

    LineTable(LineProgram program, String compDir) {
        this.header = program.header;
        this.compDir = compDir;
        List<LineRow> current = new ArrayList<>();
        for (LineRow r : program.rows) {
            current.add(r);
            if (r.endSequence()) {
                addSequence(current);
                current = new ArrayList<>();
            }
        }
        sequences.sort(Comparator.comparingLong(Sequence::low).thenComparing(Comparator.comparingLong(Sequence::high).reversed()));
    }

    private void addSequence(List<LineRow> rows) {
        List<LineRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(LineRow::address));   // stable: rows at one address keep their order
        LineRow[] a = sorted.toArray(LineRow[]::new);
        long high = a[a.length - 1].address();
        if (a[0].address() < high) sequences.add(new Sequence(a[0].address(), high, a));
    }

    /** The row covering address, or null when no sequence covers it. */
    Position find(long address) {
        for (Sequence s : sequences) {
            if (address < s.low || address >= s.high) continue;
            LineRow[] rows = s.rows;
            int lo = 0, hi = rows.length - 1;      // the last row whose address is <= address
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (rows[mid].address() <= address) lo = mid;
                else hi = mid - 1;
            }
            LineRow r = rows[lo];
            if (r.endSequence()) continue;
            return new Position(fileName(r.file()), r.line(), r.discriminator());
        }
        return null;
    }

    /**
     * A file's path, by its index in the file table: its name if absolute, else under its
     * directory, and under the compilation directory when the directory is relative or missing.
     */
    String fileName(int index) {
        if (index < 0 || index >= header.files.size()) return "<unknown>";
        LineProgramHeader.FileEntry e = header.files.get(index);
        String name = e.name() == null ? "<unknown>" : e.name();
        if (name.startsWith("/")) return name;
        int dirIndex = header.version >= 5 ? e.directory() : e.directory() - 1;
        String subdir = dirIndex >= 0 && dirIndex < header.directories.size() ? header.directories.get(dirIndex) : null;
        String dir = subdir == null || !subdir.startsWith("/") ? compDir : null;
        if (dir == null) {
            dir = subdir;
            subdir = null;
        }
        if (dir == null) return name;
        return subdir == null ? dir + "/" + name : dir + "/" + subdir + "/" + name;
    }
}

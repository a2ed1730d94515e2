package dev.fixup.cli;

import dev.fixup.elf.AddressSymbolizer;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import dev.fixup.x86.Disassembler;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code objdump -d} and {@code -D}: sections decoded with the shared instruction table, in
 * objdump's layout. Decoding restarts at every symbol; the bytes of an object symbol (STT_OBJECT)
 * are shown as data, 16 to a line; runs of zeros are skipped unless asked for (-z), as objdump
 * skips them.
 */
final class DisassemblyPrinter {
    private static final int BYTES_PER_LINE = 7, DATA_PER_LINE = 16;
    /** objdump skips a run of at least this many zeros, or a shorter run (of fewer than 3) at the end of a symbol. */
    private static final int SKIP_ZEROES = 8, SKIP_ZEROES_AT_END = 3;

    /** What to show and how: the options of objdump that shape a disassembly. */
    record Options(boolean all, boolean inlineRelocations, boolean intel, boolean zeroes, Long start, Long stop) {}

    private final ElfFile elf;
    private final PrintWriter out;
    private final List<String> only;
    private final AddressSymbolizer symbolizer;
    private final Options opt;
    private final SourceAnnotator source;
    /**
     * The listing's text not yet handed to out: lines are built here and written in large
     * blocks, since a writer call per line (locking, copying, encoding a few bytes at a time)
     * cost more than making the lines.
     */
    private final StringBuilder pending = new StringBuilder(BLOCK + 256);
    private char[] block = new char[0];
    private static final int BLOCK = 1 << 15;
    private static final String NEWLINE = System.lineSeparator();

    /** source adds -l and -S's lines before each instruction (it may be inactive). */
    DisassemblyPrinter(ElfFile elf, PrintWriter out, List<String> only, Options opt, SourceAnnotator source) {
        this.elf = elf;
        this.out = out;
        this.only = only;
        this.opt = opt;
        this.source = source;
        this.symbolizer = new AddressSymbolizer(elf);
    }

    void print() {
        try {
            for (int i = 1; i < elf.sections.size(); i++) {
                Section s = elf.sections.get(i);
                if (!shown(s)) continue;
                if (only != null && !only.contains(s.name)) continue;
                section(i, s);
            }
        } finally {
            write();     // what came before an error is shown, as objdump shows it
        }
    }

    /** Hands the pending text to out once a block has built up. */
    private void lineDone() {
        if (pending.length() >= BLOCK) write();
    }

    private void write() {
        int n = pending.length();
        if (block.length < n) block = new char[n];
        pending.getChars(0, n, block, 0);
        out.write(block, 0, n);
        pending.setLength(0);
    }

    /** The source lines before the code at offset, after what is pending (the annotator writes to out itself). */
    private void annotate(int index, int offset, int address) {
        if (!source.active()) return;
        write();
        source.show(index, offset, address);
    }

    /** -d: executable sections; -D: every section with contents that objdump sees (tables of the file itself excepted). */
    private boolean shown(Section s) {
        if (s.size == 0) return false;
        if (s.data == null) return opt.all && s.isAlloc();    // -D shows .bss as the zeros it holds
        if (!opt.all) return (s.flags & Elf.SHF_EXECINSTR) != 0;
        return switch (s.type) {
            case Elf.SHT_NULL, Elf.SHT_SYMTAB, Elf.SHT_REL, Elf.SHT_RELA, Elf.SHT_GROUP -> false;
            case Elf.SHT_STRTAB -> !isFileTable(s);
            default -> true;
        };
    }

    /** .strtab and .shstrtab belong to the file's structure; other string tables (.debug_str is PROGBITS anyway) are contents. */
    private boolean isFileTable(Section s) {
        int index = elf.indexOf(s);
        for (Section t : elf.sections) if (t.type == Elf.SHT_SYMTAB && t.link == index) return true;
        return s.name.equals(".shstrtab");
    }

    private void section(int index, Section s) {
        if (s.data == null) s = zeros(s);
        boolean rel = elf.type == Elf.ET_REL;
        int base = rel ? 0 : s.addr;
        long vma = Integer.toUnsignedLong(base);
        long from = 0, to = Integer.toUnsignedLong(s.size);
        if (opt.start != null && opt.start > vma) from = opt.start - vma;
        if (opt.stop != null) to = Math.min(to, Math.max(0, opt.stop - vma));
        if (from >= to) return;
        pending.append(NEWLINE).append("Disassembly of section ").append(s.name).append(':').append(NEWLINE);
        int width = addressWidth(s.addr, s.size);
        TreeMap<Integer, Symbol> labels = labels(index);
        TreeMap<Integer, Relocation> allRelocs = relocations(index);
        TreeMap<Integer, Relocation> relocs = opt.inlineRelocations ? allRelocs : new TreeMap<>();
        int pos = (int) from;
        while (pos < to) {
            Integer next = labels.higherKey(pos);
            int end = next == null || next > to ? (int) to : next;
            Symbol label = labels.containsKey(pos) ? labels.get(pos) : null;
            String name = label == null ? regionName(index, base + pos)
                    : label.name.startsWith(".L") ? label.name : symbolizer.name(index, label.value);
            HexColumns.padded(pending.append(NEWLINE), base + pos, 8, '0').append(" <").append(name).append(">:").append(NEWLINE);
            Symbol covering = labels.floorKey(pos) == null ? null : labels.floorEntry(pos).getValue();
            if (!opt.all && covering != null && covering.type() == Elf.STT_OBJECT) data(s, index, base, width, pos, end, relocs);
            else code(s, index, rel, base, width, pos, end, (int) to, allRelocs, relocs);
            pos = end;
        }
    }

    /** The largest .bss that -D spells out (it holds nothing but zeros; a damaged size must not fill the heap). */
    private static final int MAX_NOBITS = 64 << 20;

    /** A NOBITS section as -D reads it: its size in zeros. */
    private static Section zeros(Section nobits) {
        if (Integer.toUnsignedLong(nobits.size) > MAX_NOBITS)
            throw new ToolException("section " + nobits.name + ": size 0x" + Integer.toHexString(nobits.size)
                    + " is too large to disassemble (more than " + (MAX_NOBITS >> 20) + " MB of zeros)");
        Section s = new Section(nobits.name, Elf.SHT_PROGBITS, nobits.flags);
        s.setData(new byte[nobits.size]);
        s.addr = nobits.addr;
        return s;
    }

    /** The name objdump gives a region that starts at no symbol: the symbol before it, plus the offset. */
    private String regionName(int index, int address) {
        String n = symbolizer.name(index, address);
        return n != null ? n : elf.sections.get(index).name;
    }

    /**
     * Instructions from `from` to the next symbol (`to`). As objdump, an instruction may be decoded
     * with bytes up to `limit` (the end of what is shown of the section) though only its bytes
     * before `to` are printed; the next symbol's listing starts at the symbol regardless.
     */
    private void code(Section s, int index, boolean rel, int base, int width, int from, int to, int limit,
                      TreeMap<Integer, Relocation> allRelocs, TreeMap<Integer, Relocation> relocs) {
        int pos = from;
        while (pos < to) {
            int skipTo = skipZeroes(s, pos, to);
            if (skipTo != pos) {
                pos = skipTo;
                continue;
            }
            annotate(index, pos, base + pos);
            Disassembler.Line line = Disassembler.line(s.data, pos, limit, base + pos, true, a -> target(index, a, rel), opt.intel);
            String text = rel ? relocatedText(s, index, line, allRelocs) : line.text();
            for (int k = 0; k < line.length(); k += BYTES_PER_LINE) {
                StringBuilder b = pending;
                HexColumns.padded(b, line.address() + k, width, ' ').append(":\t");
                int shown = Math.min(line.length(), k + BYTES_PER_LINE);
                for (int i = k; i < shown; i++) {
                    if (pos + i < to) HexColumns.byteHex(b, s.data[pos + i]).append(' ');
                    else b.append(' ');
                }
                if (k == 0) {
                    for (int i = shown; i < BYTES_PER_LINE; i++) b.append("   ");
                    b.append('\t').append(text);
                }
                b.append(NEWLINE);
                lineDone();
            }
            inlineRelocations(relocs, base, pos, line.length());
            pos += line.length();
        }
    }

    /**
     * Where to go on after a run of zeros at pos, printing objdump's "..." for it; pos itself when
     * the run is not skipped (-z, or a run neither long nor at the end).
     */
    private int skipZeroes(Section s, int pos, int to) {
        if (opt.zeroes) return pos;
        int z = pos;
        while (z < to && s.data[z] == 0) z++;
        int run = z - pos;
        if (run == 0 || (run < SKIP_ZEROES && !(z == to && run < SKIP_ZEROES_AT_END))) return pos;
        if (z != to) z = pos + (run & ~3);   // more bytes follow: skip whole words only
        pending.append("\t...").append(NEWLINE);
        return z;
    }

    /** An object's bytes: 16 to a line, then the printable ones as text. */
    private void data(Section s, int index, int base, int width, int from, int to, TreeMap<Integer, Relocation> relocs) {
        for (int pos = from; pos < to; ) {
            int skipTo = skipZeroes(s, pos, to);
            if (skipTo != pos) {
                pos = skipTo;
                continue;
            }
            annotate(index, pos, base + pos);
            int n = Math.min(DATA_PER_LINE, to - pos);
            StringBuilder b = pending;
            HexColumns.padded(b, base + pos, width, ' ').append(":\t");
            for (int k = 0; k < DATA_PER_LINE; k++) {
                if (k < n) HexColumns.byteHex(b, s.data[pos + k]).append(' ');
                else b.append("   ");
            }
            b.append("    ");
            for (int k = 0; k < n; k++) {
                int c = s.data[pos + k] & 0xff;
                b.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            b.append(NEWLINE);
            lineDone();
            inlineRelocations(relocs, base, pos, n);
            pos += n;
        }
    }

    private void inlineRelocations(TreeMap<Integer, Relocation> relocs, int base, int off, int length) {
        if (relocs.isEmpty()) return;
        for (Relocation r : relocs.subMap(off, off + length).values()) {
            Symbol sym = elf.symbols.get(r.symbol);
            String name = sym.type() == Elf.STT_SECTION ? elf.sections.get(sym.shndx).name : sym.name;
            HexColumns.padded(pending.append("\t\t\t"), base + r.offset, 1, ' ')
                    .append(": ").append(RelocationNames.of(r.type)).append('\t').append(name).append(NEWLINE);
        }
    }

    /**
     * objdump names a branch target of an object through the relocation that patches the
     * instruction, when its symbol is defined in another section: the target plus the symbol's
     * value, named in this section when it falls inside it, else after the nearest symbol of any
     * section (`jmp 2b` from .fixup lands in .text, not in .fixup).
     */
    private String relocatedText(Section s, int index, Disassembler.Line line, TreeMap<Integer, Relocation> relocs) {
        for (Relocation r : relocs.subMap(line.address(), line.address() + line.length()).values()) {
            Symbol sym = elf.symbols.get(r.symbol);
            if (sym.shndx == Elf.SHN_UNDEF || sym.shndx >= elf.sections.size() || sym.shndx == index) continue;
            return Disassembler.line(s.data, line.address(), line.address() + line.length(), line.address(), true,
                    a -> target(index, a + sym.value, true), opt.intel).text();
        }
        return line.text();
    }

    /**
     * objdump's address column: the section's end address in 8 hex digits, less its leading zeros
     * in groups of four (always keeping one), with the remaining leading zeros shown as blanks.
     */
    static int addressWidth(int vma, int size) {
        String end = String.format("%08x", vma + size);
        int zeros = 0;
        while (zeros < end.length() && end.charAt(zeros) == '0') zeros++;
        if (zeros == end.length() && vma != 0) return 8;
        return 8 - (zeros == 0 ? 0 : (zeros - 1) & -4);
    }

    private String target(int section, int address, boolean rel) {
        boolean inside = Integer.compareUnsigned(address, elf.sections.get(section).size) < 0;
        String name = !rel ? symbolizer.name(address)
                : inside ? symbolizer.name(section, address) : symbolizer.nameInAnySection(address, section);
        return name == null ? null : "<" + name + ">";
    }

    /** Section offset -> the symbol objdump labels there (its preferred one at that address). */
    private TreeMap<Integer, Symbol> labels(int section) {
        TreeMap<Integer, Symbol> labels = new TreeMap<>();
        int base = elf.type == Elf.ET_REL ? 0 : elf.sections.get(section).addr;
        for (Symbol s : elf.symbols) {
            if (s.shndx != section || s.name.isEmpty() || s.type() == Elf.STT_SECTION) continue;
            String preferred = symbolizer.name(section, s.value);
            Symbol there = labels.get(s.value - base);
            // a .L symbol the assembler kept (one a relocation needs) labels its address only when nothing else does
            if (s.name.equals(preferred) || there == null || (there.name.startsWith(".L") && !s.name.startsWith(".L")))
                labels.put(s.value - base, s);
        }
        if (!labels.containsKey(0)) {
            Symbol start = new Symbol(elf.sections.get(section).name, base, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_SECTION), section);
            labels.put(0, start);
        }
        return labels;
    }

    private TreeMap<Integer, Relocation> relocations(int section) {
        TreeMap<Integer, Relocation> map = new TreeMap<>();
        for (Section r : elf.sections)
            if (r.type == Elf.SHT_REL && r.info == section) for (Relocation rel : r.relocations) map.put(rel.offset, rel);
        return map;
    }
}

package dev.fixup.cli;

import dev.fixup.elf.AddressSymbolizer;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.io.PrintWriter;

/**
 * {@code objdump --extable}: the Linux 2.4 exception table, one {@code {insn, fixup}} pair per line,
 * symbolized. In an executable the words are final addresses and the table must be sorted; in a
 * relocatable object each word is a relocation (symbol + addend), and sorting happens at link time.
 */
final class ExTablePrinter {
    static final String SECTION = "__ex_table";
    static final int ENTRY_SIZE = 8;

    private final ElfFile elf;
    private final PrintWriter out;
    private final AddressSymbolizer symbolizer;

    ExTablePrinter(ElfFile elf, PrintWriter out) {
        this.elf = elf;
        this.out = out;
        this.symbolizer = new AddressSymbolizer(elf);
    }

    void print() {
        Section table = elf.section(SECTION);
        if (table == null) {
            out.println("no " + SECTION + " section");
            return;
        }
        int count = table.size / ENTRY_SIZE;
        boolean relocatable = elf.type == Elf.ET_REL;
        out.printf("%s: %d entries, %d bytes at 0x%08x%s%n", SECTION, count, table.size, table.addr,
                table.size % ENTRY_SIZE == 0 ? "" : " (size is not a multiple of 8!)");
        Relocation[] relocs = relocatable ? relocationsByOffset(table) : null;
        long previous = -1;
        boolean sorted = true;
        for (int i = 0; i < count; i++) {
            int off = i * ENTRY_SIZE;
            if (relocatable) {
                out.printf("  insn %s -> fixup %s%n", relocated(table, relocs, off), relocated(table, relocs, off + 4));
            } else {
                int insn = word(table, off), fixup = word(table, off + 4);
                out.printf("  insn %08x <%s> -> fixup %08x <%s>%n", insn, where(insn), fixup, where(fixup));
                long key = Integer.toUnsignedLong(insn);
                if (key <= previous) sorted = false;
                previous = key;
            }
        }
        if (relocatable) out.println("relocatable object: the linker sorts the table");
        else out.println(sorted ? "sorted: yes" : "sorted: NO (search_exception_table would miss entries)");
    }

    private String where(int address) {
        String name = symbolizer.name(address);
        return name == null ? "?" : name;
    }

    private Relocation[] relocationsByOffset(Section table) {
        Relocation[] byWord = new Relocation[(table.size + 3) / 4];
        int index = elf.indexOf(table);
        for (Section r : elf.sections) {
            if (r.type != Elf.SHT_REL || r.info != index) continue;
            for (Relocation rel : r.relocations)
                if (rel.offset >= 0 && rel.offset < table.size && rel.offset % 4 == 0) byWord[rel.offset / 4] = rel;
        }
        return byWord;
    }

    /** "sym+0xoff" for a relocated word: the relocation's symbol plus the addend stored in place. */
    private String relocated(Section table, Relocation[] relocs, int off) {
        int addend = word(table, off);
        Relocation rel = relocs[off / 4];
        if (rel == null) return String.format("%08x <absolute>", addend);
        Symbol s = elf.symbols.get(rel.symbol);
        if (s.shndx == Elf.SHN_UNDEF || s.shndx >= Elf.SHN_ABS)
            return addend == 0 ? s.name : s.name + "+0x" + Integer.toHexString(addend);
        int value = (s.type() == Elf.STT_SECTION ? 0 : s.value) + addend;
        return String.format("%08x <%s>", value, symbolizer.name(s.shndx, value));
    }

    private static int word(Section s, int off) {
        byte[] d = s.data;
        return (d[off] & 0xff) | (d[off + 1] & 0xff) << 8 | (d[off + 2] & 0xff) << 16 | (d[off + 3] & 0xff) << 24;
    }
}

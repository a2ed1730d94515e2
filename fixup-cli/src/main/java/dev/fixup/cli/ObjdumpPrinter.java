package dev.fixup.cli;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The -h, -t, -r and -s views, in GNU objdump's layout so that the two can be compared line by line. */
final class ObjdumpPrinter {
    private final ElfFile elf;
    private final PrintWriter out;
    private final List<String> only;

    ObjdumpPrinter(ElfFile elf, PrintWriter out, List<String> only) {
        this.elf = elf;
        this.out = out;
        this.only = only;
    }

    /** Sections objdump lists: everything but the null section, symbol/string tables and relocations. */
    private List<Section> shown() {
        List<Section> list = new ArrayList<>();
        for (Section s : elf.sections) {
            if (s.type == Elf.SHT_NULL || s.type == Elf.SHT_SYMTAB || s.type == Elf.SHT_STRTAB
                    || s.type == Elf.SHT_REL || s.type == Elf.SHT_RELA || s.type == Elf.SHT_GROUP) continue;
            if (only != null && !only.contains(s.name)) continue;
            list.add(s);
        }
        return list;
    }

    /** -f: the BFD view of the ELF header (architecture, flags, entry point). */
    void fileHeader() {
        int flags = bfdFlags();
        out.printf("architecture: i386, flags 0x%08x:%n", flags);
        List<String> names = new ArrayList<>();
        String[] words = {"HAS_RELOC", "EXEC_P", "HAS_LINENO", "HAS_DEBUG", "HAS_SYMS", "HAS_LOCALS", "DYNAMIC", "WP_TEXT", "D_PAGED"};
        for (int bit = 0; bit < words.length; bit++) if ((flags & (1 << bit)) != 0) names.add(words[bit]);
        out.println(String.join(", ", names));
        out.printf("start address 0x%08x%n", elf.entry);
    }

    /**
     * BFD's file flags as it sets them for ELF: relocations present, executable or shared, symbols
     * present, and demand-paged when every loadable segment's address and offset agree modulo the page.
     */
    private int bfdFlags() {
        int flags = 0;
        for (Section s : elf.sections) if ((s.type == Elf.SHT_REL || s.type == Elf.SHT_RELA) && s.size > 0) flags |= 0x01;
        if (elf.type == Elf.ET_EXEC) flags |= 0x02;
        for (Section s : elf.sections) if (s.type == Elf.SHT_SYMTAB) flags |= 0x10;
        if (elf.type == Elf.ET_DYN) flags |= 0x40;
        boolean paged = !elf.segments.isEmpty();
        for (var seg : elf.segments)
            if (seg.type == Elf.PT_LOAD && ((seg.vaddr - seg.offset) & 0xfff) != 0) paged = false;
        if (paged) flags |= 0x100;
        return flags;
    }

    /** -p: the program headers, in BFD's words. */
    void privateHeaders() {
        if (elf.segments.isEmpty()) return;
        out.printf("%nProgram Header:%n");
        for (var p : elf.segments) {
            out.printf("%8s off    0x%08x vaddr 0x%08x paddr 0x%08x align 2**%d%n", segmentType(p.type), p.offset, p.vaddr,
                    p.paddr, log2(p.align));
            out.printf("         filesz 0x%08x memsz 0x%08x flags %c%c%c", p.filesz, p.memsz, (p.flags & Elf.PF_R) != 0 ? 'r' : '-',
                    (p.flags & Elf.PF_W) != 0 ? 'w' : '-', (p.flags & Elf.PF_X) != 0 ? 'x' : '-');
            int other = p.flags & ~(Elf.PF_R | Elf.PF_W | Elf.PF_X);
            if (other != 0) out.printf(" %x", other);
            out.println();
        }
    }

    private static String segmentType(int type) {
        return switch (type) {
            case 0 -> "NULL";
            case 1 -> "LOAD";
            case 2 -> "DYNAMIC";
            case 3 -> "INTERP";
            case 4 -> "NOTE";
            case 5 -> "SHLIB";
            case 6 -> "PHDR";
            case 7 -> "TLS";
            case 0x6474e550 -> "EH_FRAME";
            case 0x6474e551 -> "STACK";
            case 0x6474e552 -> "RELRO";
            case 0x6474e553 -> "PROPERTY";
            default -> "0x" + Integer.toHexString(type);
        };
    }

    /** BFD's log2 of an alignment: rounded up, 0 for 0 and 1. */
    private static int log2(int align) {
        long a = Integer.toUnsignedLong(align);
        int n = 0;
        while ((1L << n) < a) n++;
        return n;
    }

    void sectionHeaders() {
        out.println("Sections:");
        out.println("Idx Name          Size      VMA       LMA       File off  Algn");
        int idx = 0;
        for (Section s : shown()) {
            int lma = lma(s);
            out.printf("%3d %-13s %08x  %08x  %08x  %08x  2**%d%n", idx++, s.name, s.size, s.addr, lma, s.offset,
                    Integer.numberOfTrailingZeros(Math.max(1, s.addralign)));
            out.println("                  " + String.join(", ", flagWords(s)));
        }
    }

    private int lma(Section s) {
        for (var seg : elf.segments) {
            if (seg.type != Elf.PT_LOAD) continue;
            long off = Integer.toUnsignedLong(s.addr) - Integer.toUnsignedLong(seg.vaddr);
            if (s.isAlloc() && off >= 0 && off < Integer.toUnsignedLong(seg.memsz)) return seg.paddr + (int) off;
        }
        return s.addr;
    }

    private List<String> flagWords(Section s) {
        List<String> w = new ArrayList<>();
        boolean nobits = s.type == Elf.SHT_NOBITS;
        if (!nobits) w.add("CONTENTS");
        if (s.isAlloc()) w.add("ALLOC");
        if (s.isAlloc() && !nobits) w.add("LOAD");
        if (hasRelocations(s)) w.add("RELOC");
        if ((s.flags & Elf.SHF_WRITE) == 0 && !nobits) w.add("READONLY");
        if ((s.flags & Elf.SHF_EXECINSTR) != 0) w.add("CODE");
        else if (s.isAlloc() && !nobits) w.add("DATA");
        if (isDebugging(s.name)) {
            w.add("DEBUGGING");
            w.add("OCTETS"); // BFD counts a debugging section's size in octets, and says so
        }
        return w;
    }

    /** The names BFD marks as debugging information. */
    private static boolean isDebugging(String name) {
        return name.startsWith(".debug") || name.startsWith(".zdebug") || name.startsWith(".gnu.debuglto_.debug_")
                || name.startsWith(".gnu.linkonce.wi.") || name.startsWith(".line") || name.startsWith(".stab");
    }

    private boolean hasRelocations(Section s) {
        int index = elf.indexOf(s);
        for (Section r : elf.sections) if (r.type == Elf.SHT_REL && r.info == index && !r.relocations.isEmpty()) return true;
        return false;
    }

    void symbolTable() {
        out.println("SYMBOL TABLE:");
        for (int i = 1; i < elf.symbols.size(); i++) {
            Symbol s = elf.symbols.get(i);
            if (only != null && !only.contains(sectionName(s))) continue;
            char bind = s.bind() == Elf.STB_LOCAL ? 'l' : s.bind() == Elf.STB_GLOBAL ? 'g' : ' ';
            if (s.shndx == Elf.SHN_UNDEF || s.shndx == Elf.SHN_COMMON) bind = ' ';
            char weak = s.bind() == Elf.STB_WEAK ? 'w' : ' ';
            char debug = s.type() == Elf.STT_SECTION || s.type() == Elf.STT_FILE ? 'd' : ' ';
            char type = switch (s.type()) {
                case Elf.STT_FUNC -> 'F';
                case Elf.STT_FILE -> 'f';
                case Elf.STT_OBJECT -> 'O';
                default -> ' ';
            };
            String name = s.type() == Elf.STT_SECTION && s.name.isEmpty() ? sectionName(s) : s.name;
            // a common symbol's st_value is its alignment: BFD shows its size as the value and the alignment as the size
            out.printf("%08x %c%c   %c%c %s\t%08x %s%n", s.shndx == Elf.SHN_COMMON ? s.size : s.value, bind, weak, debug, type, sectionName(s),
                    s.shndx == Elf.SHN_COMMON ? s.value : s.size, name);
        }
        out.println();
        out.println();
    }

    private String sectionName(Symbol s) {
        if (s.shndx == Elf.SHN_UNDEF) return "*UND*";
        if (s.shndx == Elf.SHN_ABS) return "*ABS*";
        if (s.shndx == Elf.SHN_COMMON) return "*COM*";
        return s.shndx < elf.sections.size() ? elf.sections.get(s.shndx).name : "*BAD*";
    }

    void relocations() {
        for (Section r : elf.sections) {
            if (r.type != Elf.SHT_REL || r.info >= elf.sections.size()) continue;
            Section target = elf.sections.get(r.info);
            if (only != null && !only.contains(target.name)) continue;
            out.printf("RELOCATION RECORDS FOR [%s]:%n", target.name);
            out.println("OFFSET   TYPE              VALUE");
            for (Relocation rel : r.relocations) {
                Symbol s = elf.symbols.get(rel.symbol);
                String value = s.type() == Elf.STT_SECTION ? sectionName(s) : s.name;
                out.printf("%08x %-17s %s%n", rel.offset, RelocationNames.of(rel.type), value);
            }
            out.println();
            out.println();
        }
    }

    /** -s, limited to [startAddress, stopAddress) when they are given. */
    void contents(Long startAddress, Long stopAddress) {
        for (Section s : shown()) {
            if (s.type == Elf.SHT_NOBITS || s.size == 0) continue;
            int start = elf.type == Elf.ET_REL ? 0 : s.addr;
            long vma = Integer.toUnsignedLong(start), from = 0, to = Integer.toUnsignedLong(s.size);
            if (startAddress != null && startAddress > vma) from = startAddress - vma;
            if (stopAddress != null) to = Math.min(to, Math.max(0, stopAddress - vma));
            if (from >= to) continue;
            out.printf("Contents of section %s:%n", s.name);
            int width = Math.max(4, Long.toHexString(Integer.toUnsignedLong(start) + s.size - 1).length());
            StringBuilder line = new StringBuilder(80), text = new StringBuilder(16);
            for (int off = (int) from; off < to; off += 16) {
                line.setLength(0);
                text.setLength(0);
                HexColumns.padded(line.append(' '), start + off, width, '0').append(' ');
                for (int j = off; j < off + 16; j++) {          // groups of four by section offset, as objdump
                    if (j < to) {
                        int b = s.data[j] & 0xff;
                        HexColumns.byteHex(line, b);
                        text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                    } else {
                        line.append("  ");
                        text.append(' ');
                    }
                    if ((j & 3) == 3) line.append(' ');
                }
                out.append(line).append(' ').append(text).append(System.lineSeparator());
            }
        }
    }

    void disassembly(DisassemblyPrinter.Options options, SourceAnnotator source) {
        new DisassemblyPrinter(elf, out, only, options, source).print();
    }
}

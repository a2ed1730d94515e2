package dev.fixup.cli;

import dev.fixup.elf.AddressSymbolizer;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ExTable;
import dev.fixup.elf.ExTable.Format;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code objdump --extable}: the exception table, one entry per line, symbolized.
 *
 * <p>Two formats. Linux 2.4 (and Fixup): 8-byte {@code {insn, fixup}} absolute addresses, R_386_32
 * relocations in an object. Linux 4.6 and later: 12-byte {@code {s32 insn - ., s32 fixup - ., u32 data}},
 * R_386_PC32 relocations, data holding the handler type (EX_TYPE_*), a register, flags and an
 * immediate. In a relocatable object (a module, a .ko) the words are decoded through their
 * relocations, as {@code .text+0x16}; in an executable they are final addresses. The check mode
 * reports what the kernel's check_extable.sh would: entries outside executable sections, an
 * unsorted table, duplicates.
 */
final class ExTablePrinter {
    static final String SECTION = "__ex_table";

    /** The --extable-format value: a layout, or null for "auto" (told apart by the relocations). */
    static Format parseFormat(String s) {
        return switch (s) {
            case "2.4" -> Format.LINUX24;
            case "relative" -> Format.RELATIVE;
            case "auto" -> null;
            default -> throw new ToolException("unknown --extable-format '" + s + "' (2.4, relative or auto)");
        };
    }

    /** One decoded field: where it points (section index and offset in an object, an address in an executable). */
    private record Target(int section, long value, String text) {}

    private final ElfFile elf;
    private final PrintWriter out;
    private final AddressSymbolizer symbolizer;
    private final Format forced;
    private final boolean check;

    ExTablePrinter(ElfFile elf, PrintWriter out) { this(elf, out, null, false); }

    ExTablePrinter(ElfFile elf, PrintWriter out, Format forced, boolean check) {
        this.elf = elf;
        this.out = out;
        this.symbolizer = new AddressSymbolizer(elf);
        this.forced = forced;
        this.check = check;
    }

    /** Prints the table; the number of problems the check mode found (0 without it). */
    int print() {
        Section table = elf.section(SECTION);
        if (table == null) {
            out.println("no " + SECTION + " section");
            return 0;
        }
        boolean relocatable = elf.type == Elf.ET_REL;
        Map<Integer, Relocation> relocs = relocatable ? relocationsByOffset(table) : Map.of();
        Format format = forced != null ? forced : detect(table, relocs);
        int count = table.size / format.entrySize;
        out.printf("%s: %d entries, %d bytes at 0x%08x, format %s%s%n", SECTION, count, table.size, table.addr,
                format == Format.LINUX24 ? "2.4 {insn, fixup}" : "relative {insn - ., fixup - ., data}",
                table.size % format.entrySize == 0 ? "" : " (size is not a multiple of " + format.entrySize + "!)");
        List<Target> insns = new ArrayList<>();
        List<Target> fixups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int off = i * format.entrySize;
            Target insn = field(table, relocs, off, format), fixup = field(table, relocs, off + 4, format);
            insns.add(insn);
            fixups.add(fixup);
            String type = format == Format.RELATIVE ? "  " + ExTable.typeName(word(table, off + 8)) : "";
            out.printf("  insn %s -> fixup %s%s%n", insn.text, fixup.text, type);
        }
        boolean sorted = isSorted(insns, relocatable);
        if (relocatable) out.println("relocatable object: the linker or the module loader sorts the table");
        else out.println(sorted ? "sorted: yes" : "sorted: NO (search_exception_table would miss entries)");
        return check ? check(insns, fixups, sorted || relocatable) : 0;
    }

    /** The relocations tell the formats apart: PC32 is the relative one; without any, the entry size decides. */
    private static Format detect(Section table, Map<Integer, Relocation> relocs) {
        for (Relocation r : relocs.values()) {
            if (r.type == Elf.R_386_PC32) return Format.RELATIVE;
            if (r.type == Elf.R_386_32) return Format.LINUX24;
        }
        return table.size % 8 != 0 && table.size % 12 == 0 ? Format.RELATIVE : Format.LINUX24;
    }

    private Target field(Section table, Map<Integer, Relocation> relocs, int off, Format format) {
        int word = word(table, off);
        if (elf.type != Elf.ET_REL) {
            int address = format == Format.RELATIVE ? table.addr + off + word : word;
            return new Target(symbolizer.sectionAt(address), Integer.toUnsignedLong(address),
                    String.format("%08x <%s>", address, orUnknown(symbolizer.name(address))));
        }
        Relocation rel = relocs.get(off);
        if (rel == null) return new Target(-1, word, String.format("%08x <absolute>", word));
        // REL keeps the addend in place: R_386_32 gives S + A, R_386_PC32 gives S + A - P for a field
        // whose value is target - P, so in both formats the target is the symbol plus the addend.
        Symbol s = elf.symbols.get(rel.symbol);
        if (s.shndx == Elf.SHN_UNDEF || s.shndx >= Elf.SHN_ABS) {
            return new Target(-1, word, word == 0 ? s.name : s.name + "+0x" + Integer.toHexString(word));
        }
        int value = (s.type() == Elf.STT_SECTION ? 0 : s.value) + word;
        String sec = elf.sections.get(s.shndx).name;
        return new Target(s.shndx, Integer.toUnsignedLong(value),
                String.format("%s+0x%x <%s>", sec, value, orUnknown(symbolizer.name(s.shndx, value))));
    }

    private static String orUnknown(String name) { return name == null ? "?" : name; }

    /** An executable's table is sorted by address; an object's only within each section (the link decides the rest). */
    private static boolean isSorted(List<Target> insns, boolean relocatable) {
        for (int i = 1; i < insns.size(); i++) {
            Target a = insns.get(i - 1), b = insns.get(i);
            if ((!relocatable || a.section == b.section) && a.value > b.value) return false;
        }
        return true;
    }

    /** check_extable.sh's questions: executable targets, sorted, no insn listed twice. */
    private int check(List<Target> insns, List<Target> fixups, boolean sorted) {
        int problems = 0;
        for (int i = 0; i < insns.size(); i++) {
            for (Target t : List.of(insns.get(i), fixups.get(i))) {
                if (!executable(t)) {
                    out.printf("check: entry %d: %s is not in an executable section%n", i, t.text);
                    problems++;
                }
            }
        }
        if (!sorted) {
            out.println("check: the table is not sorted by insn");
            problems++;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < insns.size(); i++) {
            Integer first = seen.putIfAbsent(insns.get(i).section + ":" + insns.get(i).value, i);
            if (first != null) {
                out.printf("check: entries %d and %d both list insn %s%n", first, i, insns.get(i).text);
                problems++;
            }
        }
        out.println(problems == 0 ? "check: ok" : "check: " + problems + " problem" + (problems == 1 ? "" : "s"));
        return problems;
    }

    private boolean executable(Target t) {
        if (t.section <= 0 || t.section >= elf.sections.size()) return false;
        Section s = elf.sections.get(t.section);
        return (s.flags & Elf.SHF_EXECINSTR) != 0;
    }

    private Map<Integer, Relocation> relocationsByOffset(Section table) {
        Map<Integer, Relocation> byOffset = new HashMap<>();
        int index = elf.indexOf(table);
        for (Section r : elf.sections) {
            if (r.type != Elf.SHT_REL || r.info != index) continue;
            for (Relocation rel : r.relocations) if (rel.offset >= 0 && rel.offset < table.size) byOffset.put(rel.offset, rel);
        }
        return byOffset;
    }

    private static int word(Section s, int off) {
        byte[] d = s.data;
        if (off + 4 > d.length) return 0;
        return (d[off] & 0xff) | (d[off + 1] & 0xff) << 8 | (d[off + 2] & 0xff) << 16 | (d[off + 3] & 0xff) << 24;
    }
}

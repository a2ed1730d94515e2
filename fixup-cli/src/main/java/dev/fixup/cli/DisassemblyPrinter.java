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

/** {@code objdump -d}: each executable section decoded with the shared instruction table, objdump's layout. */
final class DisassemblyPrinter {
    private static final int BYTES_PER_LINE = 7;

    private final ElfFile elf;
    private final PrintWriter out;
    private final List<String> only;
    private final AddressSymbolizer symbolizer;
    private final boolean inlineRelocations;

    /** With {@code inlineRelocations} (objdump -dr) each relocation follows the instruction it patches. */
    DisassemblyPrinter(ElfFile elf, PrintWriter out, List<String> only, boolean inlineRelocations) {
        this.elf = elf;
        this.inlineRelocations = inlineRelocations;
        this.out = out;
        this.only = only;
        this.symbolizer = new AddressSymbolizer(elf);
    }

    void print() {
        for (int i = 1; i < elf.sections.size(); i++) {
            Section s = elf.sections.get(i);
            if ((s.flags & Elf.SHF_EXECINSTR) == 0 || s.data == null || s.size == 0) continue;
            if (only != null && !only.contains(s.name)) continue;
            out.printf("%nDisassembly of section %s:%n", s.name);
            section(i, s);
        }
    }

    /** Decodes each run between two labels on its own, as objdump restarts decoding at every symbol. */
    private void section(int index, Section s) {
        boolean rel = elf.type == Elf.ET_REL;
        int base = rel ? 0 : s.addr;
        int width = addressWidth(s.addr, s.size);
        TreeMap<Integer, String> labels = labels(index);
        TreeMap<Integer, Relocation> allRelocs = relocations(index);
        TreeMap<Integer, Relocation> relocs = inlineRelocations ? allRelocs : new TreeMap<>();
        labels.putIfAbsent(0, s.name);
        for (var label : labels.subMap(0, true, s.size, false).entrySet()) {
            int from = label.getKey();
            Integer next = labels.higherKey(from);
            int to = next == null || next > s.size ? s.size : next;
            out.printf("%n%08x <%s>:%n", base + from, label.getValue());
            for (Disassembler.Line line : Disassembler.disassemble(s.data, from, to - from, base + from, true,
                    a -> target(index, a, rel))) {
                int off = line.address() - base;
                String text = rel ? relocatedText(s, index, line, allRelocs) : line.text();
                for (int k = 0; k < line.length(); k += BYTES_PER_LINE) {
                    StringBuilder hex = new StringBuilder();
                    for (int b = k; b < Math.min(line.length(), k + BYTES_PER_LINE); b++)
                        hex.append(String.format("%02x ", s.data[off + b] & 0xff));
                    if (k == 0) out.printf("%" + width + "x:\t%-21s\t%s%n", line.address(), hex, text);
                    else out.printf("%" + width + "x:\t%s%n", line.address() + k, hex.toString().stripTrailing());
                }
                for (Relocation r : relocs.subMap(off, off + line.length()).values()) {
                    Symbol sym = elf.symbols.get(r.symbol);
                    String name = sym.type() == Elf.STT_SECTION ? elf.sections.get(sym.shndx).name : sym.name;
                    out.printf("\t\t\t%x: %s\t%s%n", base + r.offset, RelocationNames.of(r.type), name);
                }
            }
        }
    }

    /**
     * objdump names a branch target through the relocation that patches the instruction, when its
     * symbol is defined: in an object, `jmp 2b` from .fixup lands in .text, not in .fixup.
     */
    private String relocatedText(Section s, int index, Disassembler.Line line, TreeMap<Integer, Relocation> relocs) {
        for (Relocation r : relocs.subMap(line.address(), line.address() + line.length()).values()) {
            Symbol sym = elf.symbols.get(r.symbol);
            if (sym.shndx == Elf.SHN_UNDEF || sym.shndx >= elf.sections.size() || sym.shndx == index) continue;
            return Disassembler.disassemble(s.data, line.address(), line.length(), line.address(), true,
                    a -> target(sym.shndx, a, true)).get(0).text();
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
        String name = rel ? symbolizer.name(section, address) : symbolizer.name(address);
        return name == null ? null : "<" + name + ">";
    }

    /** Section offset -> the name objdump prints there (its preferred symbol at that address). */
    private TreeMap<Integer, String> labels(int section) {
        TreeMap<Integer, String> labels = new TreeMap<>();
        int base = elf.type == Elf.ET_REL ? 0 : elf.sections.get(section).addr;
        for (Symbol s : elf.symbols) {
            if (s.shndx != section || s.name.isEmpty() || s.type() == Elf.STT_SECTION || s.name.startsWith(".L")) continue;
            labels.put(s.value - base, symbolizer.name(section, s.value));
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

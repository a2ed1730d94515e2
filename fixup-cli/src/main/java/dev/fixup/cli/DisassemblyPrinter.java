package dev.fixup.cli;

import dev.fixup.elf.AddressSymbolizer;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import dev.fixup.x86.Decoder;
import dev.fixup.x86.Disassembler;
import dev.fixup.x86.Insn;
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

    DisassemblyPrinter(ElfFile elf, PrintWriter out, List<String> only) {
        this.elf = elf;
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

    private void section(int index, Section s) {
        boolean rel = elf.type == Elf.ET_REL;
        int base = rel ? 0 : s.addr;
        TreeMap<Integer, String> labels = labels(index);
        TreeMap<Integer, Relocation> relocs = relocations(index);
        if (!labels.containsKey(0)) labels.put(0, s.name);
        Insn in = new Insn();
        int off = 0;
        while (off < s.size) {
            String label = labels.get(off);
            if (label != null) out.printf("%n%08x <%s>:%n", base + off, label);
            final int start = off;
            Decoder.decode(a -> {
                int o = a - base;
                return o >= 0 && o < s.size ? s.data[o] & 0xff : 0;
            }, base + off, true, in);
            int length = Math.max(1, Math.min(in.length, s.size - off));
            String text = Disassembler.format(in, base + off, a -> target(index, a, rel));
            for (int line = 0; line * BYTES_PER_LINE < length; line++) {
                StringBuilder hex = new StringBuilder();
                for (int k = line * BYTES_PER_LINE; k < Math.min(length, (line + 1) * BYTES_PER_LINE); k++)
                    hex.append(String.format("%02x ", s.data[start + k] & 0xff));
                if (line == 0) out.printf("%8x:\t%-21s\t%s%n", base + start, hex, text);
                else out.printf("%8x:\t%s%n", base + start + line * BYTES_PER_LINE, hex.toString().stripTrailing());
            }
            for (var r : relocs.subMap(start, start + length).values()) {
                Symbol sym = elf.symbols.get(r.symbol);
                String name = sym.type() == Elf.STT_SECTION ? elf.sections.get(sym.shndx).name : sym.name;
                out.printf("\t\t\t%x: %s\t%s%n", base + r.offset, RelocationNames.of(r.type), name);
            }
            off += length;
        }
    }

    private String target(int section, int address, boolean rel) {
        String name = rel ? symbolizer.name(section, address) : symbolizer.name(address);
        return name == null ? null : "<" + name + ">";
    }

    private TreeMap<Integer, String> labels(int section) {
        TreeMap<Integer, String> labels = new TreeMap<>();
        int base = elf.type == Elf.ET_REL ? 0 : elf.sections.get(section).addr;
        for (Symbol s : elf.symbols) {
            if (s.shndx != section || s.name.isEmpty() || s.type() == Elf.STT_SECTION || s.name.startsWith(".L")) continue;
            labels.merge(s.value - base, s.name, (a, b) -> a);
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

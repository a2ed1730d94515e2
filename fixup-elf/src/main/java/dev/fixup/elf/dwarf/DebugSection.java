package dev.fixup.elf.dwarf;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

/**
 * A debugging section's bytes as a debugger reads them: in a relocatable object its R_386_32
 * relocations are applied (the addend is in place), a symbol's section counting at the address
 * {@link SectionPlacement} gives it, so that addresses in different sections differ.
 */
public final class DebugSection {
    final String name;
    final byte[] data;

    private DebugSection(String name, byte[] data) {
        this.name = name;
        this.data = data;
    }

    /** The named section of elf with its relocations applied, or null if the file has none with data. */
    static DebugSection of(ElfFile elf, String name, long[] placement) {
        Section s = elf.section(name);
        if (s == null || s.type == Elf.SHT_NOBITS || s.data == null) return null;
        DebugSection d = new DebugSection(name, s.data.clone());
        if (elf.type == Elf.ET_REL) d.relocate(elf, elf.indexOf(s), placement);
        return d;
    }

    private void relocate(ElfFile elf, int index, long[] placement) {
        for (Section r : elf.sections) {
            if (r.type != Elf.SHT_REL || r.info != index) continue;
            for (Relocation rel : r.relocations) {
                if (rel.type != Elf.R_386_32) continue;
                if (rel.offset < 0 || rel.offset > data.length - 4)
                    throw new DwarfFormatException(r.name + ": relocation offset 0x" + Integer.toHexString(rel.offset)
                            + " is outside " + name + " (" + data.length + " bytes)");
                if (rel.symbol < 0 || rel.symbol >= elf.symbols.size())
                    throw new DwarfFormatException(r.name + ": relocation symbol index " + rel.symbol + " is out of range");
                Symbol sym = elf.symbols.get(rel.symbol);
                long section = sym.shndx > 0 && sym.shndx < placement.length ? placement[sym.shndx] : 0;
                writeWord(rel.offset, (int) (readWord(rel.offset) + sym.value + section));
            }
        }
    }

    private int readWord(int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24;
    }

    private void writeWord(int at, int v) {
        data[at] = (byte) v;
        data[at + 1] = (byte) (v >> 8);
        data[at + 2] = (byte) (v >> 16);
        data[at + 3] = (byte) (v >> 24);
    }

    /** A NUL-terminated string at an offset (DW_FORM_strp, DW_FORM_line_strp). */
    String string(long offset, String field) {
        if (offset < 0 || offset >= data.length)
            throw new DwarfFormatException(field + ": offset 0x" + Long.toHexString(offset) + " is outside " + name
                    + " (" + data.length + " bytes)");
        DwarfCursor c = new DwarfCursor(this, (int) offset);
        return c.cstring(field);
    }
}

package dev.fixup.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * An ELF32 little-endian file held in memory: header fields, sections (index 0 is the null
 * section), program headers. Symbol and relocation tables are kept decoded beside their sections:
 * {@link #symbols} mirrors the SHT_SYMTAB section, and each SHT_REL section carries its
 * {@link Section#relocations}. {@link ElfWriter} regenerates the bytes of SYMTAB, STRTAB and REL
 * sections from that decoded form; {@link ElfReader} fills both forms.
 */
public final class ElfFile {
    public int type = Elf.ET_REL;
    public int machine = Elf.EM_386;
    public int entry;
    public int flags;
    /** e_ident[EI_OSABI]: 0 (System V), or 3 (GNU) when the file uses GNU extensions such as IFUNC symbols. */
    public int osabi;
    public final List<Section> sections = new ArrayList<>();
    /** Index 0 is the null symbol. Locals come first, as the gABI requires. */
    public final List<Symbol> symbols = new ArrayList<>();
    public final List<Segment> segments = new ArrayList<>();

    public ElfFile() {
        sections.add(new Section("", Elf.SHT_NULL, 0));
        symbols.add(new Symbol("", 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_NOTYPE), Elf.SHN_UNDEF));
    }

    /** The first section with this name, or null. */
    public Section section(String name) {
        for (Section s : sections) if (s.name.equals(name)) return s;
        return null;
    }

    public int indexOf(Section s) { return sections.indexOf(s); }

    /** The first symbol with this name (skipping the null symbol), or null. */
    public Symbol symbol(String name) {
        for (int i = 1; i < symbols.size(); i++) if (symbols.get(i).name.equals(name)) return symbols.get(i);
        return null;
    }
}

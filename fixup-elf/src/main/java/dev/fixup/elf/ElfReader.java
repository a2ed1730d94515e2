package dev.fixup.elf;

import java.nio.charset.StandardCharsets;

/**
 * Decodes an ELF32 little-endian i386 file. Every offset, size, count and index is checked against
 * the file before it is used, so a malformed file yields an {@link ElfFormatException} naming the
 * field and never an array-index or arithmetic exception.
 */
public final class ElfReader {
    private final byte[] b;
    private final ElfFile f = new ElfFile();
    private int shnum;
    private long[] shOffset, shSize;
    private int[] shNameOff;

    private ElfReader(byte[] bytes) { this.b = bytes; }

    public static ElfFile read(byte[] bytes) throws ElfFormatException {
        if (bytes == null) throw new ElfFormatException("file: no data");
        return new ElfReader(bytes).parse();
    }

    private ElfFile parse() throws ElfFormatException {
        if (b.length < Elf.EHDR_SIZE)
            throw new ElfFormatException("ELF header: file is truncated (" + b.length + " bytes, the header needs 52)");
        if (!Elf.hasMagic(b))
            throw new ElfFormatException("e_ident: bad magic (not an ELF file)");
        if (b[4] != 1) throw new ElfFormatException("e_ident[EI_CLASS]: " + (b[4] & 0xff) + " is not ELFCLASS32 (1)");
        if (b[5] != 1) throw new ElfFormatException("e_ident[EI_DATA]: " + (b[5] & 0xff) + " is not ELFDATA2LSB (1)");
        if (b[6] != 1) throw new ElfFormatException("e_ident[EI_VERSION]: " + (b[6] & 0xff) + " is not EV_CURRENT (1)");
        f.type = u16(16);
        f.osabi = b[7] & 0xff;
        f.machine = u16(18);
        if (f.machine != Elf.EM_386) throw new ElfFormatException("e_machine: " + f.machine + " is not EM_386 (3)");
        f.entry = s32(24);
        long phoff = u32(28), shoff = u32(32);
        f.flags = s32(36);
        int phentsize = u16(42), phnum = u16(44), shentsize = u16(46);
        shnum = u16(48);
        int shstrndx = u16(50);

        readProgramHeaders(phoff, phentsize, phnum);
        if (shnum == 0) {
            if (shoff != 0 && shoff < b.length && shoff + Elf.SHDR_SIZE <= b.length && u32((int) shoff + 20) != 0)
                throw new ElfFormatException("e_shnum: 0 with extended section numbering is not supported");
            return f;
        }
        checkHeaderTable("e_shentsize", shentsize, Elf.SHDR_SIZE, "e_shoff", shoff, shnum, "section headers");
        if (shstrndx >= shnum && shstrndx != Elf.SHN_UNDEF)
            throw new ElfFormatException("e_shstrndx: " + shstrndx + " is not a section index (e_shnum " + shnum + ")");
        readSectionHeaders((int) shoff);
        if (shstrndx != Elf.SHN_UNDEF) {
            Section strs = f.sections.get(shstrndx);
            if (strs.type != Elf.SHT_STRTAB)
                throw new ElfFormatException("e_shstrndx: section " + shstrndx + " is not a string table (type " + strs.type + ")");
            for (int i = 0; i < shnum; i++)
                f.sections.get(i).name = string(strs.data, shNameOff[i], "sh_name of section " + i);
        } else {
            for (int i = 0; i < shnum; i++)
                if (shNameOff[i] != 0)
                    throw new ElfFormatException("sh_name of section " + i + ": no section name table (e_shstrndx 0)");
        }
        checkLinks();
        readSymbols();
        readRelocations();
        return f;
    }

    private void readProgramHeaders(long phoff, int phentsize, int phnum) throws ElfFormatException {
        if (phnum == 0) return;
        checkHeaderTable("e_phentsize", phentsize, Elf.PHDR_SIZE, "e_phoff", phoff, phnum, "program headers");
        for (int i = 0; i < phnum; i++) {
            int p = (int) phoff + i * Elf.PHDR_SIZE;
            Segment s = new Segment();
            s.type = s32(p);
            s.offset = s32(p + 4);
            s.vaddr = s32(p + 8);
            s.paddr = s32(p + 12);
            s.filesz = s32(p + 16);
            s.memsz = s32(p + 20);
            s.flags = s32(p + 24);
            s.align = s32(p + 28);
            checkInFile("p_offset/p_filesz of program header " + i,
                    Integer.toUnsignedLong(s.offset), Integer.toUnsignedLong(s.filesz));
            if (s.type == Elf.PT_LOAD && Integer.compareUnsigned(s.filesz, s.memsz) > 0)
                throw new ElfFormatException("p_filesz of program header " + i + ": " + hex(s.filesz)
                        + " exceeds p_memsz " + hex(s.memsz));
            f.segments.add(s);
        }
    }

    private void readSectionHeaders(int shoff) throws ElfFormatException {
        f.sections.clear();
        shOffset = new long[shnum];
        shSize = new long[shnum];
        shNameOff = new int[shnum];
        for (int i = 0; i < shnum; i++) {
            int p = shoff + i * Elf.SHDR_SIZE;
            Section s = new Section("", s32(p + 4), s32(p + 8));
            shNameOff[i] = s32(p);
            s.addr = s32(p + 12);
            s.offset = s32(p + 16);
            s.size = s32(p + 20);
            s.link = s32(p + 24);
            s.info = s32(p + 28);
            s.addralign = s32(p + 32);
            s.entsize = s32(p + 36);
            shOffset[i] = u32(p + 16);
            shSize[i] = u32(p + 20);
            if (s.type == Elf.SHT_NOBITS || s.type == Elf.SHT_NULL) {
                s.data = s.type == Elf.SHT_NULL ? new byte[0] : null;
            } else {
                checkInFile("sh_offset/sh_size of section " + i, shOffset[i], shSize[i]);
                s.data = new byte[(int) shSize[i]];
                System.arraycopy(b, (int) shOffset[i], s.data, 0, s.data.length);
            }
            f.sections.add(s);
        }
    }

    /** A header table (program or section headers): entries of the size ELF32 defines, all within the file. */
    private void checkHeaderTable(String sizeField, int entsize, int expectedSize, String offField, long off, int count,
                                  String what) throws ElfFormatException {
        if (entsize != expectedSize)
            throw new ElfFormatException(sizeField + ": " + entsize + " is not " + expectedSize);
        if (off + (long) count * expectedSize > b.length)
            throw new ElfFormatException(offField + ": " + count + " " + what + " at " + hex(off)
                    + " do not fit in the file (" + b.length + " bytes)");
    }

    /** The bytes a segment or a section claims, [off, off + size), lie within the file. */
    private void checkInFile(String fields, long off, long size) throws ElfFormatException {
        if (off + size > b.length)
            throw new ElfFormatException(fields + ": " + hex(off) + "+" + hex(size)
                    + " is past the end of the file (" + b.length + " bytes)");
    }

    private void checkLinks() throws ElfFormatException {
        for (int i = 1; i < shnum; i++) {
            Section s = f.sections.get(i);
            if (s.type == Elf.SHT_SYMTAB || s.type == Elf.SHT_DYNSYM) {
                Section str = linked(s, i, Elf.SHT_STRTAB, "a string table");
                if (str == null) throw new ElfFormatException("sh_link of section " + i + " (" + s.name + "): no string table");
                if (s.size % Elf.SYM_SIZE != 0)
                    throw new ElfFormatException("sh_size of section " + i + " (" + s.name + "): " + s.size
                            + " is not a multiple of the symbol size 16");
            } else if (s.type == Elf.SHT_REL) {
                Section sym = linked(s, i, -1, null);
                if (sym == null || (sym.type != Elf.SHT_SYMTAB && sym.type != Elf.SHT_DYNSYM))
                    throw new ElfFormatException("sh_link of section " + i + " (" + s.name + "): " + s.link
                            + " is not a symbol table");
                if (Integer.toUnsignedLong(s.info) >= shnum)
                    throw new ElfFormatException("sh_info of section " + i + " (" + s.name + "): " + Integer.toUnsignedString(s.info)
                            + " is not a section index (e_shnum " + shnum + ")");
                if (s.size % Elf.REL_SIZE != 0)
                    throw new ElfFormatException("sh_size of section " + i + " (" + s.name + "): " + s.size
                            + " is not a multiple of the relocation size 8");
            }
        }
    }

    /** The section named by sh_link, checked to be an index and (when wantType >= 0) of that type. */
    private Section linked(Section s, int i, int wantType, String what) throws ElfFormatException {
        if (Integer.toUnsignedLong(s.link) >= shnum || s.link == 0)
            throw new ElfFormatException("sh_link of section " + i + " (" + s.name + "): " + Integer.toUnsignedString(s.link)
                    + " is not a section index (e_shnum " + shnum + ")");
        Section t = f.sections.get(s.link);
        if (wantType >= 0 && t.type != wantType)
            throw new ElfFormatException("sh_link of section " + i + " (" + s.name + "): section " + s.link + " is not " + what);
        return t;
    }

    private int symtabIndex = -1;

    private void readSymbols() throws ElfFormatException {
        for (int i = 1; i < shnum; i++) {
            if (f.sections.get(i).type != Elf.SHT_SYMTAB) continue;
            if (symtabIndex >= 0) throw new ElfFormatException("section " + i + ": more than one SHT_SYMTAB section");
            symtabIndex = i;
        }
        if (symtabIndex < 0) return;
        Section st = f.sections.get(symtabIndex);
        byte[] strs = f.sections.get(st.link).data;
        int n = st.data.length / Elf.SYM_SIZE;
        f.symbols.clear();
        for (int k = 0; k < n; k++) {
            int p = k * Elf.SYM_SIZE;
            byte[] d = st.data;
            int nameOff = le32(d, p);
            String field = "symbol " + k;
            String name = string(strs, nameOff, "st_name of " + field);
            Symbol sym = new Symbol(name, le32(d, p + 4), le32(d, p + 8), d[p + 12] & 0xff, le16(d, p + 14));
            sym.other = d[p + 13] & 0xff;
            if (sym.shndx >= shnum && (sym.shndx < 0xff00 || sym.shndx == 0xffff))
                throw new ElfFormatException("st_shndx of " + field + " (" + name + "): " + sym.shndx
                        + " is not a section index (e_shnum " + shnum + ")");
            f.symbols.add(sym);
        }
        if (f.symbols.isEmpty())
            f.symbols.add(new Symbol("", 0, 0, 0, Elf.SHN_UNDEF));
    }

    private void readRelocations() throws ElfFormatException {
        for (int i = 1; i < shnum; i++) {
            Section s = f.sections.get(i);
            if (s.type != Elf.SHT_REL) continue;
            int symCount = s.link == symtabIndex ? f.symbols.size()
                    : f.sections.get(s.link).data == null ? 0 : f.sections.get(s.link).data.length / Elf.SYM_SIZE;
            Section target = f.sections.get(s.info);
            for (int k = 0; k < s.data.length / Elf.REL_SIZE; k++) {
                int off = le32(s.data, k * 8), info = le32(s.data, k * 8 + 4);
                int sym = info >>> 8, type = info & 0xff;
                if (sym >= symCount)
                    throw new ElfFormatException("r_info of relocation " + k + " in section " + i + " (" + s.name
                            + "): symbol index " + sym + " is out of range (" + symCount + " symbols)");
                if (f.type == Elf.ET_REL && s.info != 0) {
                    long width = switch (type) { case Elf.R_386_16, Elf.R_386_PC16 -> 2; case Elf.R_386_8, Elf.R_386_PC8 -> 1;
                        case Elf.R_386_NONE -> 0; default -> 4; };
                    if (Integer.toUnsignedLong(off) + width > Integer.toUnsignedLong(target.size))
                        throw new ElfFormatException("r_offset of relocation " + k + " in section " + i + " (" + s.name
                                + "): " + hex(off) + " is outside section " + target.name + " (size " + hex(target.size) + ")");
                }
                s.relocations.add(new Relocation(off, type, sym));
            }
        }
    }

    private static String string(byte[] table, int off, String field) throws ElfFormatException {
        if (table == null || off < 0 || off >= table.length)
            throw new ElfFormatException(field + ": string offset " + Integer.toUnsignedString(off)
                    + " is outside the string table (" + (table == null ? 0 : table.length) + " bytes)");
        int end = off;
        while (end < table.length && table[end] != 0) end++;
        if (end == table.length)
            throw new ElfFormatException(field + ": string at offset " + off + " is not NUL-terminated");
        return new String(table, off, end - off, StandardCharsets.ISO_8859_1);
    }

    private int u16(int p) { return le16(b, p); }
    private int s32(int p) { return le32(b, p); }
    private long u32(int p) { return Integer.toUnsignedLong(le32(b, p)); }

    static int le16(byte[] d, int p) { return (d[p] & 0xff) | (d[p + 1] & 0xff) << 8; }
    static int le32(byte[] d, int p) {
        return (d[p] & 0xff) | (d[p + 1] & 0xff) << 8 | (d[p + 2] & 0xff) << 16 | (d[p + 3] & 0xff) << 24;
    }
    static String hex(long v) { return "0x" + Long.toHexString(v); }
    static String hex(int v) { return "0x" + Integer.toHexString(v); }
}

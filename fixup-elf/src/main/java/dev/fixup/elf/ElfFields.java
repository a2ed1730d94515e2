package dev.fixup.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each field of an ELF32 file's structures lies in its bytes: the ELF header, every program
 * and section header, every symbol and relocation entry, and the string tables. Found from the
 * headers alone and tolerant of damage (what cannot be located is left out), so that fuzzers can
 * change one field at a time and reach the code behind each check.
 */
public final class ElfFields {
    /** One field: a name for messages ("shdr[3].sh_size"), its file offset and width in bytes (1, 2 or 4). */
    public record Field(String name, int offset, int width) {}

    private static final String[] EHDR = {"e_type:16:2", "e_machine:18:2", "e_version:20:4", "e_entry:24:4", "e_phoff:28:4",
        "e_shoff:32:4", "e_flags:36:4", "e_ehsize:40:2", "e_phentsize:42:2", "e_phnum:44:2", "e_shentsize:46:2",
        "e_shnum:48:2", "e_shstrndx:50:2", "EI_CLASS:4:1", "EI_DATA:5:1", "EI_VERSION:6:1"};
    private static final String[] PHDR = {"p_type:0:4", "p_offset:4:4", "p_vaddr:8:4", "p_paddr:12:4", "p_filesz:16:4",
        "p_memsz:20:4", "p_flags:24:4", "p_align:28:4"};
    private static final String[] SHDR = {"sh_name:0:4", "sh_type:4:4", "sh_flags:8:4", "sh_addr:12:4", "sh_offset:16:4",
        "sh_size:20:4", "sh_link:24:4", "sh_info:28:4", "sh_addralign:32:4", "sh_entsize:36:4"};
    private static final String[] SYM = {"st_name:0:4", "st_value:4:4", "st_size:8:4", "st_info:12:1", "st_other:13:1", "st_shndx:14:2"};
    private static final String[] REL = {"r_offset:0:4", "r_info:4:4", "r_sym:5:3", "r_type:4:1"};

    private ElfFields() {}

    /** The fields of this file that lie inside it (none past the end when a header is damaged). */
    public static List<Field> of(byte[] b) {
        List<Field> out = new ArrayList<>();
        if (b.length < Elf.EHDR_SIZE) return out;
        add(out, b, "ehdr", 0, EHDR);
        long phoff = u32(b, 28), shoff = u32(b, 32);
        int phnum = ElfReader.le16(b, 44), shnum = ElfReader.le16(b, 48);
        for (int i = 0; i < phnum && phoff + (i + 1L) * Elf.PHDR_SIZE <= b.length; i++)
            add(out, b, "phdr[" + i + "]", (int) phoff + i * Elf.PHDR_SIZE, PHDR);
        for (int i = 0; i < shnum && shoff + (i + 1L) * Elf.SHDR_SIZE <= b.length; i++) {
            int h = (int) shoff + i * Elf.SHDR_SIZE;
            add(out, b, "shdr[" + i + "]", h, SHDR);
            int type = ElfReader.le32(b, h + 4);
            long off = u32(b, h + 16), size = u32(b, h + 20);
            if (off + size > b.length) continue;
            String[] entry = type == Elf.SHT_SYMTAB || type == Elf.SHT_DYNSYM ? SYM : type == Elf.SHT_REL ? REL : null;
            int entsize = entry == SYM ? Elf.SYM_SIZE : Elf.REL_SIZE;
            if (entry != null)
                for (long e = 0; e + entsize <= size && e < 64L * entsize; e += entsize)
                    add(out, b, "sec[" + i + "][" + e / entsize + "]", (int) (off + e), entry);
            else if (type == Elf.SHT_STRTAB)                 // a terminator or a name byte
                for (long k = 0; k < Math.min(size, 64); k++) out.add(new Field("strtab[" + i + "]+" + k, (int) (off + k), 1));
        }
        return out;
    }

    private static void add(List<Field> out, byte[] b, String prefix, int base, String[] fields) {
        for (String f : fields) {
            String[] p = f.split(":");
            int off = base + Integer.parseInt(p[1]), width = Integer.parseInt(p[2]);
            if (off + width <= b.length) out.add(new Field(prefix + "." + p[0], off, width));
        }
    }

    /** Stores value little-endian into the field (its low bytes when the field is narrower). */
    public static void set(byte[] b, Field f, int value) {
        for (int k = 0; k < f.width(); k++) b[f.offset() + k] = (byte) (value >>> (8 * k));
    }

    private static long u32(byte[] b, int p) { return Integer.toUnsignedLong(ElfReader.le32(b, p)); }
}

package dev.fixup.elf;

/** ELF32 constants used by Fixup (System V gABI and the i386 psABI). */
public final class Elf {
    private Elf() {}

    public static final int EHDR_SIZE = 52, SHDR_SIZE = 40, PHDR_SIZE = 32, SYM_SIZE = 16, REL_SIZE = 8;

    // e_type
    public static final int ET_REL = 1, ET_EXEC = 2, ET_DYN = 3;
    // e_machine
    public static final int EM_386 = 3;

    // sh_type
    public static final int SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4,
            SHT_HASH = 5, SHT_DYNAMIC = 6, SHT_NOTE = 7, SHT_NOBITS = 8, SHT_REL = 9, SHT_DYNSYM = 11,
            SHT_INIT_ARRAY = 14, SHT_FINI_ARRAY = 15, SHT_PREINIT_ARRAY = 16, SHT_GROUP = 17;
    // sh_flags
    public static final int SHF_WRITE = 0x1, SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_MERGE = 0x10,
            SHF_STRINGS = 0x20, SHF_INFO_LINK = 0x40, SHF_GROUP = 0x200, SHF_TLS = 0x400;
    // special section indexes
    public static final int SHN_UNDEF = 0, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2;

    // symbol binding and type
    public static final int STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
    public static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4;

    // p_type, p_flags
    public static final int PT_NULL = 0, PT_LOAD = 1, PT_NOTE = 4, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    // i386 relocation types
    public static final int R_386_NONE = 0, R_386_32 = 1, R_386_PC32 = 2, R_386_GOT32 = 3, R_386_PLT32 = 4,
            R_386_GOTOFF = 9, R_386_GOTPC = 10, R_386_16 = 20, R_386_PC16 = 21, R_386_8 = 22, R_386_PC8 = 23;

    /** True when the bytes start with the ELF identification: 0x7f 'E' 'L' 'F'. */
    public static boolean hasMagic(byte[] b) {
        return b.length >= 4 && (b[0] & 0xff) == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    public static int stInfo(int bind, int type) { return (bind << 4) | (type & 0xf); }
    public static int stBind(int info) { return (info >>> 4) & 0xf; }
    public static int stType(int info) { return info & 0xf; }
}

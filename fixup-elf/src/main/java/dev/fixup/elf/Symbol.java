package dev.fixup.elf;

/** One ELF32 symbol table entry. */
public final class Symbol {
    public String name;
    public int value;
    public int size;
    /** st_info: binding in the high nibble, type in the low one (see {@link Elf#stInfo}). */
    public int info;
    public int other;
    /** Section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
    public int shndx;

    public Symbol(String name, int value, int size, int info, int shndx) {
        this.name = name;
        this.value = value;
        this.size = size;
        this.info = info;
        this.shndx = shndx;
    }

    public int bind() { return Elf.stBind(info); }
    public int type() { return Elf.stType(info); }
    public boolean isDefined() { return shndx != Elf.SHN_UNDEF; }

    @Override public String toString() { return name; }
}

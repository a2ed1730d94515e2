package dev.fixup.elf;

/** One REL entry (i386 uses REL: the addend is in the patched bytes). */
public final class Relocation {
    public int offset;
    public int type;
    /** Index into {@link ElfFile#symbols}. */
    public int symbol;

    public Relocation(int offset, int type, int symbol) {
        this.offset = offset;
        this.type = type;
        this.symbol = symbol;
    }
}

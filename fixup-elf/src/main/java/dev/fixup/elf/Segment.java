package dev.fixup.elf;

/** One program header. */
public final class Segment {
    public int type = Elf.PT_LOAD;
    public int offset;
    public int vaddr;
    public int paddr;
    public int filesz;
    public int memsz;
    public int flags;
    public int align = 0x1000;
}

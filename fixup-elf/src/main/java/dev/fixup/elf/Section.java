package dev.fixup.elf;

import java.util.ArrayList;
import java.util.List;

/** One section header and its contents. NOBITS sections have {@code data == null} and a {@link #size}. */
public final class Section {
    public String name;
    public int type;
    public int flags;
    public int addr;
    /** File offset: set by the reader, computed by the writer. */
    public int offset;
    /** Size in bytes; for sections with data it equals {@code data.length}. */
    public int size;
    public int link;
    public int info;
    public int addralign = 1;
    public int entsize;
    public byte[] data = new byte[0];
    /** For SHT_REL sections: the decoded entries (the section that they patch is {@link #info}). */
    public final List<Relocation> relocations = new ArrayList<>();

    public Section(String name, int type, int flags) {
        this.name = name;
        this.type = type;
        this.flags = flags;
        if (type == Elf.SHT_NOBITS) data = null;
    }

    public boolean isAlloc() { return (flags & Elf.SHF_ALLOC) != 0; }

    public void setData(byte[] bytes) { data = bytes; size = bytes.length; }

    @Override public String toString() { return name; }
}

package dev.fixup.kernel;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Symbol;

/** The linked kernel, vmlinux: its ELF model and its file bytes. */
public final class KernelImage {
    public final ElfFile elf;
    public final byte[] bytes;

    public KernelImage(ElfFile elf, byte[] bytes) {
        this.elf = elf;
        this.bytes = bytes;
    }

    /** The address of a defined symbol; an error names it when the image lacks it. */
    public int symbol(String name) {
        Symbol s = elf.symbol(name);
        if (s == null || !s.isDefined()) throw new IllegalStateException("vmlinux has no symbol `" + name + "'");
        return s.value;
    }

    public boolean hasSymbol(String name) {
        Symbol s = elf.symbol(name);
        return s != null && s.isDefined();
    }
}

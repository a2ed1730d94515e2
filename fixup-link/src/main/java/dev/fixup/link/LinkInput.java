package dev.fixup.link;

import dev.fixup.elf.ElfFile;

/** One relocatable object given to the linker, with the name used in diagnostics (e.g. "efault.o"). */
public record LinkInput(String name, ElfFile file) {}

package dev.fixup.asm;

import dev.fixup.elf.Elf;

/** The type and flags GNU as gives a section from its name alone (ELF special sections). */
final class SectionDefaults {
    private SectionDefaults() {}

    /** {type, flags, 1 if these flags are kept when the source gives others}. */
    static int[] of(String name) {
        int ax = Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, aw = Elf.SHF_ALLOC | Elf.SHF_WRITE;
        if (is(name, ".text") || is(name, ".init") || is(name, ".fini")) return new int[] {Elf.SHT_PROGBITS, ax, 0};
        if (is(name, ".data") || is(name, ".data1")) return new int[] {Elf.SHT_PROGBITS, aw, 0};
        if (is(name, ".bss")) return new int[] {Elf.SHT_NOBITS, aw, 0};
        if (is(name, ".rodata") || is(name, ".rodata1")) return new int[] {Elf.SHT_PROGBITS, Elf.SHF_ALLOC, 0};
        if (is(name, ".tdata")) return new int[] {Elf.SHT_PROGBITS, aw | Elf.SHF_TLS, 0};
        if (is(name, ".tbss")) return new int[] {Elf.SHT_NOBITS, aw | Elf.SHF_TLS, 0};
        if (is(name, ".init_array")) return new int[] {Elf.SHT_INIT_ARRAY, aw, 0};
        if (is(name, ".fini_array")) return new int[] {Elf.SHT_FINI_ARRAY, aw, 0};
        if (is(name, ".preinit_array")) return new int[] {Elf.SHT_PREINIT_ARRAY, aw, 0};
        if (name.startsWith(".note")) return new int[] {Elf.SHT_NOTE, 0, 0};
        return new int[] {Elf.SHT_PROGBITS, 0, 0};
    }

    /** The name itself or a dotted variant of it (.text.unlikely). */
    private static boolean is(String name, String base) { return name.equals(base) || name.startsWith(base + "."); }
}

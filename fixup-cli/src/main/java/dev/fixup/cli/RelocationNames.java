package dev.fixup.cli;

import dev.fixup.elf.Elf;

/** i386 relocation type names as readelf and objdump print them. */
final class RelocationNames {
    private RelocationNames() {}

    static String of(int type) {
        return switch (type) {
            case Elf.R_386_NONE -> "R_386_NONE";
            case Elf.R_386_32 -> "R_386_32";
            case Elf.R_386_PC32 -> "R_386_PC32";
            case Elf.R_386_GOT32 -> "R_386_GOT32";
            case Elf.R_386_PLT32 -> "R_386_PLT32";
            case Elf.R_386_GOTOFF -> "R_386_GOTOFF";
            case Elf.R_386_GOTPC -> "R_386_GOTPC";
            case Elf.R_386_16 -> "R_386_16";
            case Elf.R_386_PC16 -> "R_386_PC16";
            case Elf.R_386_8 -> "R_386_8";
            case Elf.R_386_PC8 -> "R_386_PC8";
            default -> "R_386_" + type;
        };
    }
}

package dev.fixup.cli;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File input and output for the subcommands, with errors as {@link ToolException}s. */
final class Files {
    private Files() {}

    static byte[] read(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new ToolException("'" + p + "': No such file");
        } catch (IOException e) {
            throw new ToolException("'" + p + "': " + e.getMessage());
        }
    }

    static String readText(Path p) {
        return new String(read(p), java.nio.charset.StandardCharsets.UTF_8);
    }

    static void write(Path p, byte[] bytes) {
        try {
            java.nio.file.Files.write(p, bytes);
        } catch (IOException e) {
            throw new ToolException("cannot write '" + p + "': " + e.getMessage());
        }
    }

    /** Writes an executable and marks it executable for everyone who may read it, as GNU ld does. */
    static void writeExecutable(Path p, byte[] bytes) {
        write(p, bytes);
        p.toFile().setExecutable(true, false);
    }

    static ElfFile readElf(Path p) {
        try {
            return ElfReader.read(read(p));
        } catch (ElfFormatException e) {
            throw new ToolException(p + ": not a valid ELF32 i386 file: " + e.getMessage());
        }
    }
}

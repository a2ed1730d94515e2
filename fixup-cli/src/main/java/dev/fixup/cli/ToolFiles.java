package dev.fixup.cli;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** File input and output for the subcommands, with errors as {@link ToolException}s. */
final class ToolFiles {
    private ToolFiles() {}

    /** Larger than any ELF32 object or executable the tools meet (vmlinux is a few MB). */
    static final long MAX_BINARY = 256L << 20;

    /**
     * A binary input, read with a limit so that a special file, a FIFO or a huge file gives one
     * line instead of filling the heap (or waiting forever on a FIFO without a writer): only
     * ordinary files are read, as GNU objdump does, and never more than {@link #MAX_BINARY} bytes.
     */
    static byte[] read(Path p) {
        if (Files.isDirectory(p)) throw new ToolException("'" + p + "' is a directory");
        if (Files.exists(p) && !Files.isRegularFile(p))
            throw new ToolException("'" + p + "' is not an ordinary file");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4);
            if (Files.size(p) > MAX_BINARY) {
                throw new ToolException(Elf.hasMagic(head) ? p + ": file too large (Fixup reads at most " + (MAX_BINARY >> 20) + " MB)"
                        : p + ": file format not recognized");
            }
            byte[] all = headAndRest(in, head, MAX_BINARY);
            if (all.length > MAX_BINARY)
                throw new ToolException(p + ": file too large (Fixup reads at most " + (MAX_BINARY >> 20) + " MB)");
            return all;
        } catch (NoSuchFileException e) {
            throw new ToolException("'" + p + "': No such file");
        } catch (AccessDeniedException e) {
            throw new ToolException("'" + p + "': Permission denied");
        } catch (IOException e) {
            throw new ToolException("'" + p + "': " + e.getMessage());
        }
    }

    /**
     * The bytes already read from a stream followed by the rest of it, reading no more than
     * {@code limit + 1} bytes in all: a result longer than {@code limit} means the input is too large.
     */
    static byte[] headAndRest(InputStream in, byte[] head, long limit) throws IOException {
        byte[] rest = in.readNBytes((int) (limit + 1 - head.length));
        byte[] all = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    static String readText(Path p) {
        return new String(read(p), java.nio.charset.StandardCharsets.UTF_8);
    }

    static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
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

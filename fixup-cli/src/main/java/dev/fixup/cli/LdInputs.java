package dev.fixup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the linker's input files with limits, so that a special file, a FIFO or a huge file gives
 * one clear line instead of filling the heap: the magic is checked on the first bytes (an object or
 * archive must start with one), and no more than a fixed size is ever read.
 */
final class LdInputs {
    /** Larger than any object or archive a 32-bit link can use (glibc's libc.a is 5 MB). */
    static final long MAX_INPUT = 256L << 20;
    /** Linker scripts are text a person writes; kernel.lds is a few KB. */
    static final long MAX_SCRIPT = 16L << 20;

    private LdInputs() {}

    /** An object or archive: its bytes, or a ToolException in GNU ld's words. */
    static byte[] object(Path p) {
        return read(p, MAX_INPUT, true);
    }

    static String script(Path p) {
        return new String(read(p, MAX_SCRIPT, false), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] read(Path p, long limit, boolean binary) {
        if (java.nio.file.Files.isDirectory(p)) throw new ToolException(p + ": file not recognized: is a directory");
        try (InputStream in = java.nio.file.Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8);
            if (binary && !recognized(head)) throw new ToolException(p + ": file not recognized: file format not recognized");
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.size(p) > limit) throw tooBig(p, limit);
            byte[] all = ToolFiles.headAndRest(in, head, limit);
            if (all.length > limit) throw tooBig(p, limit);
            return all;
        } catch (NoSuchFileException e) {
            throw new ToolException("cannot find " + p + ": No such file or directory");
        } catch (AccessDeniedException e) {
            throw new ToolException("cannot open " + p + ": Permission denied");
        } catch (IOException e) {
            throw new ToolException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static ToolException tooBig(Path p, long limit) {
        return new ToolException(List.of(p + ": file too big for a 32-bit link (more than " + (limit >> 20) + " MB)"), false, 1);
    }

    private static boolean recognized(byte[] h) {
        return dev.fixup.elf.Elf.hasMagic(h) || dev.fixup.elf.ArArchive.isArchive(h);
    }
}

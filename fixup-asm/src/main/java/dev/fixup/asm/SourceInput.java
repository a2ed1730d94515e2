package dev.fixup.asm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One source to assemble: its name (as messages show it) and its text. Files and streams are read with
 * a size bound, so that /dev/zero or a huge file gives one clear error instead of exhausting memory.
 */
public record SourceInput(String name, String text) {
    /** Fixup's bound on one source file: 64 MiB (GNU as's own inputs are far smaller in practice). */
    public static final int MAX_BYTES = 64 << 20;

    /** GNU as's name for standard input. */
    public static final String STDIN_NAME = "{standard input}";

    /** Reads a file; the exception's message is GNU as's ("can't open X for reading: ..."). */
    public static SourceInput read(Path path) throws IOException {
        String name = path.toString();
        if (Files.isDirectory(path)) throw cantOpen(name, "Is a directory");
        try (InputStream in = Files.newInputStream(path)) {
            return read(name, in);
        } catch (NoSuchFileException e) {
            throw cantOpen(name, "No such file or directory");
        } catch (AccessDeniedException e) {
            throw cantOpen(name, "Permission denied");
        }
    }

    /** Reads a stream to its end (standard input: name {@link #STDIN_NAME}). */
    public static SourceInput read(String name, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) throw new IOException(name + ": source larger than " + MAX_BYTES + " bytes, Fixup's limit");
        return new SourceInput(name, new String(bytes, StandardCharsets.UTF_8));
    }

    private static IOException cantOpen(String name, String why) {
        return new IOException("can't open " + name + " for reading: " + why);
    }

    /** Lines in the text, counting a last line without a newline. */
    int lineCount() {
        int n = 1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        return n;
    }
}

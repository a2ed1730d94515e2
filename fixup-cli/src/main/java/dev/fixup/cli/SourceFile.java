package dev.fixup.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A source file that {@code objdump -S} quotes, split into lines as objdump splits it: a line is
 * counted only when a line end (LF, CR, or either pair) closes it, and is printed up to its first
 * CR or LF. It remembers which lines were shown, so that each is quoted once with its context.
 */
final class SourceFile {
    private final List<String> lines;
    /** The last line quoted, and the highest line printed so far. */
    int lastLine, maxPrinted;

    private SourceFile(List<String> lines) { this.lines = lines; }

    /** The file's lines, or null when it cannot be read (objdump then quotes nothing, silently). */
    static SourceFile open(String path) {
        byte[] bytes;
        try {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p) || Files.size(p) > ToolFiles.MAX_BINARY) return null;
            bytes = Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '\n' && b != '\r') continue;
            int textEnd = i;
            if (i + 1 < bytes.length && bytes[i + 1] == (b == '\n' ? '\r' : '\n')) i++;
            lines.add(text(bytes, start, textEnd));
            start = i + 1;
        }
        return new SourceFile(lines);
    }

    /** A line's text up to its first CR or LF. */
    private static String text(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** Line n (counted from 1), or null past the last counted line. */
    String line(int n) {
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : null;
    }
}

package dev.fixup.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixup's own command line and environment as the bytes the host gave it. The JVM decodes argv
 * with sun.jnu.encoding and /proc/self/environ would be decoded the same way: bytes that are not
 * valid in that charset come out as U+FFFD or '?', so a guest would not get what was typed.
 * Linux keeps the originals in /proc/self/cmdline and /proc/self/environ; these read them back.
 */
final class HostStrings {
    private HostStrings() {}

    private static List<byte[]> nulSeparated(Path file) {
        List<byte[]> out = new ArrayList<>();
        try {
            byte[] raw = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != 0) continue;
                out.add(java.util.Arrays.copyOfRange(raw, start, i));
                start = i + 1;
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;                                    // not Linux
        }
        return out;
    }

    /**
     * The bytes of the last arguments of Fixup's command line, which picocli gave as tail: the
     * java launcher passes the main arguments last, in order. When /proc is missing or a string
     * does not decode to what the JVM gave, its UTF-8 encoding is used instead.
     */
    static List<byte[]> commandLineTail(List<String> tail) {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> all = nulSeparated(Path.of("/proc/self/cmdline"));
        Charset jnu = jnuCharset();
        int first = all == null ? -1 : all.size() - tail.size();
        for (int i = 0; i < tail.size(); i++) {
            byte[] raw = first < 0 ? null : all.get(first + i);
            boolean same = raw != null && new String(raw, jnu).equals(tail.get(i));
            out.add(same ? raw : tail.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * The bytes of an option's value as typed (-E VAR=VALUE, -U VAR, -0 ARGV0, given as a separate
     * word or attached as -EVAR=VALUE), found among Fixup's arguments by what the JVM decoded;
     * its UTF-8 encoding when no argument matches.
     */
    static byte[] optionValue(String value) {
        List<byte[]> all = nulSeparated(Path.of("/proc/self/cmdline"));
        Charset jnu = jnuCharset();
        if (all != null) {
            for (int i = all.size() - 1; i > 0; i--) {
                byte[] raw = all.get(i);
                String decoded = new String(raw, jnu);
                if (decoded.equals(value)) return raw;
                if (decoded.length() == value.length() + 2 && decoded.startsWith("-") && decoded.endsWith(value)) {
                    return java.util.Arrays.copyOfRange(raw, 2, raw.length);
                }
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Fixup's environment, each VAR=VALUE string's bytes mapped one to one onto chars 0..255 (ISO-8859-1), in the host's order. */
    static List<String> environmentLatin1() {
        List<byte[]> raw = nulSeparated(Path.of("/proc/self/environ"));
        List<String> env = new ArrayList<>();
        if (raw == null) {
            System.getenv().forEach((k, v) -> env.add(latin1(k + "=" + v)));
            return env;
        }
        for (byte[] b : raw) if (b.length > 0) env.add(new String(b, StandardCharsets.ISO_8859_1));
        return env;
    }

    /** An option's value as the bytes typed, one char per byte (to sit beside {@link #environmentLatin1}). */
    static String latin1(String s) { return new String(optionValue(s), StandardCharsets.ISO_8859_1); }

    static List<byte[]> bytesOfLatin1(String[] strings) {
        List<byte[]> out = new ArrayList<>();
        for (String s : strings) out.add(s.getBytes(StandardCharsets.ISO_8859_1));
        return out;
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}

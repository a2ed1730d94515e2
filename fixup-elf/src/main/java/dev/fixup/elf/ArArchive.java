package dev.fixup.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A System V / GNU {@code ar} archive, regular ({@code !<arch>}) or thin ({@code !<thin>}): its
 * members in order and its symbol index ({@code /}, which maps each global a member defines to
 * that member). Long names come from the {@code //} table. A thin archive only names its members;
 * their bytes are read through a {@link MemberFiles} relative to the archive. Every header field
 * is checked before use, so a damaged archive gives an {@link ElfFormatException} naming the field.
 */
public final class ArArchive {
    public static final String MAGIC = "!<arch>\n";
    public static final String THIN_MAGIC = "!<thin>\n";
    private static final int HEADER = 60;

    /** One member: its name and contents. */
    public record Member(String name, byte[] data) {}

    /** Reads the file a thin archive's member names (a path relative to the archive's directory). */
    @FunctionalInterface
    public interface MemberFiles {
        byte[] read(String path) throws ElfFormatException;
    }

    private final List<Member> members = new ArrayList<>();
    /** Symbol -> index in members of the first member defining it, in index order. */
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private boolean hasIndex;

    public List<Member> members() { return members; }

    /** The symbol index in its own order (the order GNU ld scans it). */
    public Map<String, Integer> symbolIndex() { return index; }

    /** False when the archive has no {@code /} member (ld then asks for ranlib). */
    public boolean hasIndex() { return hasIndex; }

    public static boolean isArchive(byte[] b) {
        return startsWith(b, MAGIC) || startsWith(b, THIN_MAGIC);
    }

    private static boolean startsWith(byte[] b, String magic) {
        if (b == null || b.length < magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if (b[i] != magic.charAt(i)) return false;
        return true;
    }

    public static ArArchive read(byte[] b, MemberFiles thinMembers) throws ElfFormatException {
        if (!isArchive(b)) throw new ElfFormatException("archive: bad magic (not an ar archive)");
        boolean thin = startsWith(b, THIN_MAGIC);
        ArArchive a = new ArArchive();
        byte[] longNames = null;
        int[] symbolOffsets = null;
        String[] symbolNames = null;
        Map<Integer, Integer> memberAt = new HashMap<>();
        int pos = MAGIC.length();
        while (pos < b.length) {
            if (b.length - pos == 1 && b[pos] == '\n') break; // trailing pad byte
            if (b.length - pos < HEADER) throw new ElfFormatException("archive: member header at " + pos + " is truncated");
            if (b[pos + 58] != '`' || b[pos + 59] != '\n')
                throw new ElfFormatException("archive: member header at " + pos + " has a bad terminator (ar_fmag)");
            String rawName = ascii(b, pos, 16).stripTrailing();
            long size = decimal(b, pos + 48, 10, "ar_size of the member at " + pos);
            int dataStart = pos + HEADER;
            boolean special = rawName.equals("/") || rawName.equals("//") || rawName.equals("/SYM64/");
            // a thin archive stores only its index and name table; members are elsewhere
            long stored = thin && !special ? 0 : size;
            if (stored > b.length - dataStart)
                throw new ElfFormatException("archive: member at " + pos + " (ar_size " + size + ") runs past the end of the file");
            switch (rawName) {
                case "/" -> {
                    a.hasIndex = true;
                    int n = symbolCountChecked(b, dataStart, (int) size);
                    symbolOffsets = new int[n];
                    symbolNames = new String[n];
                    int strings = dataStart + 4 + 4 * n, end = dataStart + (int) size;
                    for (int i = 0; i < n; i++) {
                        symbolOffsets[i] = be32(b, dataStart + 4 + 4 * i);
                        int z = strings;
                        while (z < end && b[z] != 0) z++;
                        if (z >= end) throw new ElfFormatException("archive: symbol index: name " + i + " runs past the index");
                        symbolNames[i] = new String(b, strings, z - strings, StandardCharsets.ISO_8859_1);
                        strings = z + 1;
                    }
                }
                case "/SYM64/" -> throw new ElfFormatException("archive: 64-bit symbol index (/SYM64/) is not an i386 archive");
                case "//" -> longNames = java.util.Arrays.copyOfRange(b, dataStart, dataStart + (int) size);
                default -> {
                    String name = memberName(rawName, longNames, pos);
                    byte[] data = thin ? thinMembers.read(name)
                            : java.util.Arrays.copyOfRange(b, dataStart, dataStart + (int) size);
                    memberAt.put(pos, a.members.size());
                    a.members.add(new Member(name, data));
                }
            }
            long next = dataStart + stored + (stored & 1);
            if (next > b.length) break;
            pos = (int) next;
        }
        if (symbolNames != null) {
            for (int i = 0; i < symbolNames.length; i++) {
                Integer m = memberAt.get(symbolOffsets[i]);
                if (m == null)
                    throw new ElfFormatException("archive: symbol index: `" + symbolNames[i] + "' points at offset "
                            + Integer.toUnsignedString(symbolOffsets[i]) + ", which is not a member");
                a.index.putIfAbsent(symbolNames[i], m);
            }
        }
        return a;
    }

    private static int symbolCountChecked(byte[] b, int at, int size) throws ElfFormatException {
        if (size < 4) throw new ElfFormatException("archive: symbol index is truncated");
        long n = Integer.toUnsignedLong(be32(b, at));
        if (4 + 4 * n > size) throw new ElfFormatException("archive: symbol index: " + n + " entries do not fit in " + size + " bytes");
        return (int) n;
    }

    /** "name/" (GNU), "/123" (offset into the // table), or a plain BSD-style name. */
    private static String memberName(String raw, byte[] longNames, int pos) throws ElfFormatException {
        if (raw.startsWith("/") && raw.length() > 1 && Character.isDigit(raw.charAt(1))) {
            if (longNames == null) throw new ElfFormatException("archive: member at " + pos + " uses a long name but there is no // table");
            long off;
            try { off = Long.parseLong(raw.substring(1)); }
            catch (NumberFormatException e) { throw new ElfFormatException("archive: member at " + pos + " has a bad long-name offset " + raw); }
            if (off >= longNames.length) throw new ElfFormatException("archive: member at " + pos + ": long-name offset " + off + " is past the // table");
            int end = (int) off;
            while (end < longNames.length && longNames[end] != '\n' && longNames[end] != 0) end++;
            String n = new String(longNames, (int) off, end - (int) off, StandardCharsets.ISO_8859_1);
            return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    private static String ascii(byte[] b, int at, int n) {
        return new String(b, at, n, StandardCharsets.ISO_8859_1);
    }

    private static long decimal(byte[] b, int at, int n, String field) throws ElfFormatException {
        String t = ascii(b, at, n).trim();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) throw new ElfFormatException("archive: " + field + ": `" + t + "' is not a number");
        return Long.parseLong(t);
    }

    private static int be32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}

package dev.fixup.elf.dwarf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the little-endian fields of one DWARF section, bounded by the end of the current unit.
 * Every read names its field so that a truncated or damaged section gives an error saying which
 * field ran past the end and where.
 */
final class DwarfCursor {
    final DebugSection section;
    int pos;
    /** The end of what may be read: the section's end, or the end of the unit being decoded. */
    int end;

    DwarfCursor(DebugSection section, int pos) {
        this.section = section;
        this.pos = pos;
        this.end = section.data.length;
        if (pos < 0 || pos > end) throw error(pos, "offset 0x" + Integer.toHexString(pos) + " is outside the section ("
                + end + " bytes)");
    }

    DwarfFormatException error(int at, String what) {
        return new DwarfFormatException(section.name + "+0x" + Integer.toHexString(at) + ": " + what);
    }

    DwarfFormatException error(String what) { return error(pos, what); }

    private void need(int n, String field) {
        if (n < 0 || pos > end - n) throw error(field + " runs past the end of the " + (end == section.data.length ? "section" : "unit"));
    }

    boolean atEnd() { return pos >= end; }

    int u8(String field) {
        need(1, field);
        return section.data[pos++] & 0xff;
    }

    int s8(String field) { return (byte) u8(field); }

    int u16(String field) {
        need(2, field);
        int v = (section.data[pos] & 0xff) | (section.data[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    long u32(String field) {
        need(4, field);
        long v = (section.data[pos] & 0xffL) | (section.data[pos + 1] & 0xffL) << 8 | (section.data[pos + 2] & 0xffL) << 16
                | (section.data[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    long u64(String field) {
        long lo = u32(field), hi = u32(field);
        return lo | hi << 32;
    }

    /** A fixed-size unsigned value of 1, 2, 4 or 8 bytes. */
    long fixed(int size, String field) {
        return switch (size) {
            case 1 -> u8(field);
            case 2 -> u16(field);
            case 4 -> u32(field);
            case 8 -> u64(field);
            default -> throw error(field + ": unsupported size " + size);
        };
    }

    long uleb(String field) {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = u8(field);
            if (shift < 64) v |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) return v;
        }
    }

    long sleb(String field) {
        long v = 0;
        int shift = 0, b;
        do {
            b = u8(field);
            if (shift < 64) v |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) v |= -1L << shift;
        return v;
    }

    /** A ULEB128 that must fit an int count or index. */
    int ulebInt(String field) {
        int at = pos;
        long v = uleb(field);
        if (v < 0 || v > Integer.MAX_VALUE) throw error(at, field + ": 0x" + Long.toHexString(v) + " is too large");
        return (int) v;
    }

    String cstring(String field) {
        int start = pos;
        while (true) {
            need(1, field);
            if (section.data[pos++] == 0) return new String(section.data, start, pos - 1 - start, StandardCharsets.UTF_8);
        }
    }

    void skip(long n, String field) {
        if (n < 0 || n > end - pos) throw error(field + " runs past the end of the " + (end == section.data.length ? "section" : "unit"));
        pos += (int) n;
    }

    /** An address of the given size (relocated already in an object: see {@link DebugSection}). */
    long address(int size, String field) {
        return fixed(size, field);
    }

    /** Sets {@link #end} to the end of a unit whose length was just read. */
    int limit(long length, String field) {
        if (length > end - pos) throw error(field + " 0x" + Long.toHexString(length) + " runs past the end of the section");
        end = pos + (int) length;
        return end;
    }
}

package dev.fixup.cli;

/**
 * Lower-case hexadecimal appended to a line being built: what objdump's {@code %02x} and
 * {@code %8x} columns print, without a Formatter (which parses its pattern on every call and
 * cost most of a large listing's time).
 */
final class HexColumns {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private HexColumns() { }

    /** A byte as two digits, like {@code %02x}. */
    static StringBuilder byteHex(StringBuilder b, int value) {
        return b.append(DIGITS[(value >> 4) & 0xf]).append(DIGITS[value & 0xf]);
    }

    /** An unsigned 32-bit value right-aligned in width columns, padded with pad (' ' like {@code %8x}, '0' like {@code %08x}). */
    static StringBuilder padded(StringBuilder b, int value, int width, char pad) {
        int digits = Math.max(1, (32 - Integer.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = digits; i < width; i++) b.append(pad);
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) b.append(DIGITS[(value >>> shift) & 0xf]);
        return b;
    }
}

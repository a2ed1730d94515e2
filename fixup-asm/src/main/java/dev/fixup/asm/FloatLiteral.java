package dev.fixup.asm;

import java.math.BigInteger;

/**
 * GNU as's floating-point data: the literal syntax of {@code .float}, {@code .double} and
 * {@code .tfloat} and the IEEE single, double and x87 extended encodings it makes of them.
 *
 * <p>The rules are GNU as's, found by experiment on its output: an optional {@code 0} plus any
 * letter in front is skipped ({@code 0d1.5}, {@code 0f1.5}, even {@code 0x10}, which is ten);
 * {@code inf}, {@code infinity}, {@code nan}, {@code qnan}, {@code snan} in any case; a literal
 * without digits is zero; only the first 20, 29 or 34 significant digits count; rounding is to
 * nearest, with a tie up for a whole number and toward zero for a fraction; a result whose
 * exponent does not fit, or a denormal too small by more than GNU as's working precision, is the
 * error "cannot create floating-point number", while a smaller underflow becomes zero.
 */
final class FloatLiteral {
    /** An encoding: its size, exponent width, significand bits (with the leading one) and the 16-bit words GNU as works in. */
    enum Format {
        SINGLE(4, 8, 24, false, 2), DOUBLE(8, 11, 53, false, 4), EXTENDED(10, 15, 64, true, 5);

        final int bytes, exponentBits, significand, words;
        /** x87 extended keeps its integer bit in the significand; the IEEE formats leave it implicit. */
        final boolean explicitInteger;

        Format(int bytes, int exponentBits, int significand, boolean explicitInteger, int words) {
            this.bytes = bytes;
            this.exponentBits = exponentBits;
            this.significand = significand;
            this.explicitInteger = explicitInteger;
            this.words = words;
        }

        int bias() { return (1 << (exponentBits - 1)) - 1; }

        int maxExponent() { return (1 << exponentBits) - 1; }

        int fractionBits() { return explicitInteger ? significand : significand - 1; }

        /** How many significant decimal digits GNU as reads: its working bits (two more words) in decimal, plus one. */
        int usefulDigits() { return (int) ((words + 2) * 16 * 1_000_000L / 3_321_928) + 1; }
    }

    private FloatLiteral() {}

    /** Reads one literal at the cursor and returns its little-endian bytes in the given format. */
    static byte[] read(Cursor c, Format f) {
        c.skipSpaces();
        if (c.peekRaw(0) == '0' && Character.isLetter(c.peekRaw(1))) c.pos += 2;
        boolean negative = false;
        if (c.peekRaw(0) == '+' || c.peekRaw(0) == '-') negative = c.text.charAt(c.pos++) == '-';
        if (word(c, "infinity") || word(c, "inf")) return special(f, negative, Special.INFINITY);
        if (word(c, "nan") || word(c, "qnan")) return special(f, negative, Special.QUIET_NAN);
        if (word(c, "snan")) return special(f, negative, Special.SIGNALING_NAN);

        StringBuilder digits = new StringBuilder();
        long exponent = 0;
        boolean point = false;
        for (char ch; (ch = c.peekRaw(0)) != 0; c.pos++) {
            if (ch >= '0' && ch <= '9') {
                digits.append(ch);
                if (point) exponent--;
            } else if (ch == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (c.peekRaw(0) == 'e' || c.peekRaw(0) == 'E') {
            c.pos++;
            boolean minus = false;
            if (c.peekRaw(0) == '+' || c.peekRaw(0) == '-') minus = c.text.charAt(c.pos++) == '-';
            long e = 0;
            for (char ch; (ch = c.peekRaw(0)) >= '0' && ch <= '9'; c.pos++) e = Math.min(e * 10 + (ch - '0'), 1_000_000_000L);
            exponent += minus ? -e : e;
        }
        // GNU as reads only so many significant digits (its working precision, in decimal) and drops the rest
        int first = 0;
        while (first < digits.length() && digits.charAt(first) == '0') first++;
        int used = Math.min(digits.length() - first, f.usefulDigits());
        exponent += digits.length() - first - used;
        BigInteger mantissa = used == 0 ? BigInteger.ZERO : new BigInteger(digits.substring(first, first + used));
        return encode(f, negative, mantissa, exponent);
    }

    private static boolean word(Cursor c, String w) {
        if (!c.text.regionMatches(true, c.pos, w, 0, w.length())) return false;
        c.pos += w.length();
        return true;
    }

    private enum Special { INFINITY, QUIET_NAN, SIGNALING_NAN }

    private static byte[] special(Format f, boolean negative, Special s) {
        BigInteger bits;
        if (s == Special.INFINITY) {
            bits = BigInteger.valueOf(f.maxExponent()).shiftLeft(f.fractionBits());
            if (f.explicitInteger) bits = bits.setBit(f.significand - 1);
        } else {
            // every fraction bit set; a signalling NaN clears the quiet bit (the top fraction bit below x87's integer bit)
            bits = BigInteger.ONE.shiftLeft(f.exponentBits + f.fractionBits()).subtract(BigInteger.ONE);
            if (s == Special.SIGNALING_NAN) bits = bits.clearBit(f.fractionBits() - (f.explicitInteger ? 2 : 1));
        }
        return bytes(f, negative, bits);
    }

    /** The value mantissa * 10^exponent, rounded half up into the format. */
    static byte[] encode(Format f, boolean negative, BigInteger mantissa, long exponent) {
        if (mantissa.signum() == 0) return bytes(f, negative, BigInteger.ZERO);
        // Far outside every format's range: refuse before the arithmetic gets large.
        double log2 = mantissa.bitLength() + exponent * 3.321928094887362;
        if (log2 > 20_000 || log2 < -20_000) throw tooBig();
        BigInteger num = mantissa, den = BigInteger.ONE;
        if (exponent >= 0) num = num.multiply(BigInteger.TEN.pow((int) exponent));
        else den = BigInteger.TEN.pow((int) -exponent);
        // e: value lies in [2^(e-1), 2^e)
        long e = num.bitLength() - den.bitLength();
        if (compareScaled(num, den, e) >= 0) e++;
        if (compareScaled(num, den, e - 1) < 0) e--;
        long biased = e + f.bias() - 1;
        if (biased >= f.maxExponent()) throw tooBig();
        if (biased > 0) {
            BigInteger[] sig = scaled(num, den, f.significand - e, exponent >= 0);
            BigInteger s = sig[0];
            long exp = biased;
            if (sig[1].signum() != 0) {
                s = s.add(BigInteger.ONE);
                if (s.bitLength() > f.significand) {
                    s = s.shiftRight(1);
                    exp++;
                }
            }
            BigInteger fraction = f.explicitInteger ? s : s.clearBit(f.significand - 1);
            return bytes(f, negative, BigInteger.valueOf(exp).shiftLeft(f.fractionBits()).or(fraction));
        }
        // A denormal. GNU as gives up when the shift exceeds what its words can hold.
        long shift = -biased + (f.explicitInteger ? 1 : 0);
        int room = 16 - f.exponentBits;
        if (shift >= room && shift - (15 - f.exponentBits) + f.exponentBits + 1 > 16L * f.words) throw tooBig();
        // units of the smallest denormal: 2^(1 - bias - fractionBits) for IEEE, 2^(1 - bias - 63) for x87
        long unitExponent = f.bias() - 1 + (f.explicitInteger ? f.significand - 1 : f.fractionBits());
        BigInteger[] sig = scaled(num, den, unitExponent, exponent >= 0);
        BigInteger s = sig[0];
        if (sig[1].signum() != 0) s = s.add(BigInteger.ONE);
        if (f.explicitInteger && s.testBit(f.significand - 1)) {
            return bytes(f, negative, BigInteger.ONE.shiftLeft(f.fractionBits()).or(s)); // rounded up to the smallest normal
        }
        return bytes(f, negative, s); // for IEEE a carry out of the fraction is the smallest normal already
    }

    /**
     * floor(num/den * 2^k), and 1 when the part cut off calls for rounding up. More than half a unit
     * rounds up; exactly half rounds up only for a whole number: GNU as computes those exactly, but
     * it scales a fraction by a power of ten it holds a little short, so a fraction's exact tie lands
     * below the tie and goes toward zero (checked against GNU as on thousands of exact ties).
     */
    private static BigInteger[] scaled(BigInteger num, BigInteger den, long k, boolean wholeNumber) {
        BigInteger n = k + 1 >= 0 ? num.shiftLeft((int) (k + 1)) : num;
        BigInteger d = k + 1 >= 0 ? den : den.shiftLeft((int) -(k + 1));
        BigInteger[] qr = n.divideAndRemainder(d);
        boolean up = qr[0].testBit(0) && (qr[1].signum() != 0 || wholeNumber);
        return new BigInteger[] {qr[0].shiftRight(1), up ? BigInteger.ONE : BigInteger.ZERO};
    }

    /** Compares num/den with 2^k. */
    private static int compareScaled(BigInteger num, BigInteger den, long k) {
        return k >= 0 ? num.compareTo(den.shiftLeft((int) k)) : num.shiftLeft((int) -k).compareTo(den);
    }

    private static AsmError tooBig() {
        return new AsmError("cannot create floating-point number");
    }

    private static byte[] bytes(Format f, boolean negative, BigInteger bits) {
        if (negative) bits = bits.setBit(f.bytes * 8 - 1);
        byte[] out = new byte[f.bytes];
        for (int i = 0; i < out.length; i++) out[i] = bits.shiftRight(8 * i).byteValue();
        return out;
    }
}

package dev.fixup.cpu;

/**
 * The 32-bit arithmetic of the fast forms, as static methods that compute a result and record
 * its flags. {@link FastPath} calls them for the interpreter and the code that
 * {@link BlockTranslator} generates calls them with constant operands, so both share one
 * definition of each operation. Each method is tiny so that HotSpot always inlines it.
 */
final class Alu32 {
    private Alu32() {}

    static int add(Flags f, int d, int s) {
        int r = d + s;
        f.lazy(Flags.ADD, 32, d, s, r);
        return r;
    }

    static int sub(Flags f, int d, int s) {
        int r = d - s;
        f.lazy(Flags.SUB, 32, d, s, r);
        return r;
    }

    static int and(Flags f, int d, int s) {
        int r = d & s;
        f.lazy(Flags.LOGIC, 32, d, s, r);
        return r;
    }

    static int or(Flags f, int d, int s) {
        int r = d | s;
        f.lazy(Flags.LOGIC, 32, d, s, r);
        return r;
    }

    static int xor(Flags f, int d, int s) {
        int r = d ^ s;
        f.lazy(Flags.LOGIC, 32, d, s, r);
        return r;
    }

    /** CF of d + s + c: with a carry in, r == d also means a carry out. */
    static int adc(Flags f, int d, int s) {
        int c = f.cf();
        int r = d + s + c;
        int cf = (c != 0 ? Integer.compareUnsigned(r, d) <= 0 : Integer.compareUnsigned(r, d) < 0) ? 1 : 0;
        f.result(32, r, cf, ((d ^ r) & (s ^ r)) < 0, ((d ^ s ^ r) & 0x10) != 0);
        return r;
    }

    static int sbb(Flags f, int d, int s) {
        int c = f.cf();
        int r = d - s - c;
        int cf = (c != 0 ? Integer.compareUnsigned(d, s) <= 0 : Integer.compareUnsigned(d, s) < 0) ? 1 : 0;
        f.result(32, r, cf, ((d ^ s) & (d ^ r)) < 0, ((d ^ s ^ r) & 0x10) != 0);
        return r;
    }

    /** One of the ALU operations by its number (FastPath.ADD .. FastPath.TEST); cmp and test compute like sub and and. */
    static int alu(Flags f, int op, int d, int s) {
        switch (op) {
            case FastPath.ADD: return add(f, d, s);
            case FastPath.OR: return or(f, d, s);
            case FastPath.ADC: return adc(f, d, s);
            case FastPath.SBB: return sbb(f, d, s);
            case FastPath.SUB: case FastPath.CMP: return sub(f, d, s);
            case FastPath.XOR: return xor(f, d, s);
            default: return and(f, d, s); // AND, TEST
        }
    }

    /** inc keeps CF. */
    static int inc(Flags f, int d) {
        int r = d + 1;
        f.result(32, r, f.cf(), r == Integer.MIN_VALUE, (r & 0xF) == 0);
        return r;
    }

    /** dec keeps CF. */
    static int dec(Flags f, int d) {
        int r = d - 1;
        f.result(32, r, f.cf(), d == Integer.MIN_VALUE, (d & 0xF) == 0);
        return r;
    }

    /** Two- and three-operand imul: CF = OF = the product does not fit in 32 bits. */
    static int imul(Flags f, int a, int b) {
        long p = (long) a * b;
        int r = (int) p;
        boolean ov = p != r;
        f.result(32, r, ov ? 1 : 0, ov, false);
        return r;
    }

    /** shl by 1..31. */
    static int shl(Flags f, int d, int count) {
        int r = d << count;
        int cf = (d >>> (32 - count)) & 1;
        f.result(32, r, cf, ((r >>> 31) ^ cf) != 0, false);
        return r;
    }

    /** shr by 1..31. */
    static int shr(Flags f, int d, int count) {
        int r = d >>> count;
        f.result(32, r, (d >>> (count - 1)) & 1, d < 0, false);
        return r;
    }

    /** sar by 1..31. */
    static int sar(Flags f, int d, int count) {
        int r = d >> count;
        f.result(32, r, (d >> (count - 1)) & 1, false, false);
        return r;
    }

    /** SHL, SHR or SAR by its FastPath shift number (0, 1, 2) and a count of 1..31. */
    static int shift(Flags f, int kind, int d, int count) {
        switch (kind) {
            case 0: return shl(f, d, count);
            case 1: return shr(f, d, count);
            default: return sar(f, d, count);
        }
    }
}

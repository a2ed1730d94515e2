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

    /** rol by 1..31: CF is the bit that came round to bit 0, OF is CF xor the new sign; the other flags stay. */
    static int rol(Flags f, int d, int count) {
        int r = Integer.rotateLeft(d, count);
        f.carryOverflow(r & 1, ((r >>> 31) ^ r) & 1);
        return r;
    }

    /** ror by 1..31: CF is the new sign, OF is the xor of the two top bits; the other flags stay. */
    static int ror(Flags f, int d, int count) {
        int r = Integer.rotateRight(d, count);
        f.carryOverflow(r >>> 31, ((r >>> 31) ^ (r >>> 30)) & 1);
        return r;
    }

    /** SHL, SHR, SAR, ROL or ROR by its FastPath shift number (0 .. 4) and a count of 1..31. */
    static int shift(Flags f, int kind, int d, int count) {
        switch (kind) {
            case 0: return shl(f, d, count);
            case 1: return shr(f, d, count);
            case 2: return sar(f, d, count);
            case 3: return rol(f, d, count);
            default: return ror(f, d, count);
        }
    }

    static int neg(Flags f, int d) {
        int r = -d;
        f.lazy(Flags.SUB, 32, 0, d, r);
        return r;
    }

    /** mul: EDX:EAX = EAX * src unsigned; CF = OF = the high half is not zero. */
    static void mul(Flags f, int[] regs, int src) {
        long p = (src & 0xFFFFFFFFL) * (regs[Cpu.EAX] & 0xFFFFFFFFL);
        regs[Cpu.EAX] = (int) p;
        regs[Cpu.EDX] = (int) (p >>> 32);
        boolean ov = (p >>> 32) != 0;
        f.result(32, (int) p, ov ? 1 : 0, ov, false);
    }

    /** One-operand imul: EDX:EAX = EAX * src signed; CF = OF = the product does not fit in EAX. */
    static void imul1(Flags f, int[] regs, int src) {
        long p = (long) src * regs[Cpu.EAX];
        regs[Cpu.EAX] = (int) p;
        regs[Cpu.EDX] = (int) (p >>> 32);
        boolean ov = p != (int) p;
        f.result(32, (int) p, ov ? 1 : 0, ov, false);
    }

    /** div: EDX:EAX / src unsigned; #DE on a zero divisor or a quotient over 32 bits. Flags unchanged. */
    static void div(Cpu c, int[] regs, int src) {
        long divisor = src & 0xFFFFFFFFL;
        if (divisor == 0) throw c.fault.set(Vector.DE, -1);
        long dividend = (long) regs[Cpu.EDX] << 32 | (regs[Cpu.EAX] & 0xFFFFFFFFL);
        long q = Long.divideUnsigned(dividend, divisor);
        if (Long.compareUnsigned(q, 0xFFFFFFFFL) > 0) throw c.fault.set(Vector.DE, -1);
        regs[Cpu.EAX] = (int) q;
        regs[Cpu.EDX] = (int) Long.remainderUnsigned(dividend, divisor);
    }

    /** idiv: EDX:EAX / src signed; #DE on a zero divisor or a quotient outside int. Flags unchanged. */
    static void idiv(Cpu c, int[] regs, int src) {
        long divisor = src;
        if (divisor == 0) throw c.fault.set(Vector.DE, -1);
        long dividend = (long) regs[Cpu.EDX] << 32 | (regs[Cpu.EAX] & 0xFFFFFFFFL);
        if (dividend == Long.MIN_VALUE && divisor == -1) throw c.fault.set(Vector.DE, -1);
        long q = dividend / divisor;
        if (q != (int) q) throw c.fault.set(Vector.DE, -1);
        regs[Cpu.EAX] = (int) q;
        regs[Cpu.EDX] = (int) (dividend % divisor);
    }

    /** shld by 1..31: d shifted left, filled from the top of s. */
    static int shld(Flags f, int d, int s, int count) {
        long both = (d & 0xFFFFFFFFL) << 32 | (s & 0xFFFFFFFFL);
        int r = (int) ((both << count) >>> 32);
        int cf = (int) (both >>> (64 - count)) & 1;
        f.result(32, r, cf, (r ^ d) < 0, false);
        return r;
    }

    /** shrd by 1..31: d shifted right, filled from the bottom of s. */
    static int shrd(Flags f, int d, int s, int count) {
        long both = (s & 0xFFFFFFFFL) << 32 | (d & 0xFFFFFFFFL);
        int r = (int) (both >>> count);
        int cf = (int) (both >>> (count - 1)) & 1;
        f.result(32, r, cf, (r ^ d) < 0, false);
        return r;
    }

    /** bsf: the new destination; a zero source sets ZF and leaves the destination {@code old}. */
    static int bsf(Flags f, int v, int old) {
        f.setFlag(Flags.ZF, v == 0);
        return v == 0 ? old : Integer.numberOfTrailingZeros(v);
    }

    static int bsr(Flags f, int v, int old) {
        f.setFlag(Flags.ZF, v == 0);
        return v == 0 ? old : 31 - Integer.numberOfLeadingZeros(v);
    }
}

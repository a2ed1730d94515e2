package dev.fixup.cpu;

import static dev.fixup.cpu.ExtendedReal.BIAS;
import static dev.fixup.cpu.ExtendedReal.DE;
import static dev.fixup.cpu.ExtendedReal.IE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SIG;
import static dev.fixup.cpu.ExtendedReal.INT_BIT;
import static dev.fixup.cpu.ExtendedReal.MAX_EXP;
import static dev.fixup.cpu.ExtendedReal.ZE;
import static dev.fixup.cpu.X87.C1;
import static dev.fixup.cpu.X87.C2;

import dev.fixup.x86.Op;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * fsin, fcos, fsincos, fptan, fpatan, f2xm1, fyl2x, fyl2xp1. Each result is the exact value rounded
 * once by the rounding control: {@link X87FastMath} computes it in 128-bit integer arithmetic and
 * rounds it when its error cannot change the rounding; otherwise (exact results, rare operands) it
 * is computed here with about 200 bits (decimal arithmetic, exact argument reduction by pi), so it is
 * correctly rounded but for vanishingly rare cases. The special operands follow the tables of the
 * Intel manual. Methods that take an {@link X87FastMath} take null for the decimal path alone.
 */
final class X87Transcendental {
    private X87Transcendental() { }

    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    /** pi to 130 digits: enough to reduce any argument below 2^63 exactly to 60 digits. */
    static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955");
    static final BigDecimal LN2 = new BigDecimal(
            "0.693147180559945309417232121458176568075500134360255254120680009493393621969694715605863326996418687542001481021");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    static void execute(X87 f, Op op) {
        ExtendedReal ar = f.ar;
        boolean binary = op == Op.FYL2X || op == Op.FYL2XP1 || op == Op.FPATAN;
        boolean pushes = op == Op.FPTAN || op == Op.FSINCOS;
        boolean trig = op == Op.FSIN || op == Op.FCOS || op == Op.FSINCOS || op == Op.FPTAN;
        if (f.empty(0) || (binary && f.empty(1))) {
            if (trig) f.setConditions(f.conditions() & ~C2);
            if (!f.underflow()) return;
            if (binary) { f.popStack(); f.put(0, INDEFINITE_SE, INDEFINITE_SIG); }
            else {
                f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
                if (pushes) f.pushStack(INDEFINITE_SE, INDEFINITE_SIG);
            }
            return;
        }
        if (pushes && !f.empty(7)) {
            f.setConditions(f.conditions() & ~C2);
            if (f.overflow()) { f.put(0, INDEFINITE_SE, INDEFINITE_SIG); f.pushStack(INDEFINITE_SE, INDEFINITE_SIG); }
            return;
        }
        int xe = f.seAt(0);
        long xm = f.sigAt(0);
        switch (op) {
            case FSIN: case FCOS: case FSINCOS: case FPTAN: trig(f, op, xe, xm); return;
            case F2XM1:
                twoXMinus1(ar, f.fast, xe, xm);
                if (f.commitResult()) f.put(0, ar.se, ar.sig);
                return;
            default: binaryOp(f, op, xe, xm, f.seAt(1), f.sigAt(1));
        }
    }

    // ------------------------------------------------------------------ conversions

    static BigDecimal toDecimal(int se, long sig) {
        int e = ExtendedReal.exp(se) == 0 ? 1 : ExtendedReal.exp(se);
        BigDecimal m = new BigDecimal(new BigInteger(Long.toUnsignedString(sig)));
        int p = e - BIAS - 63;
        BigDecimal v = p >= 0 ? m.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(p)))
                : m.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-p)));   // exact: a power of two divides
        return (se & 0x8000) != 0 ? v.negate() : v;
    }

    /** Rounds v to the register format with the rounding control (64 bits; PE and C1 as for any result). */
    static void round(ExtendedReal ar, BigDecimal v) {
        if (v.signum() == 0) { ar.result(0, 0); return; }
        int sign = v.signum() < 0 ? 1 : 0;
        BigDecimal a = v.abs();
        // scale by 2^k to an integer of about 140 bits; what the scaling cuts off is a sticky bit
        double log2 = a.unscaledValue().bitLength() - a.scale() * 3.321928094887362;
        int k = 140 - (int) Math.floor(log2);
        BigDecimal scaled = k >= 0 ? a.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)))
                : a.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-k)));
        BigInteger ip = scaled.setScale(0, RoundingMode.DOWN).unscaledValue();
        boolean sticky = scaled.compareTo(new BigDecimal(ip)) != 0;
        int l = ip.bitLength();
        long hi = ip.shiftRight(l - 64).longValue();
        long lo = ip.shiftRight(l - 128).longValue();
        if (sticky || ip.getLowestSetBit() < l - 128) lo |= 1;
        // value = ip * 2^-k, ip's top bit is 2^(l-1)
        ar.packFull(sign, l - 1 - k + BIAS, hi, lo);
    }

    /**
     * Rounds a value a hair away from v (toward zero for direction -1, away for +1): sin, cos and tan of
     * a tiny argument, whose exact result no finite-precision sum can tell from v.
     */
    private static void nudge(ExtendedReal ar, int se, long sig, int direction) {
        int e = ExtendedReal.exp(se) == 0 ? 1 : ExtendedReal.exp(se);
        int z = Long.numberOfLeadingZeros(sig);
        long hi = sig << z, lo = direction > 0 ? 1 : 0;
        e -= z;
        if (direction < 0) {   // hi:0 - 1, renormalized
            hi -= 1;
            lo = -1L;
            if (hi >= 0) { hi = hi << 1 | 1; lo = -2L | 1; e--; }
        }
        ar.packFull(se >> 15 & 1, e, hi, lo);
        // a normal result: the host reports no (masked) underflow
        if (ExtendedReal.exp(ar.se) != 0 && (ar.masks & ExtendedReal.UE) != 0) ar.exc &= ~ExtendedReal.UE;
    }

    // ------------------------------------------------------------------ series

    private static BigDecimal sinSeries(BigDecimal x) {
        BigDecimal x2 = x.multiply(x, MC), term = x, sum = x;
        for (int n = 1; n < 60; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), MC).negate();
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(62)) < 0) break;
        }
        return sum;
    }

    private static BigDecimal cosSeries(BigDecimal x) {
        BigDecimal x2 = x.multiply(x, MC), term = BigDecimal.ONE, sum = BigDecimal.ONE;
        for (int n = 1; n < 60; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), MC).negate();
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(62)) < 0) break;
        }
        return sum;
    }

    /** e^x - 1 for |x| below 1. */
    private static BigDecimal expm1(BigDecimal x) {
        BigDecimal term = x, sum = x;
        for (int n = 2; n < 200; n++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(62)) < 0) break;
        }
        return sum;
    }

    /** ln(1 + x) = 2 atanh(x / (2 + x)), accurate for small x. */
    private static BigDecimal log1p(BigDecimal x) {
        BigDecimal t = x.divide(TWO.add(x, MC), MC);
        BigDecimal t2 = t.multiply(t, MC), term = t, sum = t;
        for (int n = 3; n < 4000; n += 2) {
            term = term.multiply(t2, MC);
            BigDecimal add = term.divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(add, MC);
            if (add.signum() == 0 || add.abs().compareTo(sum.abs().movePointLeft(62)) < 0) break;
        }
        return sum.multiply(TWO, MC);
    }

    /** ln(x) for x > 0: x = m * 2^k with m in [0.75, 1.5). */
    private static BigDecimal ln(int se, long sig) {
        int e = ExtendedReal.exp(se) == 0 ? 1 : ExtendedReal.exp(se);
        int z = Long.numberOfLeadingZeros(sig);
        long m = sig << z;
        int k = e - z - BIAS;
        BigDecimal mant = toDecimal(BIAS, m);   // in [1, 2)
        if (mant.compareTo(new BigDecimal("1.5")) >= 0) { mant = mant.divide(TWO); k++; }
        return log1p(mant.subtract(BigDecimal.ONE)).add(LN2.multiply(BigDecimal.valueOf(k), MC), MC);
    }

    /** atan(t) for any t: atan(t) = 2 atan(t / (1 + sqrt(1 + t^2))), halved until small. */
    static BigDecimal atan(BigDecimal t) {
        int halvings = 0;
        while (t.abs().compareTo(new BigDecimal("0.1")) > 0) {
            t = t.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(t.multiply(t, MC)).sqrt(MC)), MC);
            halvings++;
        }
        BigDecimal t2 = t.multiply(t, MC), term = t, sum = t;
        for (int n = 3; n < 400; n += 2) {
            term = term.multiply(t2, MC).negate();
            BigDecimal add = term.divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(add, MC);
            if (add.signum() == 0 || add.abs().compareTo(sum.abs().movePointLeft(62)) < 0) break;
        }
        return sum.multiply(BigDecimal.valueOf(1L << halvings));
    }

    // ------------------------------------------------------------------ instructions

    private static boolean nanOrUnsupported(ExtendedReal ar, int e, long m) {
        if (ExtendedReal.isUnsupported(e, m)) { ar.indefinite(); return true; }
        if (ExtendedReal.isNaN(e, m)) {
            if (ExtendedReal.isSNaN(e, m)) ar.exc |= IE;
            ar.result(e, m | 0x4000000000000000L);
            return true;
        }
        return false;
    }

    private static void trig(X87 f, Op op, int xe, long xm) {
        ExtendedReal ar = f.ar;
        boolean two = op == Op.FSINCOS || op == Op.FPTAN;
        int belowE, topE = 0;   // belowE replaces ST0; topE is pushed (fsincos, fptan)
        long belowM, topM = 0;
        if (nanOrUnsupported(ar, xe, xm) || ExtendedReal.isInf(xe, xm)) {
            if (ExtendedReal.isInf(xe, xm)) ar.indefinite();
            belowE = topE = ar.se;
            belowM = topM = ar.sig;
        } else if (ExtendedReal.exp(xe) - BIAS >= 63) {
            f.setConditions(f.conditions() & ~C1 | C2);   // out of range: the operand stays, C2 says so
            return;
        } else {
            if (ExtendedReal.isDenormal(xe, xm)) ar.exc |= DE;
            boolean zero = ExtendedReal.isZero(xe, xm);
            boolean tiny = !zero && ExtendedReal.exp(xe) < BIAS - 40;
            switch (op) {
                case FSIN -> { if (zero) ar.result(xe, 0); else if (tiny) nudge(ar, xe, xm, -1); else trigValue(ar, f.fast, Op.FSIN, xe, xm); }
                case FCOS -> { if (zero) ar.result(BIAS, INT_BIT); else if (tiny) nudge(ar, BIAS, INT_BIT, -1); else trigValue(ar, f.fast, Op.FCOS, xe, xm); }
                case FPTAN -> {
                    if (zero) ar.result(xe, 0); else if (tiny) nudge(ar, xe, xm, 1); else trigValue(ar, f.fast, Op.FPTAN, xe, xm);
                    topE = BIAS; topM = INT_BIT;
                }
                default -> {   // FSINCOS: sin below, cos on top
                    if (zero) ar.result(BIAS, INT_BIT); else if (tiny) nudge(ar, BIAS, INT_BIT, -1); else trigValue(ar, f.fast, Op.FCOS, xe, xm);
                    topE = ar.se; topM = ar.sig;
                    boolean up = ar.roundedUp;
                    if (zero) ar.result(xe, 0); else if (tiny) nudge(ar, xe, xm, -1); else trigValue(ar, f.fast, Op.FSIN, xe, xm);
                    ar.roundedUp |= up;
                }
            }
            belowE = ar.se;
            belowM = ar.sig;
        }
        f.setConditions(f.conditions() & ~C2);   // in range: also when an unmasked exception keeps ST0
        if (!f.commitResult()) return;
        f.put(0, belowE, belowM);
        if (two) f.pushStack(topE, topM);
    }

    /**
     * sin (FSIN), cos (FCOS) or tan (FPTAN) of a finite x with 2^-40 <= |x| < 2^63, rounded into ar.
     */
    static void trigValue(ExtendedReal ar, X87FastMath fast, Op which, int xe, long xm) {
        if (fast != null && fast.sinCos(xe, xm)) {
            boolean done = switch (which) {
                case FSIN -> fast.packSin(ar);
                case FCOS -> fast.packCos(ar);
                default -> fast.packTan(ar);
            };
            if (done) return;
        }
        BigDecimal x = toDecimal(xe, xm);
        // x = q * pi/2 + r with |r| <= pi/4, exactly enough for any |x| < 2^63
        MathContext wide = new MathContext(200);
        BigDecimal halfPi = PI.divide(TWO);
        BigDecimal q = x.divide(halfPi, MC).setScale(0, RoundingMode.HALF_EVEN);
        BigDecimal r = x.subtract(q.multiply(halfPi, wide), wide).round(MC);
        int quadrant = q.toBigInteger().and(BigInteger.valueOf(3)).intValue();
        BigDecimal sr = sinSeries(r), cr = cosSeries(r);
        BigDecimal sin = switch (quadrant) { case 0 -> sr; case 1 -> cr; case 2 -> sr.negate(); default -> cr.negate(); };
        BigDecimal cos = switch (quadrant) { case 0 -> cr; case 1 -> sr.negate(); case 2 -> cr.negate(); default -> sr; };
        round(ar, which == Op.FSIN ? sin : which == Op.FCOS ? cos : sin.divide(cos, MC));
    }

    /** f2xm1's result into ar (operands of any class). */
    static void twoXMinus1(ExtendedReal ar, X87FastMath fast, int xe, long xm) {
        if (nanOrUnsupported(ar, xe, xm)) { /* result set */ }
        else if (ExtendedReal.isInf(xe, xm)) {
            if ((xe & 0x8000) != 0) ar.result(0x8000 | BIAS, INT_BIT); else ar.result(xe, xm);
        } else if (ExtendedReal.isZero(xe, xm)) {
            ar.result(xe, 0);
        } else if (ExtendedReal.exp(xe) >= BIAS && !(ExtendedReal.exp(xe) == BIAS && xm == INT_BIT)) {
            ar.result(xe, xm);   // |x| > 1, outside the domain: the host CPU returns x, inexact
            ar.exc |= ExtendedReal.PE;
        } else {
            if (ExtendedReal.isDenormal(xe, xm)) ar.exc |= DE;
            if (fast == null || !fast.twoXMinus1(ar, xe, xm)) round(ar, expm1(toDecimal(xe, xm).multiply(LN2, MC)));
        }
    }

    /** fyl2x, fyl2xp1, fpatan: x = ST0, y = ST1; the result replaces ST1 and the stack pops. */
    private static void binaryOp(X87 f, Op op, int xe, long xm, int ye, long ym) {
        binaryValue(f.ar, f.fast, op, xe, xm, ye, ym);
        if (!f.commitResult()) return;
        f.put(1, f.ar.se, f.ar.sig);
        f.popStack();
    }

    /** The result of fyl2x, fyl2xp1 or fpatan (x = ST0, y = ST1, operands of any class) into ar. */
    static void binaryValue(ExtendedReal ar, X87FastMath fast, Op op, int xe, long xm, int ye, long ym) {
        if (ExtendedReal.isUnsupported(xe, xm) || ExtendedReal.isUnsupported(ye, ym)) ar.indefinite();
        else if (ExtendedReal.isNaN(xe, xm) || ExtendedReal.isNaN(ye, ym)) ar.add(xe, xm, ye, ym, false);
        else if (op == Op.FPATAN) {
            boolean finite = !ExtendedReal.isInf(xe, xm) && !ExtendedReal.isInf(ye, ym)
                    && !ExtendedReal.isZero(xe, xm) && !ExtendedReal.isZero(ye, ym);
            boolean xFinite = !ExtendedReal.isInf(xe, xm) && !ExtendedReal.isZero(xe, xm);
            if (ExtendedReal.isDenormal(xe, xm) || (finite && ExtendedReal.isDenormal(ye, ym))) ar.exc |= DE;
            if (!xFinite && ExtendedReal.isDenormal(ye, ym)) ar.exc |= DE;
            atan2(ar, fast, ye, ym, xe, xm);
            if ((ar.exc & IE) != 0) ar.exc &= ~DE;   // an invalid operand is reported alone
        } else if (op == Op.FYL2X) log2(ar, fast, xe, xm, ye, ym);
        else log2p1(ar, fast, xe, xm, ye, ym);
    }

    private static void atan2(ExtendedReal ar, X87FastMath fast, int ye, long ym, int xe, long xm) {
        int ys = ye & 0x8000;
        boolean xneg = (xe & 0x8000) != 0;
        boolean yz = ExtendedReal.isZero(ye, ym), xz = ExtendedReal.isZero(xe, xm);
        boolean yi = ExtendedReal.isInf(ye, ym), xi = ExtendedReal.isInf(xe, xm);
        BigDecimal r;
        if (yz) r = xneg ? PI : BigDecimal.ZERO;
        else if (yi && xi) r = xneg ? PI.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4)) : PI.divide(BigDecimal.valueOf(4));
        else if (yi || xz) r = PI.divide(TWO);
        else if (xi) r = xneg ? PI : BigDecimal.ZERO;
        else if (fast != null && fast.atan2(ar, ye, ym, xe, xm)) return;
        else {
            BigDecimal y = toDecimal(ye & 0x7FFF, ym), x = toDecimal(xe, xm);
            BigDecimal a = atan(y.divide(x.abs(), MC));
            r = xneg ? PI.subtract(a, MC) : a;
        }
        if (r.signum() == 0) { ar.result(ys, 0); return; }
        round(ar, ys != 0 ? r.negate() : r);
    }

    /**
     * y * log2(x). The host's order: a negative x, 0 * log2(0), inf * log2(1) and 0 * log2(inf) are
     * invalid (nothing else reported); x = 0 divides by zero (a denormal y not reported); any other
     * denormal operand is reported, also beside an infinite or zero result; a finite nonzero product
     * of x other than 1 is always inexact, even when it is exact (x a power of two).
     */
    private static void log2(ExtendedReal ar, X87FastMath fast, int xe, long xm, int ye, long ym) {
        boolean xz = ExtendedReal.isZero(xe, xm), yz = ExtendedReal.isZero(ye, ym);
        boolean xi = ExtendedReal.isInf(xe, xm), yi = ExtendedReal.isInf(ye, ym);
        int ys = ye & 0x8000;
        if ((xe & 0x8000) != 0 && !xz) { ar.indefinite(); return; }
        if (xz) {
            if (yz) { ar.indefinite(); return; }
            if (!yi) ar.exc |= ZE;
            ar.result((ys ^ 0x8000) | MAX_EXP, INT_BIT);
            return;
        }
        boolean one = ExtendedReal.exp(xe) == BIAS && xm == INT_BIT;
        if ((xi && yz) || (one && yi)) { ar.indefinite(); return; }
        if (ExtendedReal.isDenormal(xe, xm) || ExtendedReal.isDenormal(ye, ym)) ar.exc |= DE;
        if (xi) { ar.result(ys | MAX_EXP, INT_BIT); return; }
        if (one) { ar.result(ys, 0); return; }
        boolean below = ExtendedReal.exp(xe) < BIAS;
        if (yi) { ar.result(ys ^ (below ? 0x8000 : 0) | MAX_EXP, INT_BIT); return; }
        if (yz) { ar.result(ys ^ (below ? 0x8000 : 0), 0); return; }
        int k = powerOfTwo(xe, xm);
        if (k != Integer.MIN_VALUE) round(ar, toDecimal(ye, ym).multiply(BigDecimal.valueOf(k)));
        else if (fast == null || !fast.log2(ar, xe, xm, ye, ym)) round(ar, ln(xe, xm).divide(LN2, MC).multiply(toDecimal(ye, ym), MC));
        alwaysInexact(ar);
    }

    /**
     * y * log2(1 + x), defined for |x| < 1 - sqrt(2)/2: a zero x with an infinite y is invalid, a
     * denormal operand is reported, and a finite nonzero product is always inexact.
     */
    private static void log2p1(ExtendedReal ar, X87FastMath fast, int xe, long xm, int ye, long ym) {
        boolean xz = ExtendedReal.isZero(xe, xm), yz = ExtendedReal.isZero(ye, ym);
        boolean xi = ExtendedReal.isInf(xe, xm), yi = ExtendedReal.isInf(ye, ym);
        int sign = (xe ^ ye) & 0x8000;
        if (xz && yi) { ar.indefinite(); return; }
        if (xi) { ar.indefinite(); return; }   // outside the defined range
        if ((xe & 0x8000) != 0 && ExtendedReal.exp(xe) >= BIAS) { ar.indefinite(); return; }   // x <= -1
        if (ExtendedReal.isDenormal(xe, xm) || ExtendedReal.isDenormal(ye, ym)) ar.exc |= DE;
        if (xz || yz) { ar.result(sign, 0); return; }
        if (yi) { ar.result(sign | MAX_EXP, INT_BIT); return; }
        if (fast == null || !fast.log2p1(ar, xe, xm, ye, ym)) round(ar, log1p(toDecimal(xe, xm)).divide(LN2, MC).multiply(toDecimal(ye, ym), MC));
        alwaysInexact(ar);
    }

    /** The host reports PE for every computed logarithm, and so a denormal result (masked) as an underflow too. */
    private static void alwaysInexact(ExtendedReal ar) {
        ar.exc |= ExtendedReal.PE;
        if (ExtendedReal.isDenormal(ar.se, ar.sig) && (ar.masks & ExtendedReal.UE) != 0) ar.exc |= ExtendedReal.UE;
    }

    /** k when the positive finite x is exactly 2^k, else Integer.MIN_VALUE. */
    private static int powerOfTwo(int xe, long xm) {
        if (Long.bitCount(xm) != 1) return Integer.MIN_VALUE;
        int e = ExtendedReal.exp(xe) == 0 ? 1 : ExtendedReal.exp(xe);
        return e - BIAS - Long.numberOfLeadingZeros(xm);
    }
}

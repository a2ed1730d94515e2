package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.x86.Op;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The 128-bit fast paths of the transcendental instructions give, for every operand they accept, the
 * same register value, exception flags and rounding direction as the 200-bit decimal path, in every
 * rounding mode; and they accept nearly every operand (the decimal path is the rare fallback).
 * Operands: random significands over the exponents each instruction meets, their edges (near 1,
 * near multiples of pi/2, denormals, results that overflow or underflow), with masked and unmasked
 * underflow and overflow.
 */
class X87FastMathTest {
    static final int BIAS = ExtendedReal.BIAS;

    /** Outcome of one evaluation: register value, exception flags, C1. */
    private record Outcome(int se, long sig, int exc, boolean up) {
        @Override public String toString() {
            return String.format("%04x:%016x exc=%02x up=%b", se, sig, exc, up);
        }
    }

    private interface Eval { void run(ExtendedReal ar, X87FastMath fast); }

    private final X87FastMath fast = new X87FastMath();
    /** Operands the fast path rounded by itself. */
    private int accepted;

    private static ExtendedReal unit(int rc, int masks) {
        ExtendedReal ar = new ExtendedReal();
        ar.rc = rc;
        ar.masks = masks;
        ar.begin();
        return ar;
    }

    private void check(String what, int rc, int masks, Eval eval) {
        ExtendedReal slow = unit(rc, masks), quick = unit(rc, masks);
        eval.run(slow, null);
        eval.run(quick, fast);
        Outcome s = new Outcome(slow.se, slow.sig, slow.exc, slow.roundedUp), q = new Outcome(quick.se, quick.sig, quick.exc, quick.roundedUp);
        assertEquals(s, q, what + " rc=" + rc + " masks=" + Integer.toHexString(masks));
    }

    /** A significand with its integer bit, random below it, sometimes near a boundary (all ones, one ulp over a power of two). */
    private static long significand(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> -1L - r.nextInt(4);
            case 1 -> ExtendedReal.INT_BIT + r.nextInt(4);
            default -> r.nextLong() | ExtendedReal.INT_BIT;
        };
    }

    private static int rc(SplittableRandom r) { return r.nextInt(4); }

    private static int masks(SplittableRandom r) { return r.nextInt(4) == 0 ? 0x3F & ~(ExtendedReal.UE | ExtendedReal.OE) : 0x3F; }

    @Test
    void twoToTheXMinusOneMatchesTheDecimalPath() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 500;
        for (int i = 0; i < n; i++) {
            int sign = r.nextBoolean() ? 0x8000 : 0;
            int exp = i % 50 == 0 ? 0 : BIAS - 1 - (r.nextInt(10) == 0 ? r.nextInt(16000) : r.nextInt(70));
            long sig = exp == 0 ? r.nextLong() >>> 1 : significand(r);
            if (i % 30 == 0) { exp = BIAS; sig = ExtendedReal.INT_BIT; }   // +-1: exact results
            int se = sign | Math.max(exp, 0);
            long m = sig;
            check(String.format("f2xm1 %04x:%016x", se, m), rc(r), masks(r), (ar, f) -> X87Transcendental.twoXMinus1(ar, f, se, m));
            if (fast.twoXMinus1(unit(0, 0x3F), se, m)) accepted++;
        }
        assertMostlyAccepted(n);
    }

    @Test
    void logarithmsMatchTheDecimalPath() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 250;
        for (int i = 0; i < n; i++) {
            int xe = switch (r.nextInt(4)) {
                case 0 -> BIAS - 1 + r.nextInt(2);              // near 1
                case 1 -> 1 + r.nextInt(0x7FFD);                 // anywhere
                case 2 -> 0;                                     // denormal
                default -> BIAS - 40 + r.nextInt(80);
            };
            long xm = xe == 0 ? r.nextLong() >>> 1 | 1 : significand(r);
            int ye = (r.nextBoolean() ? 0x8000 : 0) | (r.nextInt(5) == 0 ? 1 + r.nextInt(0x7FFD) : BIAS - 20 + r.nextInt(40));
            long ym = significand(r);
            int rc = rc(r), masks = masks(r);
            check(String.format("fyl2x x=%04x:%016x y=%04x:%016x", xe, xm, ye, ym), rc, masks,
                    (ar, f) -> X87Transcendental.binaryValue(ar, f, Op.FYL2X, xe, xm, ye, ym));
            if (fast.log2(unit(0, 0x3F), xe == 0 ? 1 : xe, xm | ExtendedReal.INT_BIT | 1, ye, ym)) accepted++;
            int pe = (r.nextBoolean() ? 0x8000 : 0) | (r.nextInt(4) == 0 ? 0 : BIAS - 2 - r.nextInt(r.nextBoolean() ? 70 : 16000));
            long pm = (pe & 0x7FFF) == 0 ? r.nextLong() >>> 1 | 1 : significand(r);
            check(String.format("fyl2xp1 x=%04x:%016x y=%04x:%016x", pe, pm, ye, ym), rc, masks,
                    (ar, f) -> X87Transcendental.binaryValue(ar, f, Op.FYL2XP1, pe, pm, ye, ym));
            if (fast.log2p1(unit(0, 0x3F), pe, pm, ye, ym)) accepted++;
        }
        assertMostlyAccepted(2 * n);
    }

    @Test
    void arctangentMatchesTheDecimalPath() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 500;
        for (int i = 0; i < n; i++) {
            int ey = BIAS - 30 + r.nextInt(60);
            int ex = switch (r.nextInt(4)) {
                case 0 -> ey;
                case 1 -> ey + r.nextInt(7) - 3;
                case 2 -> 1 + r.nextInt(0x7FFD);
                default -> ey + r.nextInt(200) - 100;
            };
            int ye = (r.nextBoolean() ? 0x8000 : 0) | ey, xe = (r.nextBoolean() ? 0x8000 : 0) | ex;
            long ym = significand(r), xm = r.nextInt(10) == 0 ? ym : significand(r);
            check(String.format("fpatan y=%04x:%016x x=%04x:%016x", ye, ym, xe, xm), rc(r), masks(r),
                    (ar, f) -> X87Transcendental.binaryValue(ar, f, Op.FPATAN, xe, xm, ye, ym));
            if (fast.atan2(unit(0, 0x3F), ye, ym, xe, xm)) accepted++;
        }
        assertMostlyAccepted(n);
    }

    @Test
    void sineCosineAndTangentMatchTheDecimalPath() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 250;
        Op[] ops = {Op.FSIN, Op.FCOS, Op.FPTAN};
        for (int i = 0; i < n; i++) {
            int xe = (r.nextBoolean() ? 0x8000 : 0) | (r.nextInt(3) == 0 ? BIAS - 40 + r.nextInt(103) : BIAS - 2 + r.nextInt(6));
            long xm = significand(r);
            if (i % 25 == 0) { xe = BIAS; xm = 0xC90FDAA22168C235L; }   // pi/2, rounded up
            int e = xe;
            long m = xm;
            int rc = rc(r), masks = masks(r);
            for (Op op : ops) {
                check(String.format("%s %04x:%016x", op, e, m), rc, masks, (ar, f) -> X87Transcendental.trigValue(ar, f, op, e, m));
            }
            if (fast.sinCos(e, m) && fast.packSin(unit(0, 0x3F)) && fast.packCos(unit(0, 0x3F))) accepted++;
        }
        assertMostlyAccepted(n);
    }

    @Test
    void largeArgumentsReduceExactly() {
        // 2^62 + ..., the top of the range, and arguments whose remainder by pi/2 is small
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            int xe = BIAS + 55 + r.nextInt(8);
            long xm = significand(r);
            int rc = rc(r);
            for (Op op : new Op[] {Op.FSIN, Op.FCOS}) {
                check(String.format("%s %04x:%016x", op, xe, xm), rc, 0x3F, (ar, f) -> X87Transcendental.trigValue(ar, f, op, xe, xm));
            }
        }
    }

    private void assertMostlyAccepted(int n) {
        assertTrue(accepted >= n * 9 / 10, "the fast path answered " + accepted + " of " + n);
    }
}

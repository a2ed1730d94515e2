package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The x87 unit on facts of the Intel manual that the host-CPU differential tester does not reach: the
 * fault model (a store that page-faults changes nothing), #MF at the next waiting instruction, the
 * kernel's API (FNSAVE image, si_code) and CPUID. Values: 1/3 in each precision control.
 */
class X87Test {
    static final int DATA = 0x200000;

    private TestGuest run(String code) {
        TestGuest g = new TestGuest();
        g.load(code);
        assertEquals(StopReason.HALTED, g.run());
        return g;
    }

    /** The 80-bit value at DATA+off: {exponent and sign, significand}. */
    private static long[] ext(TestGuest g, int off) {
        long m = g.mem.read32(DATA + off) & 0xFFFFFFFFL | (long) g.mem.read32(DATA + off + 4) << 32;
        return new long[] {g.mem.read16(DATA + off + 8), m};
    }

    private static String third(int controlWord) {
        return "movl $" + controlWord + ", 0x200100\n fldcw 0x200100\n movl $3, 0x200104\n"
                + " fld1\n fidivl 0x200104\n fnstsw 0x200010\n fstpt 0x200000\n hlt";
    }

    @Test
    void oneThirdInEachPrecisionAndRounding() {
        assertArrayEquals(new long[] {0x3FFD, 0xAAAAAAAAAAAAAAABL}, ext(run(third(0x37F)), 0), "extended, nearest");
        assertArrayEquals(new long[] {0x3FFD, 0xAAAAAAAAAAAAAAAAL}, ext(run(third(0x77F)), 0), "extended, down");
        assertArrayEquals(new long[] {0x3FFD, 0xAAAAAAAAAAAAA800L}, ext(run(third(0x27F)), 0), "double precision");
        assertArrayEquals(new long[] {0x3FFD, 0xAAAAAB0000000000L}, ext(run(third(0x07F)), 0), "single precision");
        TestGuest g = run(third(0x37F));
        assertEquals(0x0220, g.mem.read16(DATA + 0x10) & 0x47FF, "PE, and C1: rounded up");
    }

    @Test
    void unmaskedZeroDivideRaisesMfAtTheNextWaitingInstruction() {
        TestGuest g = run("movl $0x37B, 0x200100\n fldcw 0x200100\n fldz\n fld1\n fdivp %st,%st(1)\n"
                + " fnstsw 0x200010\n fwait\n hlt");
        assertEquals(Vector.MF, g.last().vector());
        assertEquals(TestGuest.CODE + 28, g.last().eip(), "the fwait, after the fdivp and the non-waiting fnstsw");
        assertEquals(0x80 | 0x04, g.mem.read16(DATA + 0x10) & 0xFF, "ZE and ES");
        assertEquals(3, g.cpu.fpuSiCode(), "FPE_FLTDIV");
        assertEquals(6 << 11, g.cpu.fpuStatusWord() & 0x3800, "an unmasked ZE stops fdivp before its pop");
    }

    @Test
    void aStoreThatPageFaultsLeavesTheUnitUntouched() {
        TestGuest g = new TestGuest();
        g.pte(DATA + 0x1000, 0);   // the page after DATA is not present
        g.load("fldpi\n fld1\n movl $0x200ffc, %eax\n fstpl (%eax)\n hlt");
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(Vector.PF, g.last().vector());
        assertEquals(DATA + 0x1000, g.cpu.getCr2());
        assertEquals(6 << 11, g.cpu.fpuStatusWord() & 0x3800, "TOP still 6: no pop");
        assertEquals(0x0FFF, g.cpu.fpuTagWord() & 0xFFFF, "ST0 and ST1 still valid");
        assertEquals(0, g.mem.read32(DATA + 0xFFC), "no byte written before the fault");
    }

    @Test
    void fnsaveImageRoundTripsAndResetIsFninit() {
        TestGuest g = run("fldpi\n fld1\n hlt");
        byte[] image = g.cpu.fpuSaveFnsave();
        assertEquals(108, image.length);
        assertEquals(0x037F, image[0] & 0xFF | (image[1] & 0xFF) << 8);
        assertEquals(0x3FFF, image[28 + 8] & 0xFF | (image[28 + 9] & 0xFF) << 8, "ST0 = 1.0");
        g.cpu.fpuReset();
        assertEquals(0xFFFF, g.cpu.fpuTagWord());
        assertEquals(0, g.cpu.fpuStatusWord());
        assertEquals(0x037F, g.cpu.fpuControlWord());
        g.cpu.fpuRestoreFnsave(image);
        assertArrayEquals(image, g.cpu.fpuSaveFnsave());
    }

    @Test
    void cpuidReportsAnFpuButNoMmxSseOrFxsr() {
        TestGuest g = run("movl $1, %eax\n cpuid\n hlt");
        int edx = g.cpu.reg(Cpu.EDX);
        assertEquals(1, edx & 1, "FPU");
        assertEquals(0, edx & (1 << 23 | 1 << 24 | 1 << 25 | 1 << 26), "no MMX, FXSR, SSE, SSE2");
    }

    /** CPUID reports no FXSR, so fxsave and fxrstor are undefined opcodes, as on a P6 without FXSR (the Pentium Pro). */
    @Test
    void fxsaveAndFxrstorAreUndefinedWithoutFxsr() {
        for (String insn : new String[] {"fxsave 0x200000", "fxrstor 0x200000"}) {
            TestGuest g = run("movl $7, %ebx\n " + insn + "\n movl $8, %ebx\n hlt");
            assertEquals(Vector.UD, g.last().vector(), insn);
            assertEquals(TestGuest.CODE + 5, g.last().eip(), insn + ": the fault at the instruction");
            assertEquals(7, g.cpu.reg(Cpu.EBX));
            assertEquals(0, g.mem.read32(DATA), "nothing written");
        }
    }

    /** fsqrt's integer square root on 128 bits against BigInteger's, at the edges and on random radicands. */
    @Test
    void integerSquareRootOf128BitsIsExact() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(14);
        long[][] edges = {{0x4000000000000000L, 0}, {-1L, -1L}, {-2L, 1}, {0x4000000000000000L, 1},
            {0x7FFFFFFFFFFFFFFFL, -1L}, {0x8000000000000000L, 0}, {-1L, 0}};
        for (int k = 0; k < 200_000 + edges.length; k++) {
            long hi, lo;
            if (k < edges.length) { hi = edges[k][0]; lo = edges[k][1]; }
            else {
                hi = r.nextLong() | 0x4000000000000000L;
                lo = r.nextLong();
                if (k % 3 == 0) {   // a perfect square, or one off it
                    long q = r.nextLong() | Long.MIN_VALUE;
                    hi = ExtendedReal.unsignedMultiplyHigh(q, q);
                    lo = q * q + (k % 2 == 0 ? 0 : -1);
                    if (lo == -1L) hi--;
                }
            }
            java.math.BigInteger rad = new java.math.BigInteger(Long.toUnsignedString(hi)).shiftLeft(64)
                    .add(new java.math.BigInteger(Long.toUnsignedString(lo)));
            assertEquals(rad.sqrt().longValue(), ExtendedReal.isqrt128(hi, lo), Long.toHexString(hi) + ":" + Long.toHexString(lo));
        }
    }

    private static java.math.BigInteger unsigned(long v) { return new java.math.BigInteger(Long.toUnsignedString(v)); }

    /** The 128-by-64-bit division behind fdiv against BigInteger's, at the edges of its correction steps and at random. */
    @Test
    void unsignedDivisionOf128By64BitsIsExact() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(15);
        ExtendedReal ar = new ExtendedReal();
        for (int k = 0; k < 200_000; k++) {
            long v = r.nextLong() | Long.MIN_VALUE;
            if (k % 4 == 0) v = k % 8 == 0 ? Long.MIN_VALUE + r.nextInt(3) : -1L - r.nextInt(3);
            long u1 = k % 5 == 0 ? v - 1 - r.nextInt(2) : Long.remainderUnsigned(r.nextLong(), v), u0 = k % 7 == 0 ? -1L : r.nextLong();
            java.math.BigInteger[] qr = unsigned(u1).shiftLeft(64).add(unsigned(u0)).divideAndRemainder(unsigned(v));
            String what = Long.toHexString(u1) + ":" + Long.toHexString(u0) + " / " + Long.toHexString(v);
            assertEquals(qr[0].longValue(), ar.divideUnsigned128(u1, u0, v), what);
        }
    }

    /** fdiv of two significands, rounded to 64 bits in each direction, against the exact quotient; PE and C1 with it. */
    @Test
    void divisionRoundsTheExactQuotient() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(16);
        ExtendedReal ar = new ExtendedReal();
        for (int k = 0; k < 100_000; k++) {
            long a = r.nextLong() | Long.MIN_VALUE, b = r.nextLong() | Long.MIN_VALUE;
            if (k % 3 == 0) b = a + r.nextInt(5) - 2 | Long.MIN_VALUE;
            if (k % 11 == 0) { long q = r.nextLong() >>> 33 | 1L << 30; b = (r.nextLong() >>> 33 | 1L << 30) << 33; a = b / (1L << 33) * q; a <<= Long.numberOfLeadingZeros(a); }
            int rc = k & 3;
            int shift = Long.compareUnsigned(a, b) < 0 ? 64 : 63;
            java.math.BigInteger[] qr = unsigned(a).shiftLeft(shift).divideAndRemainder(unsigned(b));
            long q = qr[0].longValue();
            int c = qr[1].shiftLeft(1).compareTo(unsigned(b));
            boolean inexact = qr[1].signum() != 0;
            boolean up = switch (rc) {
                case ExtendedReal.RC_NEAREST -> c > 0 || (c == 0 && (q & 1) != 0);
                case ExtendedReal.RC_UP -> inexact;
                default -> false;
            };
            int e = ExtendedReal.BIAS + 63 - shift;
            if (up) { q++; if (q == 0) { q = Long.MIN_VALUE; e++; } }
            ar.rc = rc;
            ar.begin();
            ar.div(ExtendedReal.BIAS, a, ExtendedReal.BIAS, b);
            String what = Long.toHexString(a) + " / " + Long.toHexString(b) + " rc=" + rc;
            assertEquals(Long.toHexString(q) + " " + Integer.toHexString(e), Long.toHexString(ar.sig) + " " + Integer.toHexString(ar.se), what);
            assertEquals(inexact ? ExtendedReal.PE : 0, ar.exc, what);
            assertEquals(inexact && up, ar.roundedUp, what);
        }
    }

    /** fprem and fprem1 of a by b: the remainder at DATA and the status word's C3 C2 C1 C0 (quotient bits, partial). */
    private long[] remainder(String op, String a, String b) {
        TestGuest g = run("movl $0x" + a.substring(0, 8) + ", 0x200104\n movl $0x" + a.substring(8) + ", 0x200100\n fldl 0x200100\n"
                + " movl $0x" + b.substring(0, 8) + ", 0x20010c\n movl $0x" + b.substring(8) + ", 0x200108\n fldl 0x200108\n"
                + " fxch\n " + op + "\n fnstsw 0x200010\n fstpt 0x200000\n hlt");
        long[] v = ext(g, 0);
        return new long[] {v[0], v[1], g.mem.read16(DATA + 0x10) & 0x4700};
    }

    @Test
    void partialRemainderGivesTheQuotientBitsAndRoundsForFprem1() {
        String a = Long.toHexString(Double.doubleToRawLongBits(10.5)), three = Long.toHexString(Double.doubleToRawLongBits(3.0));
        // 10.5 = 3 * 3 + 1.5: quotient 3 (C1 = 1, C3 = 1, C0 = 0)
        assertArrayEquals(new long[] {0x3FFF, 0xC000000000000000L, 0x4200}, remainder("fprem", a, three));
        // 10.5 / 3 = 3.5 rounds to even 4: -1.5, quotient 4 (C0)
        assertArrayEquals(new long[] {0xBFFF, 0xC000000000000000L, 0x0100}, remainder("fprem1", a, three));
        // 1.5 / 2 = 0.75 rounds to 1: -0.5, quotient 1 (C1)
        assertArrayEquals(new long[] {0xBFFE, 0x8000000000000000L, 0x0200},
                remainder("fprem1", Long.toHexString(Double.doubleToRawLongBits(1.5)), Long.toHexString(Double.doubleToRawLongBits(2.0))));
        // 2^100 / 3: exponents 64 or more apart, a partial remainder (C2) that keeps reducing to 2^100 mod 3 = 1
        String big = Long.toHexString(Double.doubleToRawLongBits(0x1p100));
        long[] partial = remainder("fprem", big, three);
        assertEquals(0x0400, partial[2], "C2: incomplete");
        java.math.BigInteger step = java.math.BigInteger.ONE.shiftLeft(100).mod(java.math.BigInteger.valueOf(3).shiftLeft(100 - 1 - 32 - ((100 - 1) & 31)));
        assertEquals(step.bitLength() - 1 + 0x3FFF, partial[0], "the partial remainder's exponent");
        assertEquals(step.shiftLeft(64 - step.bitLength()).longValue(), partial[1], "the partial remainder");
    }
}

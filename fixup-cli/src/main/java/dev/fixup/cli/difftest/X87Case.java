package dev.fixup.cli.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One random x87 test case: a starting FPU state (an FRSTOR image: control word with a random rounding
 * and precision control and mostly masked exceptions, TOP, condition codes, empty registers and eight
 * register values), EFLAGS for fcmov, a memory block of operands, and a sequence of x87 instructions.
 * Values come from classes chosen for the corners of the format: zeros, denormals, pseudo-denormals,
 * unnormals, infinities, quiet and signaling NaNs, the indefinite, extremes of the exponent, significands
 * next to the rounding boundaries of 24, 53 and 64 bits, small integers, halves.
 */
public record X87Case(long seed, byte[] image, int eflags, byte[] memory, List<String> insns, boolean unmasked) {
    /** Memory block: 16 slots of 16 bytes; slot 15 is where fnstenv writes (28 bytes over slots 14-15). */
    public static final int MEM_SIZE = 256;
    /** Instructions per case at most (each step's status word is recorded). */
    public static final int MAX_STEPS = 12;
    /** Transcendental instructions: compared within one ulp, and generated only as the last instruction. */
    static final List<String> TRANSCENDENTAL = List.of("fsin", "fcos", "fsincos", "fptan", "fpatan", "f2xm1", "fyl2x", "fyl2xp1");

    /** The case cut after k instructions. */
    public X87Case prefix(int k) {
        return new X87Case(seed, image, eflags, memory, List.copyOf(insns.subList(0, k)), unmasked);
    }

    public boolean transcendental() {
        return !insns.isEmpty() && TRANSCENDENTAL.contains(insns.get(insns.size() - 1));
    }

    public static X87Case generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Gen g = new Gen(r);
        boolean unmasked = r.nextInt(5) == 0;
        int masks = unmasked ? r.nextInt(0x40) : 0x3F;
        int cw = 0x40 | masks | r.nextInt(4) << 8 | r.nextInt(4) << 10;
        if (r.nextInt(3) == 0) cw = 0x037F;   // the default: extended precision, nearest
        int top = r.nextInt(8);
        int sw = top << 11 | (r.nextInt(16) & 0xF) * 0 | (r.nextBoolean() ? 0x4000 : 0) | (r.nextBoolean() ? 0x100 : 0);
        int emptyCount = r.nextInt(4) == 0 ? r.nextInt(9) : r.nextInt(3);
        int tag = 0;
        for (int i = 0; i < emptyCount; i++) tag |= 3 << (2 * ((top + 7 - i) & 7));   // empty from the bottom
        if (r.nextInt(10) == 0) tag |= 3 << (2 * r.nextInt(8));
        byte[] image = new byte[108];
        le(image, 0, 0xFFFF0000L | cw, 4);
        le(image, 4, 0xFFFF0000L | sw, 4);
        le(image, 8, 0xFFFF0000L | tag, 4);
        for (int k = 0; k < 8; k++) {
            long[] v = g.extended();
            le(image, 28 + 10 * k, v[1], 8);
            le(image, 36 + 10 * k, v[0], 2);
        }
        byte[] mem = new byte[MEM_SIZE];
        for (int slot = 0; slot < 13; slot++) g.slot(mem, slot * 16, unmasked);
        g.controlWord(mem, 13 * 16, unmasked);   // what fldcw loads
        int eflags = 0x202 | (r.nextBoolean() ? 1 : 0) | (r.nextBoolean() ? 0x40 : 0) | (r.nextBoolean() ? 4 : 0);
        List<String> insns = new ArrayList<>();
        int n = 1 + r.nextInt(MAX_STEPS);
        for (int i = 0; i < n; i++) insns.add(g.instruction(i == n - 1 && r.nextInt(4) == 0, unmasked));
        return new X87Case(seed, image, eflags, mem, insns, unmasked);
    }

    /** Special operands of the logarithms, {sign/exponent, significand}: every class of the format and the values at their edges. */
    static final long[][] LOG_SPECIALS = {
        {0, 0}, {0x8000, 0}, {0, 1}, {0x8000, 1}, {0, 0x0003F0136D803FF1L}, {0, 0x8000000000000001L},
        {0x7FFF, 0x8000000000000000L}, {0xFFFF, 0x8000000000000000L}, {0x7FFF, 0xC000000000000000L}, {0x7FFF, 0xA000000000000000L},
        {0x3FFF, 0x8000000000000000L}, {0xBFFF, 0x8000000000000000L}, {0x3FFF, 0x8000000000000001L}, {0x3FFE, 0xFFFFFFFFFFFFFFFFL},
        {0x4000, 0x8000000000000000L}, {0x3FFE, 0x8000000000000000L}, {0xBFFE, 0x8000000000000000L}, {0x3FFD, 0x95F619980C4336F6L},
        {0xBFFD, 0x95F619980C4336F6L}, {0x7FFB, 0xC000000000000000L}, {0x0001, 0x8000000000000000L}, {0x3FC0, 0x8000000000000000L},
        {0xBFC0, 0xC000000000000000L}, {0x3FFF, 0x4000000000000000L}, {0x8001, 0x8000000000000000L},
    };

    /** Control words of the specials: the default, single precision rounding up, every exception unmasked, DE alone unmasked. */
    static final int[] LOG_CONTROL_WORDS = {0x037F, 0x087F, 0x0360, 0x037D};

    /**
     * fyl2x and fyl2xp1 over every pair of {@link #LOG_SPECIALS} (x in ST0, y in ST1) in each of
     * {@link #LOG_CONTROL_WORDS}: the corners a random sequence rarely reaches.
     */
    public static List<X87Case> logarithmSpecials() {
        List<X87Case> cases = new ArrayList<>();
        long seed = 0;
        for (int cw : LOG_CONTROL_WORDS) {
            for (String op : List.of("fyl2x", "fyl2xp1")) {
                for (long[] x : LOG_SPECIALS) {
                    for (long[] y : LOG_SPECIALS) {
                        byte[] image = new byte[108];
                        le(image, 0, 0xFFFF0000L | cw, 4);
                        le(image, 4, 0xFFFF0000L, 4);            // TOP 0: ST0 is R0, ST1 is R1
                        le(image, 8, 0xFFFFFFF0L, 4);            // R2..R7 empty
                        le(image, 28, x[1], 8);
                        le(image, 36, x[0], 2);
                        le(image, 38, y[1], 8);
                        le(image, 46, y[0], 2);
                        cases.add(new X87Case(seed++, image, 0x202, new byte[MEM_SIZE], List.of(op), (cw & 0x3F) != 0x3F));
                    }
                }
            }
        }
        return cases;
    }

    static void le(byte[] b, int off, long v, int n) {
        for (int k = 0; k < n; k++) b[off + k] = (byte) (v >>> (8 * k));
    }

    /** The random choices. */
    static final class Gen {
        private final SplittableRandom r;

        Gen(SplittableRandom r) { this.r = r; }

        private long significand() {
            switch (r.nextInt(9)) {
                case 0: return 0x8000000000000000L;
                case 1: return -1L;
                case 2: return 0x8000000000000000L | (r.nextLong() & ((1L << 40) - 1)) << 0 | (r.nextBoolean() ? 1L << 39 : 0);
                case 3: return 0x8000000000000000L | (r.nextInt(4) - 2L + (1L << 10)) << r.nextInt(2) ;   // near the 53-bit boundary
                case 4: return (r.nextLong() | 0x8000000000000000L) & ~((1L << 40) - 1) | (r.nextBoolean() ? 1L << 39 : 0) | r.nextInt(2);
                case 5: return (r.nextLong() | 0x8000000000000000L) & ~((1L << 11) - 1) | (r.nextBoolean() ? 1L << 10 : 0) | r.nextInt(2);
                case 6: return 0xC000000000000000L;
                default: return r.nextLong() | 0x8000000000000000L;
            }
        }

        /** {se, sig} of a register value. */
        long[] extended() {
            long s = r.nextBoolean() ? 0x8000 : 0;
            switch (r.nextInt(20)) {
                case 0: return new long[] {s, 0};
                case 1: return new long[] {s, r.nextLong() >>> (1 + r.nextInt(63))};            // denormal
                case 2: return new long[] {s, r.nextLong() | 0x8000000000000000L};             // pseudo-denormal
                case 3: return new long[] {s | 0x7FFF, 0x8000000000000000L};                    // infinity
                case 4: return new long[] {s | 0x7FFF, 0xC000000000000000L | r.nextLong() >>> 2 & -r.nextInt(2)};   // QNaN
                case 5: return new long[] {s | 0x7FFF, 0x8000000000000000L | (r.nextLong() >>> 2 | 1)};    // SNaN
                case 6: return new long[] {0xFFFF, 0xC000000000000000L};                         // indefinite
                case 7: if (r.nextInt(4) == 0) return new long[] {s | (1 + r.nextInt(0x7FFE)), r.nextLong() >>> 1};   // unnormal
                        return new long[] {s | (1 + r.nextInt(4)), significand()};             // tiny normal
                case 8: return new long[] {s | (0x7FFE - r.nextInt(4)), significand()};         // huge
                case 9: case 10: {                                                              // small integer or half
                    long v = r.nextInt(40) - 20;
                    if (v == 0) v = 3;
                    long a = Math.abs(v) * (r.nextBoolean() ? 2 : 1);
                    int z = Long.numberOfLeadingZeros(a);
                    int e = 16383 + 63 - z - (a == Math.abs(v) * 2 ? 1 : 0);
                    return new long[] {(v < 0 ? 0x8000 : 0) | e, a << z};
                }
                case 11: {   // near the single and double exponent limits
                    int[] e = {16383 - 126, 16383 - 127, 16383 - 149, 16383 - 150, 16383 + 127, 16383 + 128,
                        16383 - 1022, 16383 - 1023, 16383 - 1074, 16383 - 1075, 16383 + 1023, 16383 + 1024, 16383 + 62, 16383 + 63, 16383 + 31, 16383 + 15};
                    return new long[] {s | e[r.nextInt(e.length)] + r.nextInt(3) - 1, significand()};
                }
                default: return new long[] {s | (16383 - 40 + r.nextInt(80)), significand()};
            }
        }

        /** Fills a 16-byte memory slot: a real of one of the three sizes, an integer, a BCD or a control word. */
        void slot(byte[] m, int off, boolean unmasked) {
            switch (r.nextInt(7)) {
                case 0: {   // single
                    int[] sp = {0, 1, 0x7FFFFF, 0x800000, 0x7F800000, 0x7FC00000, 0x7F800001, 0x7FBFFFFF, 0x3F800000, 0x4B000000};
                    int v = r.nextInt(3) == 0 ? sp[r.nextInt(sp.length)] : r.nextInt();
                    le(m, off, (r.nextBoolean() ? 0x80000000L : 0) | (v & 0x7FFFFFFFL), 4);
                    return;
                }
                case 1: {
                    long[] sp = {0, 1, 0xFFFFFFFFFFFFFL, 0x10000000000000L, 0x7FF0000000000000L, 0x7FF8000000000000L,
                        0x7FF0000000000001L, 0x3FF0000000000000L, 0x4330000000000000L, 0x3FE0000000000000L};
                    long v = r.nextInt(3) == 0 ? sp[r.nextInt(sp.length)] : r.nextLong();
                    le(m, off, (r.nextBoolean() ? Long.MIN_VALUE : 0) | (v & Long.MAX_VALUE), 8);
                    return;
                }
                case 2: {
                    long[] v = extended();
                    le(m, off, v[1], 8);
                    le(m, off + 8, v[0], 2);
                    return;
                }
                case 3: {
                    long[] sp = {0, 1, -1, 0x7FFF, 0x8000, 0x7FFFFFFF, 0x80000000L, Long.MIN_VALUE, Long.MAX_VALUE, 12345};
                    long v = r.nextInt(3) == 0 ? sp[r.nextInt(sp.length)] : r.nextLong() >> r.nextInt(64);
                    le(m, off, v, 8);
                    return;
                }
                case 4: {   // packed BCD
                    for (int k = 0; k < 9; k++) m[off + k] = (byte) (r.nextInt(10) | r.nextInt(10) << 4);
                    m[off + 9] = (byte) (r.nextBoolean() ? 0x80 : 0);
                    return;
                }
                case 5: controlWord(m, off, unmasked); return;
                default: {
                    for (int k = 0; k < 16; k++) m[off + k] = (byte) r.nextInt();
                }
            }
        }

        /** A control word: any rounding and precision; exceptions unmasked only in an unmasked case. */
        void controlWord(byte[] m, int off, boolean unmasked) {
            int masks = unmasked && r.nextInt(2) == 0 ? r.nextInt(0x40) : 0x3F;
            le(m, off, 0x40 | masks | r.nextInt(4) << 8 | r.nextInt(4) << 10, 2);
        }

        private String st() { return "%st(" + r.nextInt(8) + ")"; }

        /** An operand slot: 0-12 (13 holds fldcw's control word, 14-15 fnstenv's image). */
        private String mem() { return "MEM+" + 16 * r.nextInt(13); }

        private String pick(String... s) { return s[r.nextInt(s.length)]; }

        String instruction(boolean last, boolean unmasked) {
            if (last) return TRANSCENDENTAL.get(r.nextInt(TRANSCENDENTAL.size()));
            switch (r.nextInt(16)) {
                case 0: return pick("flds", "fldl", "fldt", "filds", "fildl", "fildll", "fbld") + " " + mem();
                case 1: return pick("fsts", "fstl", "fstps", "fstpl", "fstpt", "fists", "fistl", "fistps", "fistpl", "fistpll", "fbstp") + " " + mem();
                case 2: case 3: {
                    String op = pick("fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr");
                    switch (r.nextInt(4)) {
                        case 0: return op + " " + st() + ",%st";
                        case 1: return op + " %st," + st();
                        case 2: return op + "p %st," + st();
                        default: return op + pick("s", "l") + " " + mem();
                    }
                }
                case 4: return pick("fiadd", "fimul", "fisub", "fisubr", "fidiv", "fidivr", "ficom", "ficomp") + pick("s", "l") + " " + mem();
                case 5: return pick("fcom", "fcomp", "fucom", "fucomp") + " " + st();
                case 6: return pick("fcoms", "fcoml", "fcomps", "fcompl") + " " + mem();
                case 7: return pick("fcompp", "fucompp", "ftst", "fxam", "fcomi " + st() + ",%st", "fcomip " + st() + ",%st",
                        "fucomi " + st() + ",%st", "fucomip " + st() + ",%st");
                case 8: return pick("fld", "fst", "fstp", "fxch", "ffree", "ffreep") + " " + st();
                case 9: return pick("fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu") + " " + st() + ",%st";
                case 10: return pick("fld1", "fldz", "fldpi", "fldl2e", "fldl2t", "fldlg2", "fldln2");
                case 11: return pick("fchs", "fabs", "fsqrt", "frndint", "fsqrt", "fincstp", "fdecstp", "fnop", "fwait");
                case 12: return pick("fscale", "fprem", "fprem1", "fxtract", "fsqrt");
                case 13: return pick("fldcw MEM+208", "fnstcw " + mem(), "fnstsw " + mem(), "fnstsw %ax", "fnclex",
                        unmasked ? "fnop" : "fnstenv MEM+224");
                default: return pick("fadd", "fsub", "fmul", "fdiv", "fsubr", "fdivr") + " " + st() + ",%st";
            }
        }
    }
}

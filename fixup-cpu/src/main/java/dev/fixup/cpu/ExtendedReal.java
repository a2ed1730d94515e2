package dev.fixup.cpu;


/**
 * Soft-float arithmetic on the x87's 80-bit extended reals, as the P6 does it. A value is a
 * sign-and-exponent half {@code se} (sign in bit 15, biased exponent in bits 0-14, bias 16383)
 * and a 64-bit significand {@code sig} with an explicit integer bit (bit 63).
 *
 * <p>One instance per FPU: it holds the rounding control, precision control and exception masks of
 * the control word, and accumulates the exceptions an operation raises ({@link #exc}) and whether its
 * rounding went up in magnitude ({@link #roundedUp}, the status word's C1). Each operation leaves its
 * result in {@link #se}/{@link #sig}.
 */
final class ExtendedReal {
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20;
    static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    static final int BIAS = 16383, MAX_EXP = 0x7FFF;
    static final long INT_BIT = 0x8000000000000000L;
    /** The QNaN a masked invalid operation returns: negative, quiet, fraction otherwise zero. */
    static final int INDEFINITE_SE = 0xFFFF;
    static final long INDEFINITE_SIG = 0xC000000000000000L;
    /** What an unmasked overflow (underflow) subtracts from (adds to) the exponent of a register result. */
    static final int WRAP = 24576;

    int rc;
    /** Significand bits of the precision control: 24, 53 or 64. */
    int precision = 64;
    /** Exception mask bits of the control word (1 = masked). */
    int masks = 0x3F;
    int exc;
    boolean roundedUp;
    int se;
    long sig;

    // ------------------------------------------------------------------ classes

    static int exp(int se) { return se & MAX_EXP; }
    static int sign(int se) { return (se >> 15) & 1; }
    static boolean isNaN(int se, long sig) { return exp(se) == MAX_EXP && sig < 0 && (sig << 1) != 0; }
    static boolean isSNaN(int se, long sig) { return isNaN(se, sig) && (sig & 0x4000000000000000L) == 0; }
    static boolean isInf(int se, long sig) { return exp(se) == MAX_EXP && sig == INT_BIT; }
    static boolean isZero(int se, long sig) { return exp(se) == 0 && sig == 0; }
    /** Denormal or pseudo-denormal (exponent 0, significand not zero). */
    static boolean isDenormal(int se, long sig) { return exp(se) == 0 && sig != 0; }
    /** Unnormals, pseudo-NaNs and pseudo-infinities: a P6 rejects them as invalid operands. */
    static boolean isUnsupported(int se, long sig) { return exp(se) != 0 && sig >= 0; }

    void result(int se, long sig) { this.se = se; this.sig = sig; }

    /** A zero of this sign (0 or 1). */
    void zero(int sign) { result(sign << 15, 0); }
    /** An infinity of this sign (0 or 1). */
    void infinity(int sign) { result(sign << 15 | MAX_EXP, INT_BIT); }
    void indefinite() { exc |= IE; result(INDEFINITE_SE, INDEFINITE_SIG); }

    /** The exceptions raised since {@link #begin} that are unmasked and stop the result from being written. */
    boolean blocked() { return (exc & ~masks & (IE | DE | ZE)) != 0; }

    void begin() { exc = 0; roundedUp = false; loadedDenormal = false; }

    /**
     * Exponent (biased, possibly below 1) of a finite nonzero value once normalized; {@link #nsig}
     * gets the normalized significand. Denormals count as exponent 1.
     */
    private int nexp(int se, long sig) {
        int e = exp(se);
        if (sig < 0 && e != 0) { nsig = sig; return e; }   // already normal: the usual case, without counting zeros
        if (e == 0) e = 1;
        int z = Long.numberOfLeadingZeros(sig);
        nsig = sig << z;
        return e - z;
    }

    private long nsig;

    /**
     * The operands that decide a two-operand result by themselves: an unsupported encoding gives the
     * indefinite (IE); a NaN gives the x87's choice between the NaNs, quieted (IE for a signaling one).
     * False if neither happened.
     */
    private boolean decidedByOperands(int ase, long asig, int bse, long bsig) {
        if (isUnsupported(ase, asig) || isUnsupported(bse, bsig)) { indefinite(); return true; }
        boolean an = isNaN(ase, asig), bn = isNaN(bse, bsig);
        if (!an && !bn) return false;
        boolean as = isSNaN(ase, asig), bs = isSNaN(bse, bsig);
        if (as || bs) exc |= IE;
        int rse; long rsig;
        if (an && bn && as == bs) {   // both quiet or both signaling: the larger significand
            long a = asig & ~INT_BIT & ~0x4000000000000000L, b = bsig & ~INT_BIT & ~0x4000000000000000L;
            boolean pickA = Long.compareUnsigned(a, b) > 0 || (a == b && ase <= bse);
            rse = pickA ? ase : bse; rsig = pickA ? asig : bsig;
        } else if (an && bn) {   // one quiet: that one
            rse = as ? bse : ase; rsig = as ? bsig : asig;
        } else {
            rse = an ? ase : bse; rsig = an ? asig : bsig;
        }
        result(rse, rsig | 0x4000000000000000L);
        return true;
    }

    /** {@link #decidedByOperands} for one operand: the indefinite, or the NaN quieted. */
    private boolean decidedByOperand(int ase, long asig) {
        if (isUnsupported(ase, asig)) { indefinite(); return true; }
        if (!isNaN(ase, asig)) return false;
        if (isSNaN(ase, asig)) exc |= IE;
        result(ase, asig | 0x4000000000000000L);
        return true;
    }

    private void denormalCheck(int se, long sig) {
        if (isDenormal(se, sig) || loadedDenormal) exc |= DE;
    }

    /**
     * A single or double denormal was converted by {@link #fromIeee} for an arithmetic operand: the
     * operation raises DE once it has found no NaN among its operands.
     */
    boolean loadedDenormal;

    // ------------------------------------------------------------------ rounding

    /**
     * Rounds the positive value hi:lo * 2^(e - BIAS - 63) (hi normalized, or both zero) to
     * {@code bits} significant bits in an exponent range eMin..eMax (biased on the extended scale).
     * Leaves {@link #rexp} and returns the significand (bit 63 clear for a denormal, whose
     * exponent is then eMin). register = an extended register result: unmasked overflow and
     * underflow wrap the exponent; otherwise (a store to memory) they leave {@link #noStore}.
     */
    private long round(int sign, int e, long hi, long lo, int bits, int eMin, int eMax, boolean register) {
        noStore = false;
        if (hi == 0 && lo == 0) { rexp = 0; return 0; }
        boolean tiny = e < eMin;
        if (tiny && e == eMin - 1 && roundsUpToNextBinade(sign, hi, lo, bits)) {
            // tininess is detected after rounding: this one rounds to the smallest normal, no underflow
            exc |= PE;
            roundedUp = true;
            rexp = eMin;
            return INT_BIT;
        }
        if (tiny && (masks & UE) == 0) {
            exc |= UE;
            if (!register) { noStore = true; return 0; }   // a store is not done
            if (e + WRAP < eMin) {   // too tiny even wrapped: a signed zero
                exc |= PE;
                rexp = 0;
                return 0;
            }
            e += WRAP;
            tiny = false;
        }
        if (tiny) {
            int n = eMin - e;
            if (n >= 128) { lo = 1; hi = 0; }
            else if (n >= 64) { lo = (n == 64 ? hi : hi >>> (n - 64)) | ((lo != 0 || (n > 64 && (hi << (128 - n)) != 0)) ? 1 : 0); hi = 0; }
            else if (n > 0) { lo = (hi << (64 - n)) | (lo >>> n) | ((lo << (64 - n)) != 0 ? 1 : 0); hi >>>= n; }
            e = eMin;
        }
        int k = 64 - bits;
        long kept = k == 0 ? hi : hi >>> k;
        boolean guard, sticky;
        if (k == 0) { guard = lo < 0; sticky = (lo << 1) != 0; }
        else { guard = ((hi >>> (k - 1)) & 1) != 0; sticky = (hi & ((1L << (k - 1)) - 1)) != 0 || lo != 0; }
        boolean inexact = guard || sticky;
        boolean up = switch (rc) {
            case RC_NEAREST -> guard && (sticky || (kept & 1) != 0);
            case RC_UP -> inexact && sign == 0;
            case RC_DOWN -> inexact && sign != 0;
            default -> false;
        };
        if (up) {
            kept++;
            if (k == 0 ? kept == 0 : kept == 1L << bits) { kept = k == 0 ? INT_BIT : 1L << (bits - 1); e++; }
        }
        long s = kept << k;
        if (tiny && inexact) exc |= UE;
        if (e > eMax && s < 0) {
            exc |= OE;
            if (register && (masks & OE) == 0 && e - WRAP <= eMax) {
                e -= WRAP;
            } else if (register && (masks & OE) == 0) {   // too large even wrapped: infinity
                exc |= PE;
                roundedUp = true;
                rexp = eMax + 1;
                return INT_BIT;
            } else if (!register && (masks & OE) == 0) {
                noStore = true;
                return 0;
            } else {
                exc |= PE;
                boolean toInf = rc == RC_NEAREST || (rc == RC_UP && sign == 0) || (rc == RC_DOWN && sign != 0);
                roundedUp = toInf;
                if (toInf) { rexp = eMax + 1; return INT_BIT; }
                rexp = eMax;
                return bits == 64 ? -1L : ((1L << bits) - 1) << k;
            }
        }
        if (inexact) { exc |= PE; roundedUp = up; }
        rexp = s < 0 ? e : 0;   // a denormal keeps exponent field 0
        return s;
    }

    /** Whether hi:lo, normalized, rounds at {@code bits} bits to the next power of two (all kept bits are ones). */
    private boolean roundsUpToNextBinade(int sign, long hi, long lo, int bits) {
        int k = 64 - bits;
        long kept = k == 0 ? hi : hi >>> k;
        if (kept != (k == 0 ? -1L : (1L << bits) - 1)) return false;
        boolean guard, sticky;
        if (k == 0) { guard = lo < 0; sticky = (lo << 1) != 0; }
        else { guard = ((hi >>> (k - 1)) & 1) != 0; sticky = (hi & ((1L << (k - 1)) - 1)) != 0 || lo != 0; }
        return switch (rc) {
            case RC_NEAREST -> guard;   // kept is odd: a tie rounds up too
            case RC_UP -> (guard || sticky) && sign == 0;
            case RC_DOWN -> (guard || sticky) && sign != 0;
            default -> false;
        };
    }

    private int rexp;
    /** The last {@link #round} for memory met an unmasked overflow or underflow: nothing may be stored. */
    boolean noStore;

    /** Rounds hi:lo * 2^(e-BIAS-63) to the precision control into the result (a register value). */
    private void pack(int sign, int e, long hi, long lo) {
        long s = round(sign, e, hi, lo, precision, 1, MAX_EXP - 1, true);
        if (s == 0) { zero(sign); return; }
        result(sign << 15 | (s < 0 ? rexp : 0) & MAX_EXP, s);
    }

    /** Rounds a register value to 64 bits of the rounding control (fld1 etc. are exact: used by transcendentals). */
    void packFull(int sign, int e, long hi, long lo) {
        int p = precision;
        precision = 64;
        pack(sign, e, hi, lo);
        precision = p;
    }

    // ------------------------------------------------------------------ arithmetic

    void add(int ase, long asig, int bse, long bsig, boolean subtract) {
        if (decidedByOperands(ase, asig, bse, bsig)) return;   // NaNs keep their sign: the choice comes before negation
        if (subtract) bse ^= 0x8000;
        denormalCheck(ase, asig);
        denormalCheck(bse, bsig);
        boolean ai = isInf(ase, asig), bi = isInf(bse, bsig);
        if (ai || bi) {
            if (ai && bi && sign(ase) != sign(bse)) { indefinite(); return; }
            result(ai ? ase : bse, INT_BIT);
            return;
        }
        boolean az = isZero(ase, asig), bz = isZero(bse, bsig);
        if (az && bz) {
            int s = sign(ase) == sign(bse) ? sign(ase) : rc == RC_DOWN ? 1 : 0;
            zero(s);
            return;
        }
        if (az || bz) {
            int xse = az ? bse : ase; long xsig = az ? bsig : asig;
            int e = nexp(xse, xsig);
            pack(sign(xse), e, nsig, 0);
            return;
        }
        int ea = nexp(ase, asig); long ma = nsig;
        int eb = nexp(bse, bsig); long mb = nsig;
        int sa = sign(ase), sb = sign(bse);
        if (ea < eb || (ea == eb && Long.compareUnsigned(ma, mb) < 0)) {
            int t = ea; ea = eb; eb = t; long u = ma; ma = mb; mb = u; int v = sa; sa = sb; sb = v;
        }
        int d = ea - eb;
        long bhi, blo;
        if (d == 0) { bhi = mb; blo = 0; }
        else if (d < 64) { bhi = mb >>> d; blo = mb << (64 - d); }
        else if (d < 128) { bhi = 0; blo = (d == 64 ? mb : mb >>> (d - 64)) | (d > 64 && (mb << (128 - d)) != 0 ? 1 : 0); }
        else { bhi = 0; blo = 1; }
        long hi, lo;
        int e = ea;
        if (sa == sb) {
            lo = blo;
            hi = ma + bhi;
            if (Long.compareUnsigned(hi, ma) < 0) {   // carry out: shift right one, keeping the sticky bit
                lo = (hi << 63) | (lo >>> 1) | (lo & 1);
                hi = (hi >>> 1) | INT_BIT;
                e++;
            }
        } else {
            lo = -blo;
            hi = ma - bhi - (blo != 0 ? 1 : 0);
            if (hi == 0 && lo == 0) { zero(rc == RC_DOWN ? 1 : 0); return; }
            int z = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
            if (z >= 64) { hi = lo << (z - 64); lo = 0; }
            else if (z > 0) { hi = (hi << z) | (lo >>> (64 - z)); lo <<= z; }
            e -= z;
        }
        pack(sa, e, hi, lo);
    }

    void mul(int ase, long asig, int bse, long bsig) {
        if (decidedByOperands(ase, asig, bse, bsig)) return;
        int s = sign(ase) ^ sign(bse);
        boolean ai = isInf(ase, asig), bi = isInf(bse, bsig), az = isZero(ase, asig), bz = isZero(bse, bsig);
        if ((ai && bz) || (bi && az)) { indefinite(); return; }
        denormalCheck(ase, asig);
        denormalCheck(bse, bsig);
        if (ai || bi) { infinity(s); return; }
        if (az || bz) { zero(s); return; }
        int ea = nexp(ase, asig); long ma = nsig;
        int eb = nexp(bse, bsig); long mb = nsig;
        long hi = Math.multiplyHigh(ma, mb) + ((ma >> 63) & mb) + ((mb >> 63) & ma);
        long lo = ma * mb;
        int e = ea + eb - BIAS + 1;
        if (hi >= 0) { hi = (hi << 1) | (lo >>> 63); lo <<= 1; e--; }
        pack(s, e, hi, lo);
    }

    void div(int ase, long asig, int bse, long bsig) {
        if (decidedByOperands(ase, asig, bse, bsig)) return;
        int s = sign(ase) ^ sign(bse);
        boolean ai = isInf(ase, asig), bi = isInf(bse, bsig), az = isZero(ase, asig), bz = isZero(bse, bsig);
        if ((ai && bi) || (az && bz)) { indefinite(); return; }
        if (ai) { denormalCheck(bse, bsig); infinity(s); return; }
        if (bi) { denormalCheck(ase, asig); zero(s); return; }
        if (bz) { exc |= ZE; infinity(s); return; }   // before any denormal operand
        denormalCheck(ase, asig);
        denormalCheck(bse, bsig);
        if (az) { zero(s); return; }
        int ea = nexp(ase, asig); long ma = nsig;
        int eb = nexp(bse, bsig); long mb = nsig;
        // ma/mb in (1/2, 2): its integer bit, then 64 more bits and the remainder (guard and sticky)
        int e = ea - eb + BIAS;
        boolean one = Long.compareUnsigned(ma, mb) >= 0;
        long r = one ? ma - mb : ma;
        long q = divideUnsigned128(r, 0, mb);
        long rem = divRemainder;
        long hi, lo;
        if (one) {
            hi = INT_BIT | q >>> 1;
            lo = q << 63 | (rem != 0 ? 1 : 0);
        } else {
            hi = q;
            long rest = mb - rem;   // rem compared with mb/2 without overflow
            lo = rem == 0 ? 0 : Long.compareUnsigned(rem, rest) > 0 ? 0xC000000000000000L : rem == rest ? INT_BIT : 1;
            e--;
        }
        pack(s, e, hi, lo);
    }

    void sqrt(int ase, long asig) {
        if (decidedByOperand(ase, asig)) return;
        if (isZero(ase, asig)) { result(ase, 0); return; }
        if (sign(ase) != 0) { indefinite(); return; }
        if (isInf(ase, asig)) { result(ase, asig); return; }
        denormalCheck(ase, asig);
        int e = nexp(ase, asig); long m = nsig;
        int u = e - BIAS;
        boolean odd = (u & 1) != 0;
        // the radicand m * 2^64 or m * 2^63 (so that the exponent halves), as hi:lo
        long radHi = odd ? m : m >>> 1, radLo = odd ? 0 : m << 63;
        long root = isqrt128(radHi, radLo);
        long sqHi = unsignedMultiplyHigh(root, root), sqLo = root * root;
        long remHi = radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0), remLo = radLo - sqLo;
        // the bits below the root: none, under a half (rem <= root), or over a half
        long lo = (remHi | remLo) == 0 ? 0 : remHi != 0 || Long.compareUnsigned(remLo, root) > 0 ? 0xC000000000000000L : 1;
        int ue = odd ? (u - 1) >> 1 : u >> 1;
        pack(0, ue + BIAS, root, lo);
    }

    /** The remainder of the last {@link #divideUnsigned128}. */
    long divRemainder;

    /**
     * floor((u1:u0) / v) for u1 < v and v with its top bit set (so the quotient fits 64 bits), in two
     * steps of 32 quotient bits each estimated from v's top half and corrected; the remainder goes to
     * {@link #divRemainder}.
     */
    long divideUnsigned128(long u1, long u0, long v) {
        long vh = v >>> 32, vl = v & 0xFFFFFFFFL;
        long q1 = divideByHalf(u1, vh), rhat = u1 - q1 * vh;
        long u0h = u0 >>> 32, u0l = u0 & 0xFFFFFFFFL;
        while (q1 >>> 32 != 0 || Long.compareUnsigned(q1 * vl, rhat << 32 | u0h) > 0) {
            q1--;
            rhat += vh;
            if (rhat >>> 32 != 0) break;
        }
        long mid = (u1 << 32 | u0h) - q1 * v;
        long q0 = divideByHalf(mid, vh);
        rhat = mid - q0 * vh;
        while (q0 >>> 32 != 0 || Long.compareUnsigned(q0 * vl, rhat << 32 | u0l) > 0) {
            q0--;
            rhat += vh;
            if (rhat >>> 32 != 0) break;
        }
        divRemainder = (mid << 32 | u0l) - q0 * v;
        return q1 << 32 | q0;
    }

    /** The unsigned quotient of n by a positive d below 2^32. */
    private static long divideByHalf(long n, long d) {
        long q = ((n >>> 1) / d) << 1;
        return Long.compareUnsigned(n - q * d, d) >= 0 ? q + 1 : q;
    }

    /** The high 64 bits of the unsigned 128-bit product a * b. */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1 | v & 1) * 2.0;
    }

    /**
     * floor(sqrt(hi:lo)) for an unsigned 128-bit radicand of at least 2^126 (the root has its top
     * bit set): a double's square root, one Newton step on the 128-bit error, then exact correction.
     */
    static long isqrt128(long hi, long lo) {
        double r = Math.sqrt(unsignedToDouble(hi) * 0x1p64 + unsignedToDouble(lo));
        long root = r >= 0x1p64 ? -1L : r >= 0x1p63 ? (long) (r - 0x1p63) ^ Long.MIN_VALUE : (long) r;
        long sqHi = unsignedMultiplyHigh(root, root), sqLo = root * root;
        long dHi = hi - sqHi - (Long.compareUnsigned(lo, sqLo) < 0 ? 1 : 0), dLo = lo - sqLo;   // signed 128-bit
        double diff = (double) dHi * 0x1p64 + unsignedToDouble(dLo);
        long next = root + (long) Math.rint(diff / (2.0 * unsignedToDouble(root)));
        // the root lies in [2^63, 2^64): keep the step from wrapping around either end
        root = diff > 0 && Long.compareUnsigned(next, root) < 0 ? -1L
                : Long.compareUnsigned(next, Long.MIN_VALUE) < 0 ? Long.MIN_VALUE : next;
        // now within a few units: step down while root^2 > rad, up while (root+1)^2 <= rad
        while (true) {
            long h = unsignedMultiplyHigh(root, root), l = root * root;
            if (Long.compareUnsigned(h, hi) > 0 || (h == hi && Long.compareUnsigned(l, lo) > 0)) { root--; continue; }
            break;
        }
        while (root != -1L) {
            long n = root + 1;
            long h = unsignedMultiplyHigh(n, n), l = n * n;
            if (Long.compareUnsigned(h, hi) < 0 || (h == hi && Long.compareUnsigned(l, lo) <= 0)) { root = n; continue; }
            break;
        }
        return root;
    }

    /**
     * Compares a with b: -1 less, 0 equal, 1 greater, 2 unordered. quiet = fucom (only a signaling
     * NaN is invalid); otherwise any NaN is.
     */
    int compare(int ase, long asig, int bse, long bsig, boolean quiet) {
        if (isUnsupported(ase, asig) || isUnsupported(bse, bsig)) { exc |= IE; return 2; }
        if (isNaN(ase, asig) || isNaN(bse, bsig)) {
            if (!quiet || isSNaN(ase, asig) || isSNaN(bse, bsig)) exc |= IE;
            return 2;
        }
        denormalCheck(ase, asig);
        denormalCheck(bse, bsig);
        boolean az = isZero(ase, asig), bz = isZero(bse, bsig);
        if (az && bz) return 0;
        int sa = sign(ase), sb = sign(bse);
        if (az) return sb != 0 ? 1 : -1;
        if (bz) return sa != 0 ? -1 : 1;
        if (sa != sb) return sa != 0 ? -1 : 1;
        int c;
        if (isInf(ase, asig) || isInf(bse, bsig)) {
            c = isInf(ase, asig) && isInf(bse, bsig) ? 0 : isInf(ase, asig) ? 1 : -1;
        } else {
            int ea = nexp(ase, asig); long ma = nsig;
            int eb = nexp(bse, bsig); long mb = nsig;
            c = ea != eb ? Integer.compare(ea, eb) : Long.compareUnsigned(ma, mb);
        }
        return sa != 0 ? -c : c;
    }

    // ------------------------------------------------------------------ conversions

    /** Loads an IEEE single (bits = 32) or double (64) exactly; an SNaN stays one, a denormal sets {@link #loadedDenormal}. */
    void fromIeee(long v, int bits) {
        int expBits = bits == 32 ? 8 : 11, fracBits = bits - 1 - expBits;
        int s = (int) (v >>> (bits - 1)) & 1;
        int e = (int) (v >>> fracBits) & ((1 << expBits) - 1);
        long f = v & ((1L << fracBits) - 1);
        int bias = (1 << (expBits - 1)) - 1;
        if (e == (1 << expBits) - 1) {
            long sg = INT_BIT | (f << (63 - fracBits));   // an SNaN stays signaling: the operation raises IE
            result(s << 15 | MAX_EXP, sg);
            return;
        }
        if (e == 0) {
            if (f == 0) { zero(s); return; }
            loadedDenormal = true;
            int z = Long.numberOfLeadingZeros(f);
            result(s << 15 | (1 - bias + BIAS - (z - (63 - fracBits))) , f << z);
            return;
        }
        result(s << 15 | (e - bias + BIAS), INT_BIT | (f << (63 - fracBits)));
    }

    /**
     * Converts a register value to an IEEE single or double with the rounding control; returns the
     * bits. Sets {@link #noStore} when an unmasked exception forbids the store.
     */
    long toIeee(int ase, long asig, int bits) {
        int expBits = bits == 32 ? 8 : 11, fracBits = bits - 1 - expBits;
        int bias = (1 << (expBits - 1)) - 1;
        long s = (long) sign(ase) << (bits - 1);
        long expMask = (1L << expBits) - 1;
        noStore = false;
        if (isUnsupported(ase, asig)) { exc |= IE; noStore = (masks & IE) == 0; return s | 1L << (bits - 1) | expMask << fracBits | 1L << (fracBits - 1); }
        if (isNaN(ase, asig)) {
            if (isSNaN(ase, asig)) { exc |= IE; noStore = (masks & IE) == 0; }
            return s | expMask << fracBits | 1L << (fracBits - 1) | ((asig << 1) >>> (64 - fracBits));
        }
        if (isInf(ase, asig)) return s | expMask << fracBits;
        if (isZero(ase, asig)) return s;   // no DE: a denormal register value is simply rounded (it underflows)
        int e = nexp(ase, asig);
        int eMin = BIAS - bias + 1, eMax = BIAS + bias;
        long m = round(sign(ase), e, nsig, 0, fracBits + 1, eMin, eMax, false);
        if (noStore) return 0;
        if (rexp > eMax) return s | expMask << fracBits;   // masked overflow to infinity
        if (m == 0) return s;
        long frac = (m << 1) >>> (64 - fracBits);
        long fe = m < 0 ? rexp - BIAS + bias : 0;
        return s | fe << fracBits | frac;
    }

    /** Loads a signed integer exactly. */
    void fromLong(long v) {
        if (v == 0) { result(0, 0); return; }
        int s = v < 0 ? 1 : 0;
        long m = v < 0 ? -v : v;
        int z = Long.numberOfLeadingZeros(m);
        result(s << 15 | (BIAS + 63 - z), m << z);
    }

    /**
     * Rounds a register value to an integer with the rounding control. Returns it, or sets
     * {@link #noStore}-style invalidity through IE (the caller stores the integer indefinite) when
     * it is a NaN, infinite or outside [min, max].
     */
    long toLong(int ase, long asig, long min, long max) {
        invalidInteger = false;
        if (isUnsupported(ase, asig) || isNaN(ase, asig) || isInf(ase, asig)) { exc |= IE; invalidInteger = true; return 0; }
        if (isZero(ase, asig)) return 0;
        int s = sign(ase);   // no DE: fist takes a denormal as it is
        int before = exc;
        boolean wasUp = roundedUp;
        long mag = roundToIntegerMagnitude(s, ase, asig);
        if (invalidInteger || (s == 0 ? Long.compareUnsigned(mag, max) > 0 : Long.compareUnsigned(mag, -min) > 0)) {
            exc = before | IE;   // no precision exception for an invalid conversion
            roundedUp = wasUp;
            invalidInteger = true;
            return 0;
        }
        return s != 0 ? -mag : mag;
    }

    boolean invalidInteger;

    /** |value| rounded to an integer (unsigned 64 bits); invalidInteger when it does not fit. Sets PE and C1. */
    private long roundToIntegerMagnitude(int s, int ase, long asig) {
        int e = nexp(ase, asig);
        long m = nsig;
        int u = e - BIAS;   // value = m * 2^(u - 63)
        if (u >= 64) { invalidInteger = true; return 0; }
        long ip, frac;
        if (u >= 63) { ip = m; frac = 0; }
        else if (u >= 0) { ip = m >>> (63 - u); frac = m << (u + 1); }
        else if (u == -1) { ip = 0; frac = m; }
        else { ip = 0; frac = 1; }   // below 1/2: only the sticky part matters
        boolean guard = u >= -1 ? frac < 0 : false;
        boolean sticky = u >= -1 ? (frac << 1) != 0 : true;
        boolean inexact = guard || sticky;
        boolean up = switch (rc) {
            case RC_NEAREST -> guard && (sticky || (ip & 1) != 0);
            case RC_UP -> inexact && s == 0;
            case RC_DOWN -> inexact && s != 0;
            default -> false;
        };
        if (up) { ip++; if (ip == 0) invalidInteger = true; }
        if (inexact) { exc |= PE; roundedUp = up; }
        return ip;
    }

    /** frndint: the value rounded to an integer in extended format (PE on inexact, no precision control). */
    void roundToInteger(int ase, long asig) {
        if (decidedByOperand(ase, asig)) return;
        if (isInf(ase, asig) || isZero(ase, asig)) { result(ase, asig); return; }
        denormalCheck(ase, asig);
        int e = nexp(ase, asig);
        if (e - BIAS >= 63) { result(ase, asig); return; }
        int s = sign(ase);
        invalidInteger = false;
        long mag = roundToIntegerMagnitude(s, ase, asig);
        if (invalidInteger) { result(s << 15 | (BIAS + 64), INT_BIT); return; }   // 2^64 after rounding up
        if (mag == 0) { zero(s); return; }
        int z = Long.numberOfLeadingZeros(mag);
        result(s << 15 | (BIAS + 63 - z), mag << z);
    }
}

package dev.fixup.cpu;

import static dev.fixup.cpu.ExtendedReal.BIAS;
import static dev.fixup.cpu.ExtendedReal.INT_BIT;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The fast paths of f2xm1, fyl2x, fyl2xp1, fpatan, fsin, fcos, fsincos and fptan, in 128-bit integer
 * arithmetic: series in unsigned fixed point (a value is hi:lo / 2^127), everything else as a 128-bit
 * significand with a binary exponent (hi:lo * 2^e, top bit set), each operation truncating. Every
 * result carries less than 2^-115 relative error (a handful of truncations of 2^-127 each), yet is
 * rounded only when the interval of 2^-100 around it holds no rounding boundary of the 64-bit format
 * (nor so of any coarser denormal grid, whose boundaries are among those): then it is the correctly
 * rounded value, the one the decimal path of {@link X87Transcendental} gives. Otherwise (an exact
 * result, or about one operand in 2^35) a method returns false and the caller takes the decimal path.
 *
 * <p>One instance per FPU: the fields are scratch registers, so an instruction allocates nothing.
 */
final class X87FastMath {
    /** The error interval's half-width in units of the low word of a normalized 128-bit result (2^-100 of it). */
    private static final long ERR = 1L << 28;

    /** The last floating result: value = (h:l) * 2^e with h's top bit set (or h = l = 0 for zero). */
    private long h, l;
    private int e;
    /** The last fixed-point result, fh:fl / 2^127. */
    private long fh, fl;
    /** Bits 64-255 of the last 256-bit product. */
    private long p3, p2, p1;

    // results of sinCos: sin(x) and cos(x) with their signs
    private long sinH, sinL, cosH, cosL;
    private int sinE, cosE, sinSign, cosSign;

    // ------------------------------------------------------------------ 128-bit arithmetic

    private static boolean below(long a, long b) { return Long.compareUnsigned(a, b) < 0; }

    private static long umh(long a, long b) { return ExtendedReal.unsignedMultiplyHigh(a, b); }

    /** p3:p2:p1 = the top 192 bits of (ah:al) * (bh:bl), exactly (the dropped word carries nothing). */
    private void product(long ah, long al, long bh, long bl) {
        long hlL = ah * bl, lhL = al * bh, hhL = ah * bh;
        long s1 = hlL + lhL;
        long c1 = below(s1, hlL) ? 1 : 0;
        long t = s1 + umh(al, bl);
        c1 += below(t, s1) ? 1 : 0;
        p1 = t;
        long s2 = hhL + umh(ah, bl);
        long c2 = below(s2, hhL) ? 1 : 0;
        t = s2 + umh(al, bh);
        c2 += below(t, s2) ? 1 : 0;
        s2 = t + c1;
        c2 += below(s2, t) ? 1 : 0;
        p2 = s2;
        p3 = umh(ah, bh) + c2;
    }

    /** Fixed point: fh:fl = a * b / 2^127, truncated; the product must be below 2. */
    private void mulFixed(long ah, long al, long bh, long bl) {
        product(ah, al, bh, bl);
        fh = p3 << 1 | p2 >>> 63;
        fl = p2 << 1 | p1 >>> 63;
    }

    /** Floating: h:l*2^e = a * b, truncated to 128 bits; a normalized, b at least 2^125. */
    private void mul(long ah, long al, int ae, long bh, long bl, int be) {
        product(ah, al, bh, bl);
        int z = Long.numberOfLeadingZeros(p3);
        h = z == 0 ? p3 : p3 << z | p2 >>> (64 - z);
        l = z == 0 ? p2 : p2 << z | p1 >>> (64 - z);
        e = ae + be + 128 - z;
    }

    /** Floating: h:l*2^e = a / b, truncated to 128 bits; both normalized. */
    private void div(long ah, long al, int ae, long bh, long bl, int be) {
        long rh = ah, rl = al;
        boolean carry = false;
        int exp = ae - be - 127;
        if (below(ah, bh) || (ah == bh && below(al, bl))) {   // a < b: the first quotient bit is one place lower
            carry = true;   // 2a >= 2^128 > b
            rh = rh << 1 | rl >>> 63;
            rl <<= 1;
            exp--;
        }
        long qh = 0, ql = 0;
        for (int i = 0; i < 128; i++) {
            int bit = 0;
            if (carry || below(bh, rh) || (rh == bh && !below(rl, bl))) {   // r >= b: subtract (r - b < b)
                long nl = rl - bl;
                rh = rh - bh - (below(rl, bl) ? 1 : 0);
                rl = nl;
                bit = 1;
            }
            qh = qh << 1 | ql >>> 63;
            ql = ql << 1 | bit;
            carry = rh < 0;
            rh = rh << 1 | rl >>> 63;
            rl <<= 1;
        }
        h = qh;
        l = ql;
        e = exp;
    }

    /** Floating: h:l*2^e = |a| + |b| (subtract: |a| - |b|); |a| > |b|, b nonzero, truncated. */
    private void add(long ah, long al, int ae, long bh, long bl, int be, boolean subtract) {
        int d = ae - be;
        long sh, sl;
        if (d == 0) { sh = bh; sl = bl; }
        else if (d < 64) { sh = bh >>> d; sl = bl >>> d | bh << (64 - d); }
        else if (d < 128) { sh = 0; sl = bh >>> (d - 64); }
        else { sh = 0; sl = 0; }
        if (!subtract) {
            long rl = al + sl, rh = ah + sh + (below(rl, al) ? 1 : 0);
            boolean carry = below(rh, ah) || (rh == ah && below(rl, al));
            if (carry) { rl = rl >>> 1 | rh << 63; rh = rh >>> 1 | INT_BIT; ae++; }
            h = rh; l = rl; e = ae;
        } else {
            long rl = al - sl, rh = ah - sh - (below(al, sl) ? 1 : 0);
            normalize(rh, rl, ae);
        }
    }

    /** h:l*2^e = the nonzero rh:rl * 2^re, normalized. */
    private void normalize(long rh, long rl, int re) {
        int z = rh != 0 ? Long.numberOfLeadingZeros(rh) : 64 + Long.numberOfLeadingZeros(rl);
        if (z >= 64) { h = rl << (z - 64); l = 0; }
        else if (z > 0) { h = rh << z | rl >>> (64 - z); l = rl << z; }
        else { h = rh; l = rl; }
        e = re - z;
    }

    /** Fixed point fh:fl = the floating value a (below 2), truncated. */
    private void toFixed(long ah, long al, int ae) {
        int s = -(ae + 127);
        if (s >= 128) { fh = 0; fl = 0; }
        else if (s >= 64) { fh = 0; fl = ah >>> (s - 64); }
        else if (s > 0) { fh = ah >>> s; fl = al >>> s | ah << (64 - s); }
        else { fh = ah; fl = al; }
    }

    /** Floating h:l*2^e = the nonzero fixed-point value ah:al / 2^scale. */
    private void fromFixed(long ah, long al, int scale) { normalize(ah, al, -scale); }

    /**
     * Rounds sign * h:l*2^e into the register format if the whole error interval rounds alike (the
     * value then is not exact, so the sticky bit is set); false when it may not.
     */
    private static boolean pack(ExtendedReal ar, int sign, long h, long l, int e) {
        long low = l & Long.MAX_VALUE;
        if (low < ERR || low > Long.MAX_VALUE - ERR) return false;
        ar.packFull(sign, e + 127 + BIAS, h, l & INT_BIT | 1);
        return true;
    }

    // ------------------------------------------------------------------ constants

    /** Computed from X87Transcendental's decimal constants on first use, so that start-up pays nothing. */
    private static final class K {
        /** 1/n! in fixed point, n = 0..40. */
        static final long[] FACT_H = new long[41], FACT_L = new long[41];
        /** 1/(2n+1) in fixed point, n = 0..63. */
        static final long[] ODD_H = new long[64], ODD_L = new long[64];
        /** atan(j/8) in fixed point, j = 0..8. */
        static final long[] ATAN_H = new long[9], ATAN_L = new long[9];
        /** Normalized significands: ln 2 (times 2^-128), 2/ln 2 (2^-126), pi/2 (2^-127), pi (2^-126). */
        static final long LN2_H, LN2_L, TWO_OVER_LN2_H, TWO_OVER_LN2_L, HALF_PI_H, HALF_PI_L, PI_H, PI_L;
        /** 2/pi * 2^320, most significant word first. */
        static final long[] TWO_OVER_PI = new long[5];

        static {
            BigDecimal pi = X87Transcendental.PI, ln2 = X87Transcendental.LN2;
            MathContext mc = new MathContext(120);
            BigInteger v = scaled(ln2, 128);
            LN2_H = hi(v); LN2_L = v.longValue();
            v = scaled(BigDecimal.valueOf(2).divide(ln2, mc), 126);
            TWO_OVER_LN2_H = hi(v); TWO_OVER_LN2_L = v.longValue();
            v = scaled(pi, 126);
            HALF_PI_H = hi(v); HALF_PI_L = v.longValue();
            PI_H = HALF_PI_H; PI_L = HALF_PI_L;   // the same bits: pi/2 * 2^127 = pi * 2^126
            v = scaled(BigDecimal.valueOf(2).divide(pi, mc), 320);
            for (int i = 0; i < 5; i++) TWO_OVER_PI[i] = v.shiftRight(64 * (4 - i)).longValue();
            BigInteger one = BigInteger.ONE.shiftLeft(127), fact = BigInteger.ONE;
            for (int n = 0; n < FACT_H.length; n++) {
                if (n > 0) fact = fact.multiply(BigInteger.valueOf(n));
                v = one.divide(fact);
                FACT_H[n] = hi(v); FACT_L[n] = v.longValue();
            }
            for (int n = 0; n < ODD_H.length; n++) {
                v = one.divide(BigInteger.valueOf(2L * n + 1));
                ODD_H[n] = hi(v); ODD_L[n] = v.longValue();
            }
            for (int j = 1; j <= 8; j++) {
                v = scaled(X87Transcendental.atan(BigDecimal.valueOf(j).divide(BigDecimal.valueOf(8))), 127);
                ATAN_H[j] = hi(v); ATAN_L[j] = v.longValue();
            }
        }

        private static BigInteger scaled(BigDecimal v, int bits) {
            return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(bits))).toBigInteger();
        }

        private static long hi(BigInteger v) { return v.shiftRight(64).longValue(); }
    }

    /** Terms a series in z needs when each term shrinks by z < 2^-k: enough for 2^-130. */
    private static int terms(int k, int max) {
        return k <= 0 ? max : Math.min(max, 130 / k + 1);
    }

    // ------------------------------------------------------------------ the instructions

    /** f2xm1 of a finite nonzero |x| <= 1: 2^x - 1 = y * (e^y - 1)/y with y = x ln 2, the quotient by its series. */
    boolean twoXMinus1(ExtendedReal ar, int xe, long xm) {
        int ex = Math.max(ExtendedReal.exp(xe), 1);
        int z = Long.numberOfLeadingZeros(xm);
        mul(xm << z, 0, ex - z - BIAS - 127, K.LN2_H, K.LN2_L, -128);
        long yh = h, yl = l;
        int ye = e;
        boolean negative = (xe & 0x8000) != 0;
        toFixed(yh, yl, ye);
        long y0 = fh, y1 = fl;
        // sum of y^n / (n+1)!, n = 0..N, by Horner's rule; with y < 0 every partial sum stays positive
        int n = terms(-(ye + 128), 39);
        long ah = K.FACT_H[n + 1], al = K.FACT_L[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            mulFixed(y0, y1, ah, al);
            long ch = K.FACT_H[i + 1], cl = K.FACT_L[i + 1];
            if (negative) { al = cl - fl; ah = ch - fh - (below(cl, fl) ? 1 : 0); }
            else { al = cl + fl; ah = ch + fh + (below(al, cl) ? 1 : 0); }
        }
        fromFixed(ah, al, 127);
        mul(yh, yl, ye, h, l, e);
        return pack(ar, negative ? 1 : 0, h, l, e);
    }

    /**
     * h:l*2^e = t * (sum of (+-1)^n t^2n / (2n+1)) for t > 0 given as h:l*2^e: atanh(t), or atan(t) when
     * alternating (for t <= 1/16, where every partial sum stays positive).
     */
    private void oddSeries(boolean alternating) {
        long th = h, tl = l;
        int te = e;
        mul(th, tl, te, th, tl, te);
        toFixed(h, l, e);
        long z0 = fh, z1 = fl;
        int n = terms(-(e + 128), 63);
        long ah = K.ODD_H[n], al = K.ODD_L[n];
        for (int i = n - 1; i >= 0; i--) {
            mulFixed(z0, z1, ah, al);
            long ch = K.ODD_H[i], cl = K.ODD_L[i];
            if (alternating) { al = cl - fl; ah = ch - fh - (below(cl, fl) ? 1 : 0); }
            else { al = cl + fl; ah = ch + fh + (below(al, cl) ? 1 : 0); }
        }
        fromFixed(ah, al, 127);
        mul(h, l, e, th, tl, te);
    }

    /** h:l*2^e = |log2(m)| = 2/ln 2 * atanh(|t|) from t = (m - 1)/(m + 1) given as |t| in h:l*2^e. */
    private void log2FromT() {
        oddSeries(false);
        mul(h, l, e, K.TWO_OVER_LN2_H, K.TWO_OVER_LN2_L, -126);
    }

    /** fyl2x of finite nonzero y and positive finite x that is not a power of two: y * (k + log2 m), m in [sqrt(1/2), sqrt(2)). */
    boolean log2(ExtendedReal ar, int xe, long xm, int ye, long ym) {
        int ex = Math.max(ExtendedReal.exp(xe), 1);
        int z = Long.numberOfLeadingZeros(xm);
        long m = xm << z;
        int k = ex - z - BIAS;
        long n, dl;   // t = +-n / (2^64 + dl)
        boolean tNegative = Long.compareUnsigned(m, 0xB504F333F9DE6484L) > 0;   // above sqrt(2) * 2^63
        if (tNegative) { k++; n = -m; dl = m; }   // m/2: t = -(2^64 - m) / (2^64 + m)
        else { n = m - INT_BIT; dl = n; }         // t = (m - 2^63) / (2^64 + m - 2^63)
        if (n == 0) return false;
        int zn = Long.numberOfLeadingZeros(n);
        div(n << zn, 0, -zn - 64, INT_BIT | dl >>> 1, dl << 63, -63);
        log2FromT();
        boolean resultNegative = tNegative;
        if (k != 0) {
            long kh = Math.abs((long) k);
            int zk = Long.numberOfLeadingZeros(kh);
            add(kh << zk, 0, -zk - 64, h, l, e, (k < 0) != tNegative);
            resultNegative = k < 0;
        }
        int eym = Math.max(ExtendedReal.exp(ye), 1);
        int zy = Long.numberOfLeadingZeros(ym);
        mul(h, l, e, ym << zy, 0, eym - zy - BIAS - 127);
        return pack(ar, (resultNegative ? 1 : 0) ^ (ye >> 15 & 1), h, l, e);
    }

    /** fyl2xp1 of finite nonzero y and x with |x| < 1/2 (else false): y * log2(1 + x) from t = x / (2 + x). */
    boolean log2p1(ExtendedReal ar, int xe, long xm, int ye, long ym) {
        int ex = Math.max(ExtendedReal.exp(xe), 1);
        if (ex >= BIAS - 1) return false;
        int z = Long.numberOfLeadingZeros(xm);
        long m = xm << z;
        int xexp = ex - z - BIAS - 127;
        boolean negative = (xe & 0x8000) != 0;
        add(INT_BIT, 0, -126, m, 0, xexp, negative);
        div(m, 0, xexp, h, l, e);
        log2FromT();
        int eym = Math.max(ExtendedReal.exp(ye), 1);
        int zy = Long.numberOfLeadingZeros(ym);
        mul(h, l, e, ym << zy, 0, eym - zy - BIAS - 127);
        return pack(ar, (negative ? 1 : 0) ^ (ye >> 15 & 1), h, l, e);
    }

    /** fpatan of finite nonzero y and x: atan(|y/x|) from a table of atan(j/8), then pi/2 - a and pi - a by quadrant. */
    boolean atan2(ExtendedReal ar, int ye, long ym, int xe, long xm) {
        int ey = Math.max(ExtendedReal.exp(ye), 1), ex = Math.max(ExtendedReal.exp(xe), 1);
        int zy = Long.numberOfLeadingZeros(ym), zx = Long.numberOfLeadingZeros(xm);
        long a = ym << zy, b = xm << zx;
        ey -= zy;
        ex -= zx;
        boolean swap = ey > ex || (ey == ex && below(b, a));   // |y| > |x|: atan(|y/x|) = pi/2 - atan(|x/y|)
        if (swap) div(b, 0, ex, a, 0, ey); else div(a, 0, ey, b, 0, ex);
        // t = h:l*2^e in (0, 1]; j = round(8t)
        int j = 0;
        if (e >= -131) {
            toFixed(h, l, e);
            j = (int) ((fh + (1L << 59)) >>> 60);
        }
        boolean xNegative = (xe & 0x8000) != 0;
        long rh, rl;   // atan(t), fixed point
        if (j == 0) {
            oddSeries(true);
            if (!swap && !xNegative) return pack(ar, ye >> 15 & 1, h, l, e);
            toFixed(h, l, e);
            rh = fh; rl = fl;
        } else {
            // atan(t) = atan(c) + atan((t - c) / (1 + t c)), c = j/8
            long th = fh, tl = fl, ch = (long) j << 60;
            long nl = tl, nh = th - ch;
            boolean uNegative = nh < 0;
            if (uNegative) { nl = -tl; nh = ch - th - (tl != 0 ? 1 : 0); }
            rh = K.ATAN_H[j]; rl = K.ATAN_L[j];
            if ((nh | nl) != 0) {
                mulFixed(th, tl, ch, 0);
                long dl = fl, dh = fh + INT_BIT;   // 1 + t c, below 2 but for t = c = 1
                boolean over = dh >= 0 && fh < 0;
                fromFixed(nh, nl, 127);
                long uh = h, ul = l;
                int ue = e;
                if (over) div(uh, ul, ue, INT_BIT, 0, -126); else { fromFixed(dh, dl, 127); div(uh, ul, ue, h, l, e); }
                oddSeries(true);
                toFixed(h, l, e);
                if (uNegative) { long s = rl - fl; rh = rh - fh - (below(rl, fl) ? 1 : 0); rl = s; }
                else { long s = rl + fl; rh = rh + fh + (below(s, rl) ? 1 : 0); rl = s; }
            }
        }
        // in fixed point with two integer bits (value = r / 2^126): pi/2 - r, pi - r
        long qh = rh >>> 1, ql = rl >>> 1 | rh << 63;
        if (swap) { long s = (K.HALF_PI_L >>> 1 | K.HALF_PI_H << 63) - ql; qh = (K.HALF_PI_H >>> 1) - qh - (below(K.HALF_PI_L >>> 1 | K.HALF_PI_H << 63, ql) ? 1 : 0); ql = s; }
        if (xNegative) { long s = K.PI_L - ql; qh = K.PI_H - qh - (below(K.PI_L, ql) ? 1 : 0); ql = s; }
        fromFixed(qh, ql, 126);
        return pack(ar, ye >> 15 & 1, h, l, e);
    }

    /**
     * sin(x) and cos(x) of a finite x with 2^-40 <= |x| < 2^63 into sin and cos: x = q pi/2 + r with |r| <= pi/4
     * (r from x * 2/pi with 320 bits of 2/pi, exact to 2^-257), then the series of sin r and cos r. False when
     * r is below 2^-65, too close to a multiple of pi/2 for the bits kept.
     */
    boolean sinCos(int xe, long xm) {
        int ex = Math.max(ExtendedReal.exp(xe), 1);
        int z = Long.numberOfLeadingZeros(xm);
        long m = xm << z;
        ex -= z;
        long rh, rl;
        int re;
        boolean rNegative = false;
        int q = 0;
        if (ex < BIAS - 1 || (ex == BIAS - 1 && Long.compareUnsigned(m, 0xC90FDAA22168C234L) <= 0)) {
            rh = m; rl = 0; re = ex - BIAS - 127;   // |x| <= pi/4
        } else {
            int s = BIAS + 63 - ex;   // x = m * 2^-s, s in 1..64
            long[] f = K.TWO_OVER_PI;
            // w5..w2 = the top words of P = m * (2/pi * 2^320), a 384-bit product (w1 only for its carry)
            long c = umh(m, f[4]);
            long w = m * f[3], w1 = w + c;
            c = umh(m, f[3]) + (below(w1, w) ? 1 : 0);
            w = m * f[2];
            long w2 = w + c;
            c = umh(m, f[2]) + (below(w2, w) ? 1 : 0);
            w = m * f[1];
            long w3 = w + c;
            c = umh(m, f[1]) + (below(w3, w) ? 1 : 0);
            w = m * f[0];
            long w4 = w + c;
            long w5 = umh(m, f[0]) + (below(w4, w) ? 1 : 0);
            // x * 2/pi = P / 2^(320 + s): the integer part's low bits and the top 192 fraction bits
            long f2, f1, f0;
            if (s == 64) { q = 0; f2 = w5; f1 = w4; f0 = w3; }
            else {
                q = (int) (w5 >>> s);
                f2 = w5 << (64 - s) | w4 >>> s;
                f1 = w4 << (64 - s) | w3 >>> s;
                f0 = w3 << (64 - s) | w2 >>> s;
            }
            if (f2 < 0) {   // fraction above 1/2: the next multiple, r negative
                q++;
                rNegative = true;
                f0 = -f0;
                f1 = ~f1 + (f0 == 0 ? 1 : 0);
                f2 = ~f2 + (f0 == 0 && f1 == 0 ? 1 : 0);
            }
            int zf = f2 != 0 ? Long.numberOfLeadingZeros(f2) : 64 + Long.numberOfLeadingZeros(f1);
            if (zf > 64) return false;
            long fh0, fl0;
            if (zf == 0) { fh0 = f2; fl0 = f1; }
            else if (zf < 64) { fh0 = f2 << zf | f1 >>> (64 - zf); fl0 = f1 << zf | f0 >>> (64 - zf); }
            else { fh0 = f1; fl0 = f0; }
            mul(fh0, fl0, -128 - zf, K.HALF_PI_H, K.HALF_PI_L, -127);
            rh = h; rl = l; re = e;
        }
        // Z = r^2; sin r = r * (sum of (-1)^n Z^n / (2n+1)!), cos r = sum of (-1)^n Z^n / (2n)!
        mul(rh, rl, re, rh, rl, re);
        toFixed(h, l, e);
        long z0 = fh, z1 = fl;
        int n = terms(-(e + 128), 19);
        long sh = K.FACT_H[2 * n + 1], sl = K.FACT_L[2 * n + 1], ch = K.FACT_H[2 * n], cl = K.FACT_L[2 * n];
        for (int i = n - 1; i >= 0; i--) {
            mulFixed(z0, z1, sh, sl);
            sl = K.FACT_L[2 * i + 1] - fl;
            sh = K.FACT_H[2 * i + 1] - fh - (below(K.FACT_L[2 * i + 1], fl) ? 1 : 0);
            mulFixed(z0, z1, ch, cl);
            cl = K.FACT_L[2 * i] - fl;
            ch = K.FACT_H[2 * i] - fh - (below(K.FACT_L[2 * i], fl) ? 1 : 0);
        }
        fromFixed(sh, sl, 127);
        mul(h, l, e, rh, rl, re);
        long srh = h, srl = l;
        int sre = e;
        fromFixed(ch, cl, 127);
        long crh = h, crl = l;
        int cre = e;
        int sinR = rNegative ? 1 : 0, xSign = xe >> 15 & 1;
        switch (q & 3) {
            case 0 -> { setSin(srh, srl, sre, sinR); setCos(crh, crl, cre, 0); }
            case 1 -> { setSin(crh, crl, cre, 0); setCos(srh, srl, sre, sinR ^ 1); }
            case 2 -> { setSin(srh, srl, sre, sinR ^ 1); setCos(crh, crl, cre, 1); }
            default -> { setSin(crh, crl, cre, 1); setCos(srh, srl, sre, sinR); }
        }
        sinSign ^= xSign;
        return true;
    }

    private void setSin(long sh, long sl, int se, int sign) { sinH = sh; sinL = sl; sinE = se; sinSign = sign; }

    private void setCos(long ch, long cl, int ce, int sign) { cosH = ch; cosL = cl; cosE = ce; cosSign = sign; }

    /** Rounds the sin(x) of the last {@link #sinCos}; false when it may not be rounded from here. */
    boolean packSin(ExtendedReal ar) { return pack(ar, sinSign, sinH, sinL, sinE); }

    boolean packCos(ExtendedReal ar) { return pack(ar, cosSign, cosH, cosL, cosE); }

    boolean packTan(ExtendedReal ar) {
        div(sinH, sinL, sinE, cosH, cosL, cosE);
        return pack(ar, sinSign ^ cosSign, h, l, e);
    }
}

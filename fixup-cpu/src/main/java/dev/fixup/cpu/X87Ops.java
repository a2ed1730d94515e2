package dev.fixup.cpu;

import static dev.fixup.cpu.ExtendedReal.BIAS;
import static dev.fixup.cpu.ExtendedReal.DE;
import static dev.fixup.cpu.ExtendedReal.IE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SIG;
import static dev.fixup.cpu.ExtendedReal.INT_BIT;
import static dev.fixup.cpu.ExtendedReal.MAX_EXP;
import static dev.fixup.cpu.ExtendedReal.ZE;
import static dev.fixup.cpu.X87.C0;
import static dev.fixup.cpu.X87.C1;
import static dev.fixup.cpu.X87.C2;
import static dev.fixup.cpu.X87.C3;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;

/**
 * What each x87 instruction does to the {@link X87}'s registers, status word and memory. Every
 * instruction reads its memory operand, and computes what it will store, before it changes any
 * register: a fault on the store then leaves the unit untouched.
 */
final class X87Ops {
    private X87Ops() { }

    static void execute(X87 f, Insn i, Segment s, int ea) {
        switch (i.op) {
            case FADD: case FMUL: case FSUB: case FSUBR: case FDIV: case FDIVR:
            case FADDP: case FMULP: case FSUBP: case FSUBRP: case FDIVP: case FDIVRP:
            case FIADD: case FIMUL: case FISUB: case FISUBR: case FIDIV: case FIDIVR:
                arithmetic(f, i, s, ea); return;
            case FCOM: case FICOM: compare(f, i, s, ea, false, 0); return;
            case FCOMP: case FICOMP: compare(f, i, s, ea, false, 1); return;
            case FUCOM: compare(f, i, s, ea, true, 0); return;
            case FUCOMP: compare(f, i, s, ea, true, 1); return;
            case FCOMPP: compare(f, i, s, ea, false, 2); return;
            case FUCOMPP: compare(f, i, s, ea, true, 2); return;
            case FCOMI: comi(f, i, false, false); return;
            case FCOMIP: comi(f, i, false, true); return;
            case FUCOMI: comi(f, i, true, false); return;
            case FUCOMIP: comi(f, i, true, true); return;
            case FTST: test(f); return;
            case FXAM: examine(f); return;
            case FLD: case FILD: case FBLD: load(f, i, s, ea); return;
            case FST: case FSTP: case FIST: case FISTP: case FBSTP: store(f, i, s, ea); return;
            case FXCH: exchange(f, i.rm); return;
            case FCMOVCC: conditionalMove(f, i); return;
            case FLD1: case FLDL2T: case FLDL2E: case FLDPI: case FLDLG2: case FLDLN2: case FLDZ:
                constant(f, i.op); return;
            case FCHS: case FABS: signOp(f, i.op); return;
            case FSQRT: case FRNDINT: unary(f, i.op); return;
            case FSCALE: scale(f); return;
            case FXTRACT: extract(f); return;
            case FPREM: case FPREM1: remainder(f, i.op == Op.FPREM1); return;
            case F2XM1: case FYL2X: case FYL2XP1: case FPTAN: case FPATAN: case FSIN: case FCOS: case FSINCOS:
                X87Transcendental.execute(f, i.op); return;
            case FNOP: return;
            case FINCSTP: f.incTop(1); f.setConditions(f.conditions() & ~C1); return;
            case FDECSTP: f.incTop(-1); f.setConditions(f.conditions() & ~C1); return;
            case FFREE: f.free(i.rm); f.setConditions(f.conditions() & ~C1); return;
            case FFREEP: f.free(i.rm); f.popStack(); f.setConditions(f.conditions() & ~C1); return;
            default: throw new IllegalStateException("x87 op " + i.op);
        }
    }

    // ------------------------------------------------------------------ memory operands

    /** Reads the memory operand into ar.se/ar.sig (converting, with IE/DE for SNaN and denormals). */
    private static void readOperand(X87 f, Insn i, Segment s, int ea, boolean integer) {
        Interpreter in = f.interp();
        ExtendedReal ar = f.ar;
        int size = X87.memorySize(i);
        if (integer) {
            long v = size == 2 ? (short) in.read(s, ea, 2) : size == 4 ? in.read(s, ea, 4) : read64(in, s, ea);
            ar.fromLong(v);
        } else if (size == 4) {
            ar.fromIeee(in.read(s, ea, 4) & 0xFFFFFFFFL, 32);
        } else if (size == 8) {
            ar.fromIeee(read64(in, s, ea), 64);
        } else {
            long m = read64(in, s, ea);
            ar.result(in.read(s, ea + 8, 2), m);
        }
    }

    static long read64(Interpreter in, Segment s, int ea) {
        return in.read(s, ea, 4) & 0xFFFFFFFFL | (long) in.read(s, ea + 4, 4) << 32;
    }

    private static void write64(Interpreter in, Segment s, int ea, long v) {
        in.write(s, ea, 4, (int) v);
        in.write(s, ea + 4, 4, (int) (v >>> 32));
    }

    // ------------------------------------------------------------------ arithmetic

    private static void arithmetic(X87 f, Insn i, Segment s, int ea) {
        ExtendedReal ar = f.ar;
        Op op = i.op;
        int dst, src = -1;
        int mse = 0;
        long msig = 0;
        if (i.memory) {
            readOperand(f, i, s, ea, X87.isIntegerMemory(op));
            mse = ar.se;
            msig = ar.sig;
            dst = 0;
        } else if (i.form.operands[0].kind == OperandSpec.Kind.FIXED) {
            dst = 0;
            src = i.rm;
        } else {
            dst = i.rm;
            src = 0;
        }
        boolean pop = op == Op.FADDP || op == Op.FMULP || op == Op.FSUBP || op == Op.FSUBRP || op == Op.FDIVP
                || op == Op.FDIVRP;
        if (f.empty(dst) || (src >= 0 && f.empty(src))) {
            ar.exc = 0;
            if (f.underflow()) {
                f.put(dst, INDEFINITE_SE, INDEFINITE_SIG);
                if (pop) f.popStack();
            }
            return;
        }
        int ase = f.seAt(dst), bse = src >= 0 ? f.seAt(src) : mse;
        long asig = f.sigAt(dst), bsig = src >= 0 ? f.sigAt(src) : msig;
        switch (op) {
            case FADD: case FADDP: case FIADD: ar.add(ase, asig, bse, bsig, false); break;
            case FMUL: case FMULP: case FIMUL: ar.mul(ase, asig, bse, bsig); break;
            case FSUB: case FSUBP: case FISUB: ar.add(ase, asig, bse, bsig, true); break;
            case FSUBR: case FSUBRP: case FISUBR: ar.add(bse, bsig, ase, asig, true); break;
            case FDIV: case FDIVP: case FIDIV: ar.div(ase, asig, bse, bsig); break;
            default: ar.div(bse, bsig, ase, asig); break;   // FDIVR, FDIVRP, FIDIVR
        }
        if (!f.commitResult()) return;
        f.put(dst, ar.se, ar.sig);
        if (pop) f.popStack();
    }

    private static void unary(X87 f, Op op) {
        ExtendedReal ar = f.ar;
        if (f.empty(0)) {
            if (f.underflow()) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        if (op == Op.FSQRT) ar.sqrt(f.seAt(0), f.sigAt(0));
        else ar.roundToInteger(f.seAt(0), f.sigAt(0));
        if (f.commitResult()) f.put(0, ar.se, ar.sig);
    }

    private static void signOp(X87 f, Op op) {
        if (f.empty(0)) {
            if (f.underflow()) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        int e = f.seAt(0);
        f.put(0, op == Op.FCHS ? e ^ 0x8000 : e & 0x7FFF, f.sigAt(0));
        f.setConditions(f.conditions() & ~C1);
    }

    // ------------------------------------------------------------------ compares

    private static int conditionBits(int c) {
        return c < 0 ? C0 : c == 0 ? C3 : c == 1 ? 0 : C3 | C2 | C0;
    }

    private static void compare(X87 f, Insn i, Segment s, int ea, boolean quiet, int pops) {
        ExtendedReal ar = f.ar;
        int src = pops == 2 ? 1 : i.rm;
        int bse = 0;
        long bsig = 0;
        if (i.memory) {
            readOperand(f, i, s, ea, X87.isIntegerMemory(i.op));
            bse = ar.se;
            bsig = ar.sig;
        }
        if (f.empty(0) || (!i.memory && f.empty(src))) {
            ar.exc = 0;
            boolean masked = f.underflow();
            f.setConditions(C3 | C2 | C0);   // unordered, even when IE is unmasked
            if (masked) for (int k = 0; k < pops; k++) f.popStack();
            return;
        }
        if (!i.memory) { bse = f.seAt(src); bsig = f.sigAt(src); }
        int c = ar.compare(f.seAt(0), f.sigAt(0), bse, bsig, quiet);
        boolean ok = f.commitResult();
        f.setConditions(conditionBits(c));   // set even when an unmasked exception stops the pop
        if (!ok) return;
        for (int k = 0; k < pops; k++) f.popStack();
    }

    /** fcomi and friends: EFLAGS take the result even when an unmasked exception stops the pop; C1 stays. */
    private static void comi(X87 f, Insn i, boolean quiet, boolean pop) {
        ExtendedReal ar = f.ar;
        Flags fl = f.cpu().flags;
        int unordered = Flags.ZF | Flags.PF | Flags.CF;
        if (f.empty(0) || f.empty(i.rm)) {
            ar.exc = 0;
            boolean masked = f.underflow();
            fl.set(fl.get() & ~Flags.ARITH | unordered);
            if (masked && pop) f.popStack();
            return;
        }
        int c = ar.compare(f.seAt(0), f.sigAt(0), f.seAt(i.rm), f.sigAt(i.rm), quiet);
        int c1 = f.conditions() & C1;
        boolean ok = f.commitResult();
        f.setConditions(f.conditions() & ~C1 | c1);
        fl.set(fl.get() & ~Flags.ARITH | (c < 0 ? Flags.CF : c == 0 ? Flags.ZF : c == 1 ? 0 : unordered));
        if (ok && pop) f.popStack();
    }

    private static void test(X87 f) {
        ExtendedReal ar = f.ar;
        if (f.empty(0)) {
            f.underflow();
            f.setConditions(C3 | C2 | C0);   // unordered, IE masked or not
            return;
        }
        int c = ar.compare(f.seAt(0), f.sigAt(0), 0, 0, false);
        f.commitResult();
        f.setConditions(conditionBits(c));
    }

    private static void examine(X87 f) {
        int e = f.seAt(0);
        long m = f.sigAt(0);
        int c1 = (e & 0x8000) != 0 ? C1 : 0;
        int cls;
        if (f.empty(0)) cls = C3 | C0;
        else if (ExtendedReal.isUnsupported(e, m)) cls = 0;
        else if (ExtendedReal.isNaN(e, m)) cls = C0;
        else if (ExtendedReal.isInf(e, m)) cls = C2 | C0;
        else if (ExtendedReal.isZero(e, m)) cls = C3;
        else if (ExtendedReal.isDenormal(e, m)) cls = C3 | C2;
        else cls = C2;
        f.setConditions(cls | c1);
    }

    // ------------------------------------------------------------------ loads and stores

    private static void load(X87 f, Insn i, Segment s, int ea) {
        ExtendedReal ar = f.ar;
        int e;
        long m;
        boolean srcEmpty = false;
        if (i.memory) {
            if (i.op == Op.FBLD) {
                long lo = read64(f.interp(), s, ea);
                int hi = f.interp().read(s, ea + 8, 2);
                long v = 0;
                for (int k = 8; k >= 0; k--) {
                    int b = k == 8 ? hi & 0xFF : (int) (lo >>> (8 * k)) & 0xFF;
                    v = v * 100 + (b >> 4) * 10 + (b & 15);
                }
                ar.fromLong(v);
                if ((hi & 0x8000) != 0) ar.se |= 0x8000;
            } else {
                readOperand(f, i, s, ea, i.op == Op.FILD);
                if (ar.loadedDenormal) ar.exc |= DE;
                if (X87.memorySize(i) < 10 && ExtendedReal.isSNaN(ar.se, ar.sig)) {   // fld quiets a single or double SNaN
                    ar.exc |= IE;
                    ar.sig |= 0x4000000000000000L;
                }
            }
            e = ar.se;
            m = ar.sig;
        } else {
            srcEmpty = f.empty(i.rm);
            e = f.seAt(i.rm);
            m = f.sigAt(i.rm);
            ar.exc = 0;
        }
        if (srcEmpty) {   // underflow is reported before overflow
            ar.exc = 0;
            if (f.underflow()) f.pushStack(INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        if (!f.empty(7)) {
            ar.exc = 0;
            if (f.overflow()) f.pushStack(INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        // an unmasked DE still loads the value (a P6 and the host alike); an unmasked IE does not
        if (!f.commitResult() && (ar.exc & ~f.cw & IE) != 0) return;
        f.pushStack(e, m);
    }

    private static void store(X87 f, Insn i, Segment s, int ea) {
        ExtendedReal ar = f.ar;
        Interpreter in = f.interp();
        boolean pop = i.op == Op.FSTP || i.op == Op.FISTP || i.op == Op.FBSTP;
        if (!i.memory) {
            if (f.empty(0)) {
                if (f.underflow()) { f.put(i.rm, INDEFINITE_SE, INDEFINITE_SIG); if (pop) f.popStack(); }
                return;
            }
            f.put(i.rm, f.seAt(0), f.sigAt(0));
            f.setConditions(f.conditions() & ~C1);
            if (pop) f.popStack();
            return;
        }
        int size = X87.memorySize(i);
        boolean integer = i.op == Op.FIST || i.op == Op.FISTP;
        boolean bcd = i.op == Op.FBSTP;
        long v;
        int v16 = 0;   // bits 64-79 of a 10-byte store
        if (f.empty(0)) {
            if (!f.masked(IE)) { f.underflow(); return; }
            if (bcd) { v = 0xC000000000000000L; v16 = 0xFFFF; }
            else if (integer) v = size == 2 ? 0x8000 : size == 4 ? 0x80000000L : Long.MIN_VALUE;
            else if (size == 10) { v = INDEFINITE_SIG; v16 = INDEFINITE_SE; }
            else v = X87.indefiniteBits(size);
            write(in, s, ea, size, v, v16);
            f.underflow();
            if (pop) f.popStack();
            return;
        }
        int e = f.seAt(0);
        long m = f.sigAt(0);
        if (bcd || integer) {
            long max = bcd ? 999_999_999_999_999_999L : size == 2 ? Short.MAX_VALUE : size == 4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
            long min = bcd ? -max : size == 2 ? Short.MIN_VALUE : size == 4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long n = ar.toLong(e, m, min, max);
            if (ar.invalidInteger) {
                if (!f.masked(IE)) { f.commitResult(); return; }
                if (bcd) { v = 0xC000000000000000L; v16 = 0xFFFF; }
                else v = size == 2 ? 0x8000 : size == 4 ? 0x80000000L : Long.MIN_VALUE;
            } else if (bcd) {
                long a = Math.abs(n);
                v = 0;
                for (int k = 0; k < 16; k++) { v |= (a % 10) << (4 * k); a /= 10; }
                v16 = (int) (a % 10 | (a / 10 % 10) << 4) | (n < 0 || (n == 0 && (e & 0x8000) != 0) ? 0x8000 : 0);
            } else {
                v = n;
            }
            if ((ar.exc & ~f.cw & DE) != 0) { f.commitResult(); return; }
        } else if (size == 10) {
            v = m;
            v16 = e;
        } else {
            v = ar.toIeee(e, m, size * 8);
            if (ar.noStore || ar.blocked()) { f.commitResult(); return; }
        }
        write(in, s, ea, size, v, v16);
        f.commitResult();
        if (pop) f.popStack();
    }

    private static void write(Interpreter in, Segment s, int ea, int size, long v, int v16) {
        if (size > 4) in.checkWriteRange(s, ea, size);
        if (size == 2) in.write(s, ea, 2, (int) v);
        else if (size == 4) in.write(s, ea, 4, (int) v);
        else {
            write64(in, s, ea, v);
            if (size == 10) in.write(s, ea + 8, 2, v16);
        }
    }

    // ------------------------------------------------------------------ register moves

    private static void exchange(X87 f, int r) {
        boolean e0 = f.empty(0), er = f.empty(r);
        if (e0 || er) {
            f.ar.exc = 0;
            if (!f.underflow()) return;
            if (e0) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            if (er) f.put(r, INDEFINITE_SE, INDEFINITE_SIG);
        } else {
            f.setConditions(f.conditions() & ~C1);
        }
        int e = f.seAt(0);
        long m = f.sigAt(0);
        f.put(0, f.seAt(r), f.sigAt(r));
        f.put(r, e, m);
    }

    private static void conditionalMove(X87 f, Insn i) {
        if (f.empty(0) || f.empty(i.rm)) {
            f.ar.exc = 0;
            if (f.underflow()) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        if (f.cpu().flags.condition(i.cond)) f.put(0, f.seAt(i.rm), f.sigAt(i.rm));
    }

    /** The constants, 128 bits each, rounded to 64 by the rounding control without raising PE. */
    private static final long[][] CONSTANTS = {
        {0x4000, 0xD49A784BCD1B8AFEL, 0x492BF6FF4DAFDB4DL},   // log2(10)
        {0x3FFF, 0xB8AA3B295C17F0BBL, 0xBE87FED0691D3E89L},   // log2(e)
        {0x4000, 0xC90FDAA22168C234L, 0xC4C6628B80DC1CD1L},   // pi
        {0x3FFD, 0x9A209A84FBCFF798L, 0x8F8959AC0B7C9178L},   // log10(2)
        {0x3FFE, 0xB17217F7D1CF79ABL, 0xC9E3B39803F2F6AFL},   // ln(2)
    };

    static long roundConstant(long hi, long lo, int rc) {
        boolean guard = lo < 0, sticky = (lo << 1) != 0;
        boolean up = rc == ExtendedReal.RC_NEAREST ? guard && (sticky || (hi & 1) != 0) : rc == ExtendedReal.RC_UP && (guard || sticky);
        return up ? hi + 1 : hi;
    }

    private static void constant(X87 f, Op op) {
        if (!f.empty(7)) {
            f.ar.exc = 0;
            if (f.overflow()) f.pushStack(INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        f.setConditions(f.conditions() & ~C1);
        switch (op) {
            case FLD1: f.pushStack(BIAS, INT_BIT); return;
            case FLDZ: f.pushStack(0, 0); return;
            default:
        }
        long[] c = CONSTANTS[op.ordinal() - Op.FLDL2T.ordinal()];
        f.pushStack((int) c[0], roundConstant(c[1], c[2], f.ar.rc));
    }

    // ------------------------------------------------------------------ fscale, fxtract, fprem

    private static void scale(X87 f) {
        ExtendedReal ar = f.ar;
        if (f.empty(0) || f.empty(1)) {
            if (f.underflow()) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        int ae = f.seAt(0), be = f.seAt(1);
        long am = f.sigAt(0), bm = f.sigAt(1);
        if (ExtendedReal.isUnsupported(ae, am) || ExtendedReal.isUnsupported(be, bm)) ar.indefinite();
        else if (ExtendedReal.isNaN(ae, am) || ExtendedReal.isNaN(be, bm)) ar.add(ae, am, be, bm, false);   // NaN choice
        else {
            boolean ai = ExtendedReal.isInf(ae, am), bi = ExtendedReal.isInf(be, bm);
            boolean az = ExtendedReal.isZero(ae, am), bz = ExtendedReal.isZero(be, bm);
            if (ExtendedReal.isDenormal(ae, am) || ExtendedReal.isDenormal(be, bm)) ar.exc |= DE;
            int bs = be & 0x8000;
            if (bi) {
                if ((bs != 0 && ai) || (bs == 0 && az)) ar.indefinite();
                else if (bs != 0) ar.result(ae & 0x8000, 0);
                else ar.result(ae | MAX_EXP, INT_BIT);
            } else if (ai || az) {
                ar.result(ae, am);
            } else if (bz) {   // ST0 itself, delivered as a result: a denormal underflows, a pseudo-denormal comes out normal
                deliver(ar, ae, am);
            } else {
                // trunc(ST1), clamped: beyond +-2^17 every result over- or underflows the same way
                int n;
                int u = ExtendedReal.exp(be) - BIAS;
                if (u >= 17) n = 1 << 17;
                else if (u < 0) n = 0;
                else n = (int) (bm >>> (63 - u));
                if (bs != 0) n = -n;
                int e = ExtendedReal.exp(ae) == 0 ? 1 : ExtendedReal.exp(ae);
                int z = Long.numberOfLeadingZeros(am);
                ar.packFull(ae >> 15 & 1, e - z + n, am << z, 0);
            }
        }
        if (f.commitResult()) f.put(0, ar.se, ar.sig);
    }

    private static void extract(X87 f) {
        ExtendedReal ar = f.ar;
        if (f.empty(0)) {
            if (f.underflow()) { f.put(0, INDEFINITE_SE, INDEFINITE_SIG); f.pushStack(INDEFINITE_SE, INDEFINITE_SIG); }
            return;
        }
        if (!f.empty(7)) {
            if (f.overflow()) { f.put(0, INDEFINITE_SE, INDEFINITE_SIG); f.pushStack(INDEFINITE_SE, INDEFINITE_SIG); }
            return;
        }
        int e = f.seAt(0);
        long m = f.sigAt(0);
        int xe, se;
        long xm, sm;
        if (ExtendedReal.isUnsupported(e, m)) { ar.indefinite(); xe = se = ar.se; xm = sm = ar.sig; }
        else if (ExtendedReal.isNaN(e, m)) {
            if (ExtendedReal.isSNaN(e, m)) ar.exc |= IE;
            xe = se = e; xm = sm = m | 0x4000000000000000L;
        } else if (ExtendedReal.isInf(e, m)) {
            xe = MAX_EXP; xm = INT_BIT; se = e; sm = m;
        } else if (ExtendedReal.isZero(e, m)) {
            ar.exc |= ZE;
            xe = 0x8000 | MAX_EXP; xm = INT_BIT; se = e; sm = 0;
        } else {
            if (ExtendedReal.isDenormal(e, m)) ar.exc |= DE;
            int ex = ExtendedReal.exp(e) == 0 ? 1 : ExtendedReal.exp(e);
            int z = Long.numberOfLeadingZeros(m);
            ar.fromLong(ex - z - BIAS);
            xe = ar.se; xm = ar.sig;
            se = (e & 0x8000) | BIAS; sm = m << z;
        }
        if (!f.commitResult()) return;
        f.put(0, xe, xm);
        f.pushStack(se, sm);
    }

    /** A finite nonzero operand passed on as a result: normalized and rounded like any (a tiny one underflows). */
    private static void deliver(ExtendedReal ar, int e, long m) {
        int ex = ExtendedReal.exp(e) == 0 ? 1 : ExtendedReal.exp(e);
        int z = Long.numberOfLeadingZeros(m);
        ar.packFull(e >> 15 & 1, ex - z, m << z, 0);
    }

    private static void remainder(X87 f, boolean ieee) {
        ExtendedReal ar = f.ar;
        if (f.empty(0) || f.empty(1)) {
            f.setConditions(f.conditions() & ~C2);
            if (f.underflow()) f.put(0, INDEFINITE_SE, INDEFINITE_SIG);
            return;
        }
        int ae = f.seAt(0), be = f.seAt(1);
        long am = f.sigAt(0), bm = f.sigAt(1);
        int q = 0;
        boolean partial = false, noQuotient = true;   // NaN or invalid: C0 and C3 stay, C1 and C2 clear
        if (ExtendedReal.isUnsupported(ae, am) || ExtendedReal.isUnsupported(be, bm)) ar.indefinite();
        else if (ExtendedReal.isNaN(ae, am) || ExtendedReal.isNaN(be, bm)) ar.add(ae, am, be, bm, false);
        else if (ExtendedReal.isInf(ae, am) || ExtendedReal.isZero(be, bm)) {
            ar.indefinite();   // invalid, reported alone (no DE for a denormal beside it)
        } else if (ExtendedReal.isZero(ae, am) || ExtendedReal.isInf(be, bm)) {
            if (ExtendedReal.isDenormal(ae, am) || ExtendedReal.isDenormal(be, bm)) ar.exc |= DE;
            if (ExtendedReal.isZero(ae, am)) ar.result(ae, am); else deliver(ar, ae, am);
            noQuotient = false;
        } else {
            noQuotient = false;
            if (ExtendedReal.isDenormal(ae, am) || ExtendedReal.isDenormal(be, bm)) ar.exc |= DE;
            int ea = ExtendedReal.exp(ae) == 0 ? 1 : ExtendedReal.exp(ae);
            int eb = ExtendedReal.exp(be) == 0 ? 1 : ExtendedReal.exp(be);
            int za = Long.numberOfLeadingZeros(am), zb = Long.numberOfLeadingZeros(bm);
            ea -= za; am <<= za;
            eb -= zb; bm <<= zb;
            int d = ea - eb;
            if (d < (ieee ? -1 : 0)) {
                // |a| below |b| (below |b|/2 for fprem1): a itself, quotient 0, delivered as any result (a tiny one
                // underflows, a pseudo-denormal comes out with exponent 1)
                ar.packFull(ae >> 15 & 1, ea, am, 0);
            } else {
                // the quotient of a / b (a partial step: of a / (b * 2^(d-D))), a*2^D over b in 128-by-64-bit division;
                // the remainder is at the scale 2^(ea - D)
                int sign = ae & 0x8000;
                long r, quo;
                int scale;
                if (d == -1) {   // fprem1 of an |a| within a factor of four below |b|: the quotient rounds to 0 or 1
                    quo = 0;
                    r = am;
                    if (Long.compareUnsigned(am, bm) > 0) { r = bm - (am - bm); quo = 1; sign ^= 0x8000; }
                    scale = ea;
                } else {
                    partial = d >= 64;
                    int shift = partial ? 32 + (d & 31) : d;
                    quo = ar.divideUnsigned128(shift == 0 ? 0 : am >>> (64 - shift), am << shift, bm);
                    r = ar.divRemainder;
                    scale = ea - shift;
                    if (ieee && !partial) {   // round the quotient to nearest, ties to even
                        long rest = bm - r;
                        int c = Long.compareUnsigned(r, rest);
                        if (c > 0 || (c == 0 && (quo & 1) != 0)) { r = rest; quo++; sign ^= 0x8000; }
                    }
                }
                q = (int) quo;
                if (r == 0) {
                    ar.result(ae & 0x8000, 0);
                } else {
                    int z = Long.numberOfLeadingZeros(r);
                    ar.packFull(sign >> 15, scale - z, r << z, 0);
                }
            }
        }
        int cc = noQuotient ? f.conditions() & (C0 | C3)
                : partial ? C2 : ((q & 4) != 0 ? C0 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 1) != 0 ? C1 : 0);
        boolean ok = f.commitResult();
        if (!ok && (ar.exc & ~f.cw & IE) == 0) {   // stopped by DE: C2 clears, the rest stays
            f.setConditions(f.conditions() & ~C2);
            return;
        }
        f.setConditions(cc);   // also when an unmasked IE keeps ST0
        if (ok) f.put(0, ar.se, ar.sig);
    }
}

package dev.fixup.cpu;

import static dev.fixup.cpu.ExtendedReal.DE;
import static dev.fixup.cpu.ExtendedReal.IE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SE;
import static dev.fixup.cpu.ExtendedReal.INDEFINITE_SIG;
import static dev.fixup.cpu.ExtendedReal.INT_BIT;
import static dev.fixup.cpu.ExtendedReal.PE;
import static dev.fixup.cpu.ExtendedReal.ZE;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;

/**
 * The x87 floating-point unit of a P6: eight 80-bit registers addressed relative to TOP, the
 * control, status and tag words, the last-instruction pointers, and the execution of every x87
 * instruction. Arithmetic is {@link ExtendedReal}'s.
 *
 * <p>Fault model: memory operands are read, and stores checked for writability over their whole
 * size, before any FPU state changes, so a page fault leaves the unit as it was. An unmasked
 * exception sets ES in the status word; the next waiting x87 instruction (or fwait) then raises
 * #MF (vector 16) before doing anything.
 */
final class X87 {
    static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, SF = 0x40, ES = 0x80, BUSY = 0x8000;
    static final int CONDITION = C0 | C1 | C2 | C3;

    private final Cpu cpu;
    private final Interpreter in;
    final ExtendedReal ar = new ExtendedReal();
    /** Scratch registers of the transcendental instructions' 128-bit fast paths. */
    final X87FastMath fast = new X87FastMath();

    /** Physical registers R0-R7. */
    final int[] se = new int[8];
    final long[] sig = new long[8];
    /** Bit i set: physical register i is empty. */
    int empty = 0xFF;
    int top;
    int cw = 0x037F;
    /** The status word without TOP (bits 11-13, kept in {@link #top}). */
    int sw;
    int fip, fcs, fop, fdp, fds;

    X87(Cpu cpu, Interpreter in) {
        this.cpu = cpu;
        this.in = in;
        init();
    }

    // ------------------------------------------------------------------ state

    void init() {
        setControl(0x037F);
        sw = 0;
        top = 0;
        empty = 0xFF;
        fip = fcs = fop = fdp = fds = 0;
    }

    void setControl(int v) {
        cw = v & 0x1F7F | 0x40;
        ar.masks = cw & 0x3F;
        ar.rc = (cw >> 10) & 3;
        int pc = (cw >> 8) & 3;
        ar.precision = pc == 0 ? 24 : pc == 2 ? 53 : 64;   // 1 is reserved: a P6 rounds to 64 bits
    }

    int statusWord() {
        int s = sw & ~0x3800 | top << 11;
        return (s & ES) != 0 ? s | BUSY : s & ~BUSY;
    }

    void setStatus(int v) {
        top = (v >> 11) & 7;
        sw = v & ~0x3800 & ~BUSY;
    }

    /** ES follows the unmasked exception flags (after fldcw, fldenv, frstor). */
    private void recomputeEs() {
        if ((sw & ~cw & 0x3F) != 0) sw |= ES; else sw &= ~ES;
    }

    /** The full tag word: 0 valid, 1 zero, 2 special (NaN, infinity, denormal, unsupported), 3 empty. */
    int tagWord() {
        int t = 0;
        for (int i = 0; i < 8; i++) t |= tag(i) << (2 * i);
        return t;
    }

    private int tag(int phys) {
        if ((empty >> phys & 1) != 0) return 3;
        int e = ExtendedReal.exp(se[phys]);
        long s = sig[phys];
        if (e == 0 && s == 0) return 1;
        if (e == 0x7FFF || e == 0 || s >= 0) return 2;
        return 0;
    }

    /** Only empty and not empty matter when a tag word is loaded: a P6 recomputes the rest. */
    void setTagWord(int t) {
        empty = 0;
        for (int i = 0; i < 8; i++) if ((t >> (2 * i) & 3) == 3) empty |= 1 << i;
    }

    private int phys(int i) { return (top + i) & 7; }
    private boolean isEmpty(int i) { return (empty >> phys(i) & 1) != 0; }
    private int se(int i) { return se[phys(i)]; }
    private long sig(int i) { return sig[phys(i)]; }

    private void set(int i, int e, long s) {
        int p = phys(i);
        se[p] = e;
        sig[p] = s;
        empty &= ~(1 << p);
    }

    private void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    private void push(int e, long s) {
        top = (top - 1) & 7;
        set(0, e, s);
    }

    // ------------------------------------------------------------------ exceptions

    /**
     * Folds the exceptions of {@link #ar} into the status word (C1 from the rounding direction)
     * and returns whether the result may be written: not when an unmasked IE, DE or ZE occurred.
     */
    private boolean commit() {
        int x = ar.exc & 0x3F;
        // an unmasked IE, DE or ZE stops the operation before its result: no later exception, no rounding
        boolean stopped = (x & ~cw & (IE | DE | ZE)) != 0;
        if (stopped) x &= IE | DE | ZE;
        sw = sw & ~C1 | x;
        if (!stopped && (x & PE) != 0 && ar.roundedUp) sw |= C1;
        if ((x & ~cw & 0x3F) != 0) sw |= ES;
        return !stopped;
    }

    /** Stack underflow or overflow: IE with SF, C1 = 1 for overflow; false when IE is unmasked. */
    private boolean stackFault(boolean overflow) {
        sw = sw & ~C1 | IE | SF | (overflow ? C1 : 0);
        if ((cw & IE) == 0) { sw |= ES; return false; }
        return true;
    }

    /** fwait: #NM only when both MP and TS are set; #MF for a pending exception. */
    void fwait() {
        if ((cpu.cr0 & 0xA) == 0xA) throw cpu.fault.set(Vector.NM, -1);
        if ((sw & ES) != 0) throw cpu.fault.set(Vector.MF, -1);
    }

    /** The unmasked exception bits (IE..PE, and SF with IE) a #MF handler reports: status & ~control. */
    int unmaskedExceptions() {
        return sw & ~cw & 0x3F | ((sw & ~cw & IE) != 0 ? sw & SF : 0);
    }

    // ------------------------------------------------------------------ dispatch

    void execute(Insn i, Segment mseg, int ea) {
        Op op = i.op;
        boolean control = op == Op.FNINIT || op == Op.FNCLEX || op == Op.FNSTCW || op == Op.FNSTSW
                || op == Op.FNSTENV || op == Op.FNSAVE;
        if ((cpu.cr0 & 4) != 0 || (cpu.cr0 & Cpu.CR0_TS) != 0) throw cpu.fault.set(Vector.NM, -1);
        if (!control && (sw & ES) != 0) throw cpu.fault.set(Vector.MF, -1);
        ar.begin();
        switch (op) {
            case FNINIT: init(); return;
            case FNCLEX: sw &= ~(0xFF | BUSY); return;
            case FNSTCW: in.write(mseg, ea, 2, cw); return;
            case FNSTSW:
                if (i.memory) in.write(mseg, ea, 2, statusWord());
                else cpu.writeGpr(2, Cpu.EAX, statusWord());
                return;
            case FLDCW: setControl(in.read(mseg, ea, 2)); recomputeEs(); return;
            case FNSTENV: {
                in.checkWriteRange(mseg, ea, i.opsize == 4 ? 28 : 14);
                storeEnv(mseg, ea, i.opsize);
                setControl(cw | 0x3F);
                return;
            }
            case FLDENV: loadEnv(mseg, ea, i.opsize); recomputeEs(); return;
            case FNSAVE: save(mseg, ea, i.opsize); return;
            case FRSTOR: restore(mseg, ea, i.opsize); recomputeEs(); return;
            default:
        }
        X87Ops.execute(this, i, mseg, ea);
        // the last non-control instruction, for fnstenv and the #MF handler
        fip = cpu.eip;
        fcs = cpu.cs.selector;
        fop = (i.opcode & 7) << 8 | (i.mod << 6 | i.reg << 3 | i.rm);
        if (i.memory) { fdp = ea; fds = mseg.selector; }
    }

    // ------------------------------------------------------------------ environment and state images

    private void storeEnv(Segment s, int ea, int opsize) {
        if (opsize == 4) {
            in.write(s, ea, 4, 0xFFFF0000 | cw);
            in.write(s, ea + 4, 4, 0xFFFF0000 | statusWord());
            in.write(s, ea + 8, 4, 0xFFFF0000 | tagWord());
            in.write(s, ea + 12, 4, fip);
            in.write(s, ea + 16, 4, fop << 16 | fcs & 0xFFFF);
            in.write(s, ea + 20, 4, fdp);
            in.write(s, ea + 24, 4, 0xFFFF0000 | fds);
        } else {
            in.write(s, ea, 2, cw);
            in.write(s, ea + 2, 2, statusWord());
            in.write(s, ea + 4, 2, tagWord());
            in.write(s, ea + 6, 2, fip);
            in.write(s, ea + 8, 2, fcs);
            in.write(s, ea + 10, 2, fdp);
            in.write(s, ea + 12, 2, fds);
        }
    }

    private int[] readEnv(Segment s, int ea, int opsize) {
        int[] v = new int[7];
        for (int k = 0; k < 7; k++) v[k] = opsize == 4 ? in.read(s, ea + 4 * k, 4) : in.read(s, ea + 2 * k, 2);
        return v;
    }

    private void applyEnv(int[] v, int opsize) {
        setControl(v[0] & 0xFFFF);
        setStatus(v[1] & 0xFFFF);
        setTagWord(v[2] & 0xFFFF);
        fip = opsize == 4 ? v[3] : v[3] & 0xFFFF;
        fcs = v[4] & 0xFFFF;
        fop = opsize == 4 ? (v[4] >>> 16) & 0x7FF : 0;
        fdp = opsize == 4 ? v[5] : v[5] & 0xFFFF;
        fds = v[6] & 0xFFFF;
    }

    private void loadEnv(Segment s, int ea, int opsize) {
        applyEnv(readEnv(s, ea, opsize), opsize);
    }

    private void save(Segment s, int ea, int opsize) {
        int env = opsize == 4 ? 28 : 14;
        in.checkWriteRange(s, ea, env + 80);
        storeEnv(s, ea, opsize);
        for (int k = 0; k < 8; k++) {
            int a = ea + env + 10 * k;
            long m = sig(k);
            in.write(s, a, 4, (int) m);
            in.write(s, a + 4, 4, (int) (m >>> 32));
            in.write(s, a + 8, 2, se(k));
        }
        init();
    }

    private void restore(Segment s, int ea, int opsize) {
        int env = opsize == 4 ? 28 : 14;
        int[] v = readEnv(s, ea, opsize);
        long[] m = new long[8];
        int[] e = new int[8];
        for (int k = 0; k < 8; k++) {
            int a = ea + env + 10 * k;
            m[k] = in.read(s, a, 4) & 0xFFFFFFFFL | (long) in.read(s, a + 4, 4) << 32;
            e[k] = in.read(s, a + 8, 2);
        }
        applyEnv(v, opsize);
        for (int k = 0; k < 8; k++) { se[phys(k)] = e[k]; sig[phys(k)] = m[k]; }
    }

    /** The 108-byte FNSAVE image (32-bit format) of the current state, without reinitializing. */
    byte[] fnsaveImage() {
        byte[] b = new byte[108];
        int[] env = {0xFFFF0000 | cw, 0xFFFF0000 | statusWord(), 0xFFFF0000 | tagWord(), fip, fop << 16 | fcs & 0xFFFF,
            fdp, 0xFFFF0000 | fds};
        for (int k = 0; k < 7; k++) le(b, 4 * k, env[k], 4);
        for (int k = 0; k < 8; k++) {
            le(b, 28 + 10 * k, sig(k), 8);
            le(b, 36 + 10 * k, se(k), 2);
        }
        return b;
    }

    void loadFnsaveImage(byte[] b) {
        int[] env = new int[7];
        for (int k = 0; k < 7; k++) env[k] = (int) fromLe(b, 4 * k, 4);
        applyEnv(env, 4);
        for (int k = 0; k < 8; k++) {
            sig[phys(k)] = fromLe(b, 28 + 10 * k, 8);
            se[phys(k)] = (int) fromLe(b, 36 + 10 * k, 2);
        }
        recomputeEs();
    }

    private static void le(byte[] b, int off, long v, int n) {
        for (int k = 0; k < n; k++) b[off + k] = (byte) (v >>> (8 * k));
    }

    private static long fromLe(byte[] b, int off, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) v |= (b[off + k] & 0xFFL) << (8 * k);
        return v;
    }

    // ------------------------------------------------------------------ helpers for X87Ops

    Cpu cpu() { return cpu; }
    Interpreter interp() { return in; }
    boolean empty(int i) { return isEmpty(i); }
    int seAt(int i) { return se(i); }
    long sigAt(int i) { return sig(i); }
    void put(int i, int e, long s) { set(i, e, s); }
    void popStack() { pop(); }
    void pushStack(int e, long s) { push(e, s); }
    void incTop(int d) { top = (top + d) & 7; }
    void free(int i) { empty |= 1 << phys(i); }
    boolean commitResult() { return commit(); }
    boolean underflow() { return stackFault(false); }
    boolean overflow() { return stackFault(true); }
    int conditions() { return sw & CONDITION; }
    void setConditions(int bits) { sw = sw & ~CONDITION | bits; }
    boolean masked(int exc) { return (cw & exc) != 0; }

    static boolean isIntegerMemory(Op op) {
        return switch (op) {
            case FIADD, FIMUL, FISUB, FISUBR, FIDIV, FIDIVR, FICOM, FICOMP -> true;
            default -> false;
        };
    }

    static int memorySize(Insn i) {
        for (OperandSpec s : i.form.operands) if (s.kind == OperandSpec.Kind.MEM) return s.size(i.opsize);
        return 0;
    }

    static long indefiniteBits(int size) { return size == 4 ? 0xFFC00000L : 0xFFF8000000000000L; }

    static final long INDEF_SIG = INDEFINITE_SIG;
    static final int INDEF_SE = INDEFINITE_SE;
    static final long ONE = INT_BIT;
}

package dev.fixup.cpu;

import dev.fixup.bench.micro.MicroBenchmark;
import dev.fixup.x86.Op;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One x87 operation's arithmetic (no decoding, no guest memory): the transcendentals by their 128-bit
 * fast path and, for comparison, by the 200-bit decimal path alone (what every one took before the
 * fast path, and what it still takes for the rare operand the fast path declines); and fdiv (the
 * same in both). Operands
 * are those libm passes: f2xm1 of a fraction within +-1/2, fyl2x of a value near 1 to a few
 * thousand, fsin of a few radians and fpatan of two ordinary values. In the CPU's package because
 * the unit is not public API.
 */
public class X87Benchmark extends MicroBenchmark {
    static final int N = 16;
    static final int BIAS = ExtendedReal.BIAS;

    final ExtendedReal ar = new ExtendedReal();
    /** fast: the 128-bit path (falling back as the unit does); decimal: the decimal path alone. */
    @Param({"fast", "decimal"})
    public String arithmetic;
    X87FastMath path;
    final int[] fracSe = new int[N], wideSe = new int[N];
    final long[] sig = new long[N], sig2 = new long[N];

    @Setup
    public void setup() {
        path = arithmetic.equals("fast") ? new X87FastMath() : null;
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < N; i++) {
            fracSe[i] = (r.nextBoolean() ? 0x8000 : 0) | (BIAS - 2 - r.nextInt(6));
            wideSe[i] = BIAS + r.nextInt(12);
            sig[i] = r.nextLong() | Long.MIN_VALUE;
            sig2[i] = r.nextLong() | Long.MIN_VALUE;
        }
    }

    private int result() { return ar.se ^ (int) ar.sig; }

    @Benchmark
    @OperationsPerInvocation(N)
    public int f2xm1() {
        int s = 0;
        for (int i = 0; i < N; i++) { ar.begin(); X87Transcendental.twoXMinus1(ar, path, fracSe[i], sig[i]); s += result(); }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int fyl2x() {
        int s = 0;
        for (int i = 0; i < N; i++) { ar.begin(); X87Transcendental.binaryValue(ar, path, Op.FYL2X, wideSe[i], sig[i], BIAS, sig2[i]); s += result(); }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int fsin() {
        int s = 0;
        for (int i = 0; i < N; i++) { ar.begin(); X87Transcendental.trigValue(ar, path, Op.FSIN, wideSe[i] - 8, sig[i]); s += result(); }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int fpatan() {
        int s = 0;
        for (int i = 0; i < N; i++) { ar.begin(); X87Transcendental.binaryValue(ar, path, Op.FPATAN, fracSe[i], sig[i], wideSe[i], sig2[i]); s += result(); }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int fdiv() {
        int s = 0;
        for (int i = 0; i < N; i++) { ar.begin(); ar.div(wideSe[i], sig[i], fracSe[i], sig2[i]); s += result(); }
        return s;
    }
}

package dev.fixup.bench.micro;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the microbenchmarks share: JMH's settings (average nanoseconds per operation, state per
 * thread, one fork, 3 warm-up and 5 measured iterations of a second; JMH takes them from the
 * superclass, and a benchmark that needs longer iterations says so on its own class) and the
 * booted kernel the kernel-level ones measure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class MicroBenchmark {
    /** A kernel booted from this tree's vmlinux, its console and logs silenced, standard input empty. */
    protected static Kernel quietKernel() {
        KernelConfig cfg = new KernelConfig();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        cfg.stdout = quiet;
        cfg.stderr = quiet;
        cfg.klog = quiet;
        cfg.traceOut = quiet;
        cfg.stdin = new ByteArrayInputStream(new byte[0]);
        return Kernel.boot(cfg, KernelBuilder.build());
    }
}

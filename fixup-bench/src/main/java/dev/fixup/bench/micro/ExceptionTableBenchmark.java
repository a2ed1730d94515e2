package dev.fixup.bench.micro;

import dev.fixup.kernel.ExceptionTable;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * search_exception_tables as the fault path calls it: the booted kernel's own table (from
 * vmlinux), looked up for every entry's faulting address (hits) and for addresses between
 * entries (misses, the oops path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExceptionTableBenchmark {
    static final int LOOKUPS = 256;

    ExceptionTable table;
    final int[] hits = new int[LOOKUPS];
    final int[] misses = new int[LOOKUPS];

    @Setup
    public void setup() {
        KernelConfig cfg = new KernelConfig();
        cfg.klog = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        table = Kernel.boot(cfg, KernelBuilder.build()).exceptionTable();
        ExceptionTable.Table t = table.kernelTable();
        if (t.size() == 0) throw new IllegalStateException("vmlinux has no exception table");
        for (int i = 0; i < LOOKUPS; i++) {
            int e = (int) ((i * 2654435761L) % t.size());
            hits[i] = t.insn(e);
            misses[i] = t.insn(e) + 1;
            if (table.search(hits[i]) != t.fixup(e)) throw new IllegalStateException("entry " + e + " not found");
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int hit() {
        int sum = 0;
        for (int a : hits) sum += table.search(a);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int miss() {
        int sum = 0;
        for (int a : misses) sum += table.search(a);
        return sum;
    }
}

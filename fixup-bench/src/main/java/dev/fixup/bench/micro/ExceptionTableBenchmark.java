package dev.fixup.bench.micro;

import dev.fixup.kernel.ExceptionTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * search_exception_tables as the fault path calls it: the booted kernel's own table (from
 * vmlinux), looked up for every entry's faulting address (hits) and for addresses between
 * entries (misses, the oops path).
 */
public class ExceptionTableBenchmark extends MicroBenchmark {
    static final int LOOKUPS = 256;

    ExceptionTable table;
    final int[] hits = new int[LOOKUPS];
    final int[] misses = new int[LOOKUPS];

    @Setup
    public void setup() {
        table = quietKernel().exceptionTable();
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
        return searchAll(hits);
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int miss() {
        return searchAll(misses);
    }

    private int searchAll(int[] addresses) {
        int sum = 0;
        for (int a : addresses) sum += table.search(a);
        return sum;
    }
}

package dev.fixup.cpu;

import dev.fixup.bench.micro.MicroBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * The MMU's linear-to-physical path: a 32-bit user read that hits the software TLB (the cost every
 * guest memory access pays), and the same read after invlpg, which walks the two-level tables.
 * In the CPU's package because the MMU is not public API.
 */
public class TlbBenchmark extends MicroBenchmark {
    static final int PD = 0x1000, PT = 0x2000, PAGES = 16, READS = 64;

    Cpu cpu;
    Mmu mmu;
    final int[] addresses = new int[READS];

    @Setup
    public void setup() {
        Machine m = new Machine(8 << 20);
        // the first 4 MB identity mapped with 4 KB user pages, present and writable
        m.mem.write32(PD, PT | Mmu.P | Mmu.RW | Mmu.US);
        for (int i = 0; i < 1024; i++) m.mem.write32(PT + 4 * i, (i << 12) | Mmu.P | Mmu.RW | Mmu.US);
        cpu = m.cpu;
        cpu.setCr3(PD);
        cpu.setCr0(cpu.getCr0() | Cpu.CR0_PE | Cpu.CR0_PG);
        mmu = cpu.mmu;
        for (int i = 0; i < READS; i++) addresses[i] = 0x100000 + (i % PAGES) * 4096 + (i * 52 & 0xffc);
        for (int a : addresses) mmu.read32(a, true);
    }

    @Benchmark
    @OperationsPerInvocation(READS)
    public int read32Hit() {
        int sum = 0;
        for (int a : addresses) sum += mmu.read32(a, true);
        return sum;
    }

    @Benchmark
    public int read32AfterInvlpg() {
        int a = addresses[7];
        cpu.invalidateTlb(a);
        return mmu.read32(a, true);
    }
}

package dev.fixup.bench.micro;

import dev.fixup.asm.Assembler;
import dev.fixup.kernel.Kernel;
import dev.fixup.link.Linker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The demand-zero page fault, whole: a guest program maps 1 MB, writes one byte in each of its
 * 256 pages and unmaps it, 16 times; time per fault (exception delivery, the guest entry stub,
 * the Java handler, a frame allocated and zeroed, the TLB refilled, the return), with the
 * program's exec, mmap and munmap amortised over the 4,096 faults. A fresh kernel per
 * invocation (not timed).
 */
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class FaultBenchmark extends MicroBenchmark {
    static final int ROUNDS = 16, PAGES = 256;

    static final String PROGRAM = String.join("\n",
            "    .globl _start",
            "    .text",
            "_start:",
            "    movl $" + ROUNDS + ", %edi",
            "round:",
            "    pushl %edi",
            "    movl $192, %eax",          // mmap2(NULL, 1 MB, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
            "    xorl %ebx, %ebx",
            "    movl $" + (PAGES * 4096) + ", %ecx",
            "    movl $3, %edx",
            "    movl $0x22, %esi",
            "    movl $-1, %edi",
            "    xorl %ebp, %ebp",
            "    int $0x80",
            "    popl %edi",
            "    cmpl $-4096, %eax",
            "    ja fail",
            "    movl %eax, %ebx",
            "    movl $" + PAGES + ", %ecx",
            "touch:",
            "    movb $1, (%eax)",
            "    addl $4096, %eax",
            "    decl %ecx",
            "    jnz touch",
            "    movl $91, %eax",           // munmap(addr, 1 MB)
            "    movl $" + (PAGES * 4096) + ", %ecx",
            "    int $0x80",
            "    decl %edi",
            "    jnz round",
            "    movl $1, %eax",
            "    xorl %ebx, %ebx",
            "    int $0x80",
            "fail:",
            "    movl $1, %eax",
            "    movl $3, %ebx",
            "    int $0x80",
            "");

    byte[] elf;
    Kernel kernel;

    @Setup(Level.Trial)
    public void build() throws Exception {
        elf = new Linker().add("faults.o", Assembler.assemble("faults.S", PROGRAM)).link().bytes();
    }

    @Setup(Level.Invocation)
    public void boot() {
        kernel = quietKernel();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS * PAGES)
    public int demandZeroFault() {
        int status = kernel.exec(elf, new String[] {"faults"}, new String[0]);
        if (status != 0) throw new IllegalStateException("the fault program exited with " + status);
        return status;
    }
}

package dev.fixup.bench;

import dev.fixup.asm.Assembler;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelConfig.UaccessMode;
import dev.fixup.kernel.KernelImage;
import dev.fixup.link.LinkInput;
import dev.fixup.link.Linker;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The seed's two designs measured: {@code --uaccess=extable} (the MMU and the exception table
 * find bad pointers; a good one costs nothing) against {@code --uaccess=verify} (verify_area walks
 * the vma list before every user access). A guest program first maps N separate one-page areas
 * (a page apart, so they stay N vmas), then runs a loop of syscalls with pointer arguments that
 * point into its stack, the highest vma, as real programs' buffers usually do.
 *
 * <p>Time per syscall = (thread CPU time of a run of K iterations - that of a run of 0
 * iterations, which maps the areas and exits) / (K x syscalls per iteration); the median of
 * --reps runs, after a warm-up run of every configuration.
 *
 * <p>Usage: UaccessBenchmark [--iterations K] [--reps N] [--vmas 1,10,100,1000] [WORKLOAD ...];
 * run it with fixup-bench/run-uaccess.sh.
 */
public final class UaccessBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One loop body: its syscalls per iteration and the assembly that makes them (the stack buffer is at %esp). */
    record Workload(String name, int syscalls, String what, String body) {}

    /** Checks a syscall result: a negative one ends the program with status 2. */
    private static final String CHECK = "\ttestl %eax, %eax\n\tjs fail\n";

    static final List<Workload> WORKLOADS = List.of(
            new Workload("getpid", 1, "no pointer: the syscall path alone",
                    "\tmovl $20, %eax\n\tint $0x80\n"),
            new Workload("time", 1, "time(&t): one put_user",
                    "\tmovl $13, %eax\n\tmovl %esp, %ebx\n\tint $0x80\n" + CHECK),
            new Workload("gettimeofday", 1, "gettimeofday(&tv, NULL): copy_to_user 8 bytes",
                    "\tmovl $78, %eax\n\tmovl %esp, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n" + CHECK),
            new Workload("sigprocmask", 1, "rt_sigprocmask(SIG_BLOCK, &set, &old, 8): 8 bytes in, 8 out",
                    "\tmovl $175, %eax\n\txorl %ebx, %ebx\n\tleal 8(%esp), %ecx\n\tleal 16(%esp), %edx\n\tmovl $8, %esi\n\tint $0x80\n" + CHECK),
            new Workload("pipe16", 2, "write(pipe, buf, 16) + read(pipe, buf, 16): small copies both ways",
                    "\tmovl $4, %eax\n\tmovl 4(%esp), %ebx\n\tleal 32(%esp), %ecx\n\tmovl $16, %edx\n\tint $0x80\n" + CHECK
                            + "\tmovl $3, %eax\n\tmovl (%esp), %ebx\n\tleal 32(%esp), %ecx\n\tmovl $16, %edx\n\tint $0x80\n" + CHECK),
            new Workload("writev16", 1, "writev(fd, iov, 16) of 1-byte pieces: 17 small user reads",
                    "\tmovl $146, %eax\n\tmovl $1, %ebx\n\tleal 64(%esp), %ecx\n\tmovl $16, %edx\n\tint $0x80\n" + CHECK));

    public static void main(String[] args) throws Exception {
        int iterations = 20000, reps = 3;
        int[] vmas = {1, 10, 100, 1000};
        List<Workload> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--vmas" -> vmas = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    String name = args[i];
                    chosen.add(WORKLOADS.stream().filter(w -> w.name.equals(name)).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("unknown workload " + name)));
                }
            }
        }
        if (chosen.isEmpty()) chosen.addAll(WORKLOADS);
        KernelImage image = KernelBuilder.build();
        System.out.printf("java %s; %d iterations, median of %d runs after a warm-up; times are ns of thread CPU per syscall%n",
                System.getProperty("java.vm.version"), iterations, reps);
        for (Workload w : chosen) System.out.printf("  %-13s %s%n", w.name, w.what);
        System.out.println("  mmaps: one-page areas mapped before the loop; the program's own text, data and stack areas come on top");
        System.out.printf("%-13s %6s | %12s %12s | %s%n", "workload", "mmaps", "extable ns", "verify ns", "verify/extable");
        // Warm every path up first (both modes, each workload, the largest map count), so the
        // first rows do not pay for the JIT.
        for (Workload w : chosen) {
            for (UaccessMode mode : UaccessMode.values()) run(image, mode, program(w, vmas[vmas.length - 1], iterations));
        }
        for (Workload w : chosen) {
            for (int n : vmas) {
                byte[] loop = program(w, n, iterations), empty = program(w, n, 0);
                Measured ex = measure(image, UaccessMode.EXTABLE, loop, empty, reps);
                Measured vf = measure(image, UaccessMode.VERIFY, loop, empty, reps);
                double perEx = ex.perIteration(iterations) / w.syscalls, perVf = vf.perIteration(iterations) / w.syscalls;
                System.out.printf("%-13s %6d | %12.0f %12.0f | %7.2f%n", w.name, n, perEx, perVf, perVf / perEx);
                System.out.flush();
            }
        }
    }

    /** Medians of a loop run and of an empty run (the same set-up, no iterations), in ns. */
    record Measured(double loopNanos, double emptyNanos) {
        double perIteration(int iterations) { return (loopNanos - emptyNanos) / iterations; }
    }

    static Measured measure(KernelImage image, UaccessMode mode, byte[] loop, byte[] empty, int reps) {
        run(image, mode, loop);                              // warm-up
        double[] l = new double[reps], e = new double[reps];
        for (int i = 0; i < reps; i++) {
            l[i] = run(image, mode, loop);
            e[i] = run(image, mode, empty);
        }
        return new Measured(median(l), median(e));
    }

    /** Boots a kernel and runs the program; thread CPU ns of exec (boot excluded). */
    static double run(KernelImage image, UaccessMode mode, byte[] elf) {
        KernelConfig cfg = new KernelConfig();
        cfg.uaccess = mode;
        cfg.stdout = new PrintStream(OutputStream.nullOutputStream());
        cfg.stderr = cfg.stdout;
        cfg.traceOut = System.err;
        cfg.klog = System.err;
        cfg.stdin = new ByteArrayInputStream(new byte[0]);
        Kernel k = Kernel.boot(cfg, image);
        long c0 = THREADS.getCurrentThreadCpuTime();
        int status = k.exec(elf, new String[] {"uaccess-bench"}, new String[0]);
        long c1 = THREADS.getCurrentThreadCpuTime();
        if (status != 0) throw new IllegalStateException("the benchmark program failed: status " + status);
        return c1 - c0;
    }

    /**
     * The guest program: N one-page mappings a page apart from 0x10000000, a pipe, 16 iovecs of
     * one byte, then `iterations` loop bodies. Exits 0 on success, 2 when a syscall failed.
     */
    static byte[] program(Workload w, int mappings, int iterations) throws Exception {
        String src = String.join("\n",
                "\t.data",
                "mapped:\t.long 0",
                "left:\t.long " + iterations,
                "\t.text",
                "\t.globl _start",
                "_start:",
                "\tsubl $256, %esp",
                "map:\tmovl mapped, %eax",
                "\tcmpl $" + mappings + ", %eax",
                "\tjae mapped_all",
                "\tshll $13, %eax",
                "\taddl $0x10000000, %eax",
                "\tmovl %eax, %ebx",
                "\tmovl $192, %eax",                      // mmap2(addr, 4096, RW, PRIVATE|ANONYMOUS|FIXED, -1, 0)
                "\tmovl $4096, %ecx",
                "\tmovl $3, %edx",
                "\tmovl $0x32, %esi",
                "\tmovl $-1, %edi",
                "\txorl %ebp, %ebp",
                "\tint $0x80",
                "\tcmpl $-4096, %eax",
                "\tja fail",
                "\tincl mapped",
                "\tjmp map",
                "mapped_all:",
                "\tmovl $42, %eax",                       // pipe(fds at 0(%esp))
                "\tmovl %esp, %ebx",
                "\tint $0x80",
                "\ttestl %eax, %eax",
                "\tjs fail",
                "\tmovl $0, 8(%esp)",                     // the signal set: empty
                "\tmovl $0, 12(%esp)",
                "\tleal 64(%esp), %edi",                  // 16 iovecs {buf + i, 1} at 64(%esp), buffer at 32(%esp)
                "\tleal 32(%esp), %eax",
                "\tmovl $16, %ecx",
                "iov:\tmovl %eax, (%edi)",
                "\tmovl $1, 4(%edi)",
                "\tincl %eax",
                "\taddl $8, %edi",
                "\tloop iov",
                "body:\tdecl left",
                "\tjs done",
                w.body,
                "\tjmp body",
                "done:\tmovl $1, %eax",
                "\txorl %ebx, %ebx",
                "\tint $0x80",
                "fail:\tmovl $1, %eax",
                "\tmovl $2, %ebx",
                "\tint $0x80",
                "");
        return Linker.link(List.of(new LinkInput("bench.o", Assembler.assemble("bench.S", src))), null, null).bytes();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

package dev.fixup.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-workload benchmark: each CPU-bound examples/c program runs under Fixup (in this JVM,
 * after warm-up runs) and under qemu-i386 (child processes) in the same session; prints guest
 * instructions, Fixup MIPS and the time ratio Fixup/qemu as a table.
 *
 * Usage: GuestBenchmark [--reps N] [--warmup N] [--build DIR] [--fixup-only] [PROGRAM[=ARG] ...]
 * e.g. GuestBenchmark --reps 3 crc32=200 vm. --fixup-only skips qemu (for profiling the JVM alone).
 * Not a unit test: run it by hand (fixup-bench/run.sh).
 */
public final class GuestBenchmark {
    /** Work parameters sized for a few seconds per Fixup run at the speed of the day. */
    static final Map<String, String> DEFAULT_WORK = new LinkedHashMap<>();
    static {
        DEFAULT_WORK.put("crc32", "40");
        DEFAULT_WORK.put("sort", "100000");
        DEFAULT_WORK.put("vm", "22");
        DEFAULT_WORK.put("arith64", "20000");
    }

    public static void main(String[] args) throws Exception {
        int reps = 5, warmup = 2;
        boolean fixupOnly = false;
        Path buildDir = null;
        Map<String, String> work = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--build" -> buildDir = Path.of(args[++i]);
                case "--fixup-only" -> fixupOnly = true;
                default -> {
                    String[] kv = args[i].split("=", 2);
                    if (!CPrograms.ALL.contains(kv[0])) {
                        System.err.println("unknown program " + kv[0] + " (known: " + CPrograms.ALL + ")");
                        System.exit(2);
                    }
                    work.put(kv[0], kv.length > 1 ? kv[1] : DEFAULT_WORK.getOrDefault(kv[0], ""));
                }
            }
        }
        if (work.isEmpty()) work.putAll(DEFAULT_WORK);
        for (String why : new String[] {CPrograms.whyGccUnusable(), CPrograms.whyQemuUnusable()}) {
            if (why != null) {
                System.err.println("guest benchmark: " + why);
                System.exit(1);
            }
        }
        if (buildDir == null) buildDir = Files.createTempDirectory("fixup-cbench");
        List<Path> built = CPrograms.build(buildDir.toAbsolutePath());
        Path trivial = built.get(CPrograms.ALL.indexOf("printf"));
        double qemuStart = median(times(trivial, List.of(), 5));
        System.out.printf("java %s, %d warm-up + %d timed runs each; qemu-i386 start-up + tiny program: %.1f ms%n",
                System.getProperty("java.vm.version"), warmup, reps, qemuStart * 1e3);
        System.out.printf("%-8s %-7s %12s %9s %9s %8s %9s %8s %7s  %s%n",
                "program", "arg", "guest insns", "fixup s", "(best)", "MIPS", "qemu s", "ratio", "r-start", "same");
        for (Map.Entry<String, String> e : work.entrySet()) {
            Path prog = built.get(CPrograms.ALL.indexOf(e.getKey()));
            List<String> argv = e.getValue().isEmpty() ? List.of() : List.of(e.getValue());
            for (int i = 0; i < warmup; i++) FixupRunner.run(prog, argv);
            List<GuestRun> fx = new ArrayList<>();
            for (int i = 0; i < reps; i++) fx.add(FixupRunner.run(prog, argv));
            List<GuestRun> qm = new ArrayList<>();
            for (int i = 0; i < (fixupOnly ? 1 : reps); i++) qm.add(QemuRunner.run(prog, argv, 600));
            double[] ft = fx.stream().mapToDouble(GuestRun::seconds).toArray();
            double[] qt = qm.stream().mapToDouble(GuestRun::seconds).toArray();
            double f = median(ft), q = median(qt);
            long insns = fx.get(0).instructions();
            boolean same = fx.stream().allMatch(r -> sameAs(r, qm.get(0))) && qm.stream().allMatch(r -> sameAs(r, qm.get(0)));
            System.out.printf("%-8s %-7s %12d %9.3f %9.3f %8.1f %9.3f %8.1f %7.1f  %s%n",
                    e.getKey(), e.getValue(), insns, f, Arrays.stream(ft).min().orElse(f), insns / f / 1e6, q,
                    f / q, f / Math.max(q - qemuStart, 1e-3), same ? "yes" : "NO");
            System.out.flush();
        }
        System.out.println("fixup s / qemu s: medians; MIPS = guest insns (user + kernel) / median fixup exec time;");
        System.out.println("ratio = fixup / qemu wall time; r-start = same with qemu's start-up time subtracted.");
    }

    /** Same stdout and exit status. */
    static boolean sameAs(GuestRun a, GuestRun b) {
        return a.status() == b.status() && Arrays.equals(a.stdout(), b.stdout());
    }

    static double[] times(Path prog, List<String> argv, int n) throws Exception {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = QemuRunner.run(prog, argv, 60).seconds();
        return t;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

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
 * Usage: GuestBenchmark [--reps N] [--warmup N] [--build DIR] [--fixup-only] [--translate N] [PROGRAM[=ARG] ...]
 * e.g. GuestBenchmark --reps 3 crc32=200 vm. --fixup-only skips qemu (for profiling the JVM alone);
 * --translate 0 measures the interpreter alone (the CPU's block translation threshold, default 64).
 * Not a unit test: run it by hand (fixup-bench/run.sh).
 */
public final class GuestBenchmark {
    /** Work sizes: about 200 million guest instructions each, so that qemu runs ~0.1-0.2 s (its CPU
     *  time is counted in 10 ms ticks) while a Fixup run stays at a few seconds. */
    static final Map<String, String> DEFAULT_WORK = new LinkedHashMap<>();
    static {
        DEFAULT_WORK.put("crc32", "130");
        DEFAULT_WORK.put("sort", "250000");
        DEFAULT_WORK.put("vm", "28");
        DEFAULT_WORK.put("arith64", "400000");
    }

    static final String USAGE = "usage: GuestBenchmark [--reps N] [--warmup N] [--build DIR] [--fixup-only] [--translate N] [PROGRAM[=ARG] ...]";

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            System.err.println("guest benchmark: " + (e.getMessage() == null ? "missing value" : e.getMessage()) + "\n" + USAGE);
            System.exit(2);
        }
    }

    static void run(String[] args) throws Exception {
        int reps = 3, warmup = 2;
        boolean fixupOnly = false;
        Path buildDir = null;
        Map<String, String> work = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = number(args, ++i);
                case "--warmup" -> warmup = number(args, ++i);
                case "--build" -> buildDir = Path.of(value(args, ++i));
                case "--fixup-only" -> fixupOnly = true;
                case "--translate" -> FixupRunner.translateThreshold = number(args, ++i);
                default -> {
                    String[] kv = args[i].split("=", 2);
                    if (!CPrograms.ALL.contains(kv[0]))
                        throw new IllegalArgumentException("unknown program " + kv[0] + " (known: " + CPrograms.ALL + ")");
                    work.put(kv[0], kv.length > 1 ? kv[1] : DEFAULT_WORK.getOrDefault(kv[0], ""));
                }
            }
        }
        if (reps < 1 || warmup < 0) throw new IllegalArgumentException("--reps must be >= 1 and --warmup >= 0");
        if (work.isEmpty()) work.putAll(DEFAULT_WORK);
        for (String why : new String[] {CPrograms.whyGccUnusable(), CPrograms.whyQemuUnusable()}) {
            if (why != null) {
                System.err.println("guest benchmark: " + why);
                System.exit(1);
            }
        }
        boolean ownDir = buildDir == null;
        if (ownDir) buildDir = Files.createTempDirectory("fixup-cbench");
        try {
            measure(CPrograms.build(buildDir.toAbsolutePath()), work, reps, warmup, fixupOnly);
        } finally {
            if (ownDir) CPrograms.deleteTree(buildDir);
        }
    }

    static void measure(List<Path> built, Map<String, String> work, int reps, int warmup, boolean fixupOnly)
            throws Exception {
        Path trivial = built.get(CPrograms.ALL.indexOf("printf"));
        List<GuestRun> start = new ArrayList<>();
        for (int i = 0; i < 5; i++) start.add(QemuRunner.run(trivial, List.of(), 60));
        System.out.printf("java %s, %d warm-up + %d timed runs each; qemu-i386 start-up (tiny program): %.1f ms wall, %.0f ms cpu%n",
                System.getProperty("java.vm.version"), warmup, reps, median(start, false) * 1e3, median(start, true) * 1e3);
        System.out.printf("%-8s %-7s %11s | %8s %8s %7s %7s | %8s %8s | %7s %7s | %s%n", "program", "arg", "guest insns",
                "fixup s", "cpu s", "MIPS", "MIPS/w", "qemu s", "cpu s", "ratio", "ratio/w", "same");
        for (Map.Entry<String, String> e : work.entrySet()) {
            Path prog = built.get(CPrograms.ALL.indexOf(e.getKey()));
            List<String> argv = e.getValue().isEmpty() ? List.of() : List.of(e.getValue());
            for (int i = 0; i < warmup; i++) FixupRunner.run(prog, argv);
            List<GuestRun> fx = new ArrayList<>();
            for (int i = 0; i < reps; i++) fx.add(FixupRunner.run(prog, argv));
            List<GuestRun> qm = new ArrayList<>();
            for (int i = 0; i < (fixupOnly ? 1 : reps); i++) qm.add(QemuRunner.run(prog, argv, 600));
            long insns = fx.get(0).instructions();
            double fw = median(fx, false), fc = median(fx, true), qw = median(qm, false), qc = median(qm, true);
            boolean same = fx.stream().allMatch(r -> sameAs(r, qm.get(0))) && qm.stream().allMatch(r -> sameAs(r, qm.get(0)));
            System.out.printf("%-8s %-7s %11d | %8.3f %8.3f %7.1f %7.1f | %8.3f %8.3f | %s %s | %s%n",
                    e.getKey(), e.getValue(), insns, fw, fc, insns / fc / 1e6, insns / fw / 1e6, qw, qc,
                    ratio(fc, qc), ratio(fw, qw), same ? "yes" : "NO");
            System.out.flush();
        }
        System.out.println("Medians. guest insns: user + kernel, from the CPU's counter. MIPS = insns / fixup thread CPU time,");
        System.out.println("MIPS/w = insns / fixup wall time; ratio = fixup CPU / qemu CPU time (user+sys, 10 ms ticks, start-up");
        System.out.println("included), ratio/w = same with wall times. Fixup times cover exec only (not kernel boot).");
    }

    static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("missing value after " + args[i - 1]);
        return args[i];
    }

    static int number(String[] args, int i) {
        try {
            return Integer.parseInt(value(args, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number after " + args[i - 1] + ": " + args[i]);
        }
    }

    /** a / b, or "n/a" when b is zero (qemu CPU time under one 10 ms tick). */
    static String ratio(double a, double b) {
        return b > 0 ? String.format("%7.1f", a / b) : "    n/a";
    }

    /** Same stdout and exit status. */
    static boolean sameAs(GuestRun a, GuestRun b) {
        return a.status() == b.status() && Arrays.equals(a.stdout(), b.stdout());
    }

    /** Median wall or CPU seconds of some runs. */
    static double median(List<GuestRun> runs, boolean cpu) {
        double[] s = runs.stream().mapToDouble(r -> cpu ? r.cpuSeconds() : r.seconds()).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

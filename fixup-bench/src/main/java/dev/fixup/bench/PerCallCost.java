package dev.fixup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of one system call in a warm JVM against qemu-i386 on the same program, measured in the
 * same minutes: for each loop ({@code syscalls getpid|pipe|zero N}, built by {@code fixup-bench/run.sh}
 * into fixup-bench/target/bench), the best CPU time of 3 big runs minus the best of 3 small ones,
 * over the difference in calls. Fixup's CPU is the exec thread's (no JVM start, no kernel boot);
 * qemu-i386's is user + system from /usr/bin/time, with 4 times the calls so that its 10 ms
 * resolution matters less.
 *
 * <p>Usage: {@code java -cp fixup-cli/target/fixup.jar:fixup-bench/target/classes
 * dev.fixup.bench.PerCallCost [getpid,pipe,zero] [ROUNDS]}.
 */
public final class PerCallCost {
    private static final Map<String, long[]> SIZES = Map.of(
            "getpid", new long[] {20_000, 400_000}, "pipe", new long[] {5_000, 100_000}, "zero", new long[] {500, 10_000});

    private PerCallCost() {}

    public static void main(String[] args) throws Exception {
        String[] modes = args.length > 0 ? args[0].split(",") : new String[] {"getpid", "pipe", "zero"};
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path program = Path.of("fixup-bench/target/bench/syscalls");
        if (!Files.isRegularFile(program)) {
            System.err.println("PerCallCost: no " + program + " (run fixup-bench/run.sh --quick once to build it)");
            System.exit(2);
        }
        for (String m : modes) {
            if (!SIZES.containsKey(m)) {
                System.err.println("PerCallCost: unknown loop '" + m + "' (getpid, pipe or zero)");
                System.exit(2);
            }
            for (int i = 0; i < 2; i++) fixupCpu(program, m, SIZES.get(m)[1]); // warm-up
        }
        for (int round = 0; round < rounds; round++) {
            for (String m : modes) {
                long small = SIZES.get(m)[0], big = SIZES.get(m)[1];
                double fs = Double.MAX_VALUE, fb = Double.MAX_VALUE, qs = Double.MAX_VALUE, qb = Double.MAX_VALUE;
                for (int i = 0; i < 3; i++) {
                    fs = Math.min(fs, fixupCpu(program, m, small));
                    qs = Math.min(qs, qemuCpu(program, m, 4 * small));
                    fb = Math.min(fb, fixupCpu(program, m, big));
                    qb = Math.min(qb, qemuCpu(program, m, 4 * big));
                }
                double f = (fb - fs) / (big - small) * 1e6, q = (qb - qs) / (4 * (big - small)) * 1e6;
                System.out.printf(Locale.ROOT, "round %d %-7s fixup %.3f us  qemu-i386 %.3f us  ratio %.2f%n", round, m, f, q, f / q);
            }
        }
    }

    private static double fixupCpu(Path program, String mode, long n) throws IOException {
        GuestRun r = FixupRunner.run(program, List.of(mode, Long.toString(n)));
        if (r.status() != 0) throw new IllegalStateException("syscalls " + mode + " exited with " + r.status() + ": " + r.stderr());
        return r.cpuSeconds();
    }

    private static double qemuCpu(Path program, String mode, long n) throws IOException, InterruptedException {
        Path times = Files.createTempFile("percall", ".txt");
        try {
            Process p = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", times.toString(),
                    "qemu-i386", program.toString(), mode, Long.toString(n))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (p.waitFor() != 0) throw new IllegalStateException("qemu-i386 syscalls " + mode + " failed");
            String[] f = Files.readString(times).trim().split("\\s+");
            return Double.parseDouble(f[0]) + Double.parseDouble(f[1]);
        } finally {
            Files.deleteIfExists(times);
        }
    }
}

package dev.fixup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: every workload under native execution, qemu-i386 and Fixup (a fresh JVM through
 * the launcher, so start-up is in the figure, as a user feels it), the three alternating run by
 * run, then a markdown table of medians with Fixup's ratios to its peers. Guest rows also run in
 * this JVM (exec time only, after a warm-up), which shows the engine without JVM start-up.
 * Run it with fixup-bench/run.sh.
 */
@Command(name = "fixup-bench", mixinStandardHelpOptions = true,
        description = "Run the workloads under native, qemu-i386 and Fixup and print a markdown table of medians and ratios.")
public final class GuestBenchmark implements Callable<Integer> {
    @Option(names = "--quick", description = "Less work per row and one run each (finishes in about two minutes).") boolean quick;
    @Option(names = "--reps", paramLabel = "N", description = "Timed runs per runner and row (default 5; 1 with --quick).") Integer reps;
    @Option(names = "--only", paramLabel = "REGEX", description = "Only rows whose name matches (e.g. 'fault|getpid').") String only;
    @Option(names = "--list", description = "List the rows with their commands and exit.") boolean list;
    @Option(names = "--no-in-jvm", negatable = true, description = "Also run guest rows inside this JVM (default: yes).") boolean inJvm = true;
    @Option(names = "--translate", paramLabel = "N", description = "Fixup's block translation threshold (fixup run --translate N), for both Fixup columns.") Integer translate;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Kill a run after this long (default 300).") int timeout = 300;
    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table to FILE.") Path markdown;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GuestBenchmark()).execute(args));
    }

    @Override public Integer call() throws Exception {
        int n = reps != null ? reps : quick ? 1 : 5;
        if (n < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--reps must be at least 1");
        String gcc = CPrograms.whyGccUnusable();
        if (gcc != null) {
            System.err.println("fixup-bench: " + gcc);
            return 1;
        }
        List<String> notes = new ArrayList<>();
        String qemu = CPrograms.whyQemuUnusable();
        if (qemu != null) notes.add("qemu-i386 column empty: " + qemu);
        Path root = CPrograms.repositoryRoot();
        Path launcher = root.resolve("fixup");
        Path dir = root.resolve("fixup-bench/target/bench");
        System.err.println("fixup-bench: building the workloads in " + dir);
        BenchInputs inputs = BenchInputs.build(dir);
        List<String> runOptions = translate == null ? List.of() : List.of("--translate", "" + translate);
        if (translate != null) FixupRunner.translateThreshold = translate;
        List<Workload> rows = new ArrayList<>(Workloads.all(inputs, quick, launcher, runOptions, notes::add));
        if (only != null) {
            Pattern p = Pattern.compile(only);
            rows.removeIf(w -> !p.matcher(w.name()).find());
        }
        if (list) {
            for (Workload w : rows) {
                System.out.println(w.name());
                for (Runner r : Runner.values()) {
                    if (w.command(r) != null) System.out.println("    " + r.title + ": " + String.join(" ", w.command(r))
                            + (w.stdin() != null ? " < " + w.stdin() : ""));
                }
            }
            return 0;
        }
        Path scratch = Files.createTempDirectory("fixup-bench");
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        // One untimed run of each runner first: the launcher's staleness check, the jar, qemu and the page cache warm up.
        warmUp(rows, scratch, qemu == null);
        List<RowResult> results = new ArrayList<>();
        for (Workload w : rows) {
            RowResult r = new RowResult(w);
            for (int i = 0; i < n; i++) {
                for (Runner runner : Runner.values()) {
                    if (w.command(runner) == null || (runner == Runner.QEMU && qemu != null)) continue;
                    r.runs.get(runner).add(ProcessMeasure.run(w.command(runner), w.stdin(), scratch, timeout));
                }
            }
            if (inJvm && w.inJvm() != null) runInJvm(r, quick ? 1 : n);
            results.add(r);
            System.err.print("fixup-bench: " + BenchTable.row(r));
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        CPrograms.deleteTree(scratch);
        String out = report(results, notes, n, loadBefore, minutes);
        System.out.print(out);
        if (markdown != null) Files.writeString(markdown, out);
        return 0;
    }

    private void warmUp(List<Workload> rows, Path scratch, boolean haveQemu) throws IOException {
        for (Workload w : rows) {
            if (w.command(Runner.QEMU) == null) continue;
            for (Runner r : Runner.values()) {
                if (r == Runner.QEMU && !haveQemu) continue;
                ProcessMeasure.run(w.command(r), w.stdin(), scratch, timeout);
            }
            return;
        }
    }

    /** The row's program inside this JVM: one warm-up run, then {@code n} timed ones. */
    private static void runInJvm(RowResult r, int n) {
        Workload.InJvm j = r.workload.inJvm();
        try {
            FixupRunner.run(j.program(), j.args(), r.workload.stdin(), j.ramMegabytes());
            for (int i = 0; i < n; i++) r.inJvm.add(FixupRunner.run(j.program(), j.args(), r.workload.stdin(), j.ramMegabytes()));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            r.inJvm.clear();
            r.inJvmFailure = e.toString();
        }
    }

    private String report(List<RowResult> rows, List<String> notes, int n, String loadBefore, double minutes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fixup-bench%s, %s; %d timed run(s) per runner and row, median shown; %.1f min; "
                        + "%d cores, load average %s before, %s after; %s%n%n",
                quick ? " --quick" : "", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), n, minutes,
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), "java " + System.getProperty("java.version")));
        sb.append(BenchTable.table(rows));
        sb.append("\nWall: whole process, fork to exit (Fixup: the `fixup` launcher starting a fresh JVM). CPU: user + system of the "
                + "Fixup process (all its threads). RSS: its peak resident set. In-JVM: the same guest program run again inside the "
                + "benchmark's JVM after a warm-up, exec to exit only (no JVM start, no kernel boot). Check: the program's stdout and "
                + "exit status equal the native run's (tools: exit status 0).\n");
        for (RowResult r : rows) if (r.inJvmFailure != null) notes.add(r.workload.name() + ": in-JVM run failed: " + r.inJvmFailure);
        for (String note : notes) sb.append("\n- ").append(note);
        if (!notes.isEmpty()) sb.append('\n');
        return sb.toString();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}

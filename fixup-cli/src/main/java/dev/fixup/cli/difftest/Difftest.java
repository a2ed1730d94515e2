package dev.fixup.cli.difftest;

import dev.fixup.asm.AsmException;
import dev.fixup.link.LinkException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differential tester: generates cases, runs them in batches under Fixup and qemu-i386, compares the
 * dumps, and bisects each differing case down to the unit that causes the difference.
 */
public final class Difftest {
    /** Instructions a batch may run on Fixup before it is killed (guards against a CPU looping forever). */
    private static final long MAX_INSTRUCTIONS = 20_000_000L;

    /** Run parameters. caseSeed, when set, runs that single case (a reproducer) instead of seed/count. */
    /** {@code translate}: the CPU's block translation threshold (1: translated code, 0: the interpreter). */
    public record Options(long seed, int from, int count, int length, int batch, Path keep, Long caseSeed, int translate) {}

    /** What a run found. */
    public static final class Report {
        public int cases;
        public final Map<String, Integer> unitsRun = new TreeMap<>();
        public final Map<String, Integer> differencesByInstruction = new TreeMap<>();
        public final List<Difference> differences = new ArrayList<>();
        public final List<String> notes = new ArrayList<>();

        /** Units run per name, for coverage. */
        public String coverage() {
            StringBuilder b = new StringBuilder("units run by instruction:\n");
            unitsRun.forEach((k, v) -> b.append(String.format("  %-24s %d%n", k, v)));
            return b.toString();
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            int units = unitsRun.values().stream().mapToInt(Integer::intValue).sum();
            b.append(String.format("difftest: %d sequences (%d units), %d differences%n", cases, units, differences.size()));
            differencesByInstruction.forEach((k, v) -> b.append(String.format("  %-20s %d difference(s) in %d unit(s) run%n",
                    k, v, unitsRun.getOrDefault(k, 0))));
            for (String n : notes) b.append("  note: ").append(n).append('\n');
            return b.toString();
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Report report = new Report();
    private int batchNumber;

    public Difftest(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The seed of case {@code index} of a run with {@code seed} (splitmix64: neighbouring seeds differ fully). */
    public static long caseSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Report run() throws IOException, InterruptedException {
        if (options.caseSeed() != null) {
            runCases(List.of(SequenceGenerator.generate(options.caseSeed(), options.length())));
        } else {
            int end = options.from() + options.count();
            for (int start = options.from(); start < end; start += options.batch()) {
                List<TestCase> cases = new ArrayList<>();
                for (int i = start; i < Math.min(end, start + options.batch()); i++)
                    cases.add(SequenceGenerator.generate(caseSeed(options.seed(), i), options.length()));
                runCases(cases);
            }
        }
        SequenceGenerator.rejectedForms().forEach((form, why) ->
                report.notes.add("the encoder rejects " + form + ": " + why + " (not generated)"));
        return report;
    }

    /** Outputs of one program on both machines. */
    private record Batch(CaseProgram program, RunResult fixup, RunResult qemu) {}

    private Batch execute(List<TestCase> cases) throws IOException, InterruptedException, AsmException, LinkException {
        CaseProgram program = new CaseProgram(cases);
        byte[] elf;
        try {
            elf = program.build();
        } finally {
            keep(program, null);
        }
        keep(program, elf);
        QemuRunner qemu = QemuRunner.start(elf);
        RunResult f = FixupRunner.run(elf, MAX_INSTRUCTIONS, options.translate());
        return new Batch(program, f, qemu.finish());
    }

    private void keep(CaseProgram program, byte[] elf) throws IOException {
        if (options.keep() == null) return;
        Files.createDirectories(options.keep());
        String name = String.format("difftest-%d", batchNumber);
        if (elf == null) Files.writeString(options.keep().resolve(name + ".S"), program.source());
        else {
            Files.write(options.keep().resolve(name), elf);
            options.keep().resolve(name).toFile().setExecutable(true);
            batchNumber++;
        }
    }

    /** Runs given cases (instead of generated ones) and returns the report. */
    public Report check(List<TestCase> cases) throws IOException, InterruptedException {
        runCases(cases);
        return report;
    }

    private void runCases(List<TestCase> cases) throws IOException, InterruptedException {
        List<TestCase> pending = cases;
        while (!pending.isEmpty()) {
            Batch b;
            try {
                b = execute(pending);
            } catch (AsmException | LinkException e) {
                pending = dropUnbuildable(pending);
                continue;
            }
            int nf = StateDump.records(b.fixup.stdout()), nq = StateDump.records(b.qemu.stdout());
            int n = Math.min(Math.min(nf, nq), pending.size());
            for (int i = 0; i < n; i++) {
                TestCase c = pending.get(i);
                count(c);
                List<String> d = Difference.compare(StateDump.parse(b.fixup.stdout(), i), StateDump.parse(b.qemu.stdout(), i),
                        c.undefinedAtEnd(), c.memory());
                if (!d.isEmpty()) found(c);
            }
            if (n >= pending.size()) break;
            TestCase stopped = pending.get(n);
            count(stopped);
            if (nf == nq && b.fixup.status() == b.qemu.status()) {
                report.notes.add(String.format("case 0x%x: both machines stopped with status %d (a generator bug: the case faults)",
                        stopped.seed(), b.qemu.status()));
            } else {
                found(stopped);
            }
            pending = pending.subList(n + 1, pending.size());
        }
    }

    private void count(TestCase c) {
        report.cases++;
        for (Unit u : c.units()) report.unitsRun.merge(u.name(), 1, Integer::sum);
    }

    /** Cases our assembler or linker cannot build are reported and skipped. */
    private List<TestCase> dropUnbuildable(List<TestCase> cases) {
        List<TestCase> ok = new ArrayList<>();
        for (TestCase c : cases) {
            try {
                new CaseProgram(List.of(c)).build();
                ok.add(c);
            } catch (AsmException e) {
                report.notes.add(String.format("case 0x%x: our assembler rejects it: %s", c.seed(), String.join("; ", e.diagnostics())));
            } catch (LinkException e) {
                report.notes.add(String.format("case 0x%x: our linker rejects it: %s", c.seed(), e.getMessage()));
            }
        }
        return ok.size() == cases.size() ? List.of() : ok;   // all fine alone: give up on the batch rather than loop
    }

    /** Bisects a differing case: runs every prefix in one program and finds the first that differs. */
    private void found(TestCase c) throws IOException, InterruptedException {
        StateDump prevQemu = null;
        Batch b = null;
        for (int from = 1; from <= c.units().size(); from += CaseProgram.MAX_CASES) {
            List<TestCase> prefixes = new ArrayList<>();
            for (int k = from; k <= Math.min(c.units().size(), from + CaseProgram.MAX_CASES - 1); k++) prefixes.add(c.prefix(k));
            try {
                b = execute(prefixes);
            } catch (AsmException | LinkException e) {
                record(new Difference(c, -1, List.of("bisection failed to build: " + e.getMessage()), null, null, null, null, null));
                return;
            }
            if (bisect(c, from - 1, prefixes, b, prevQemu)) return;
            prevQemu = StateDump.parse(b.qemu.stdout(), prefixes.size() - 1);
        }
        record(new Difference(c, -1, List.of("the difference did not reproduce in the bisection (fixup status "
                + b.fixup.status() + ", qemu " + b.qemu.status() + ")"), null, null, null, b.fixup, b.qemu));
    }

    /** Looks for the first differing prefix in one program of prefixes; true (and recorded) if found. */
    private boolean bisect(TestCase c, int first, List<TestCase> prefixes, Batch b, StateDump prevQemu) {
        for (int i = 0; i < prefixes.size(); i++) {
            int k = first + i;
            StateDump f = StateDump.parse(b.fixup.stdout(), i), q = StateDump.parse(b.qemu.stdout(), i);
            TestCase p = prefixes.get(i);
            if (f == null || q == null) {
                if (f == null && q == null) return false;
                record(new Difference(c, k, List.of("the program stops here on " + (f == null ? "fixup" : "qemu") + " only"),
                        prevQemu, f, q, b.fixup, b.qemu));
                return true;
            }
            List<String> d = Difference.compare(f, q, p.undefinedAtEnd(), c.memory());
            if (!d.isEmpty()) {
                record(new Difference(c, k, d, prevQemu, f, q, b.fixup, b.qemu));
                return true;
            }
            prevQemu = q;
        }
        return false;
    }

    private void record(Difference d) {
        report.differences.add(d);
        report.differencesByInstruction.merge(d.culpritName(), 1, Integer::sum);
        out.println(d.describe());
        out.flush();
    }
}

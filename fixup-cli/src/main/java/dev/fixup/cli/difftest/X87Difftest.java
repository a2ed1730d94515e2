package dev.fixup.cli.difftest;

import dev.fixup.asm.AsmException;
import dev.fixup.link.LinkException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code fixup difftest --x87}: random x87 sequences run natively on the host CPU (which executes i386 code:
 * the oracle, since qemu's x87 is not exact) and under Fixup; the FNSAVE images (control, status and tag
 * words, ST0-ST7), each step's status word, EFLAGS, %eax and the memory block must be equal bit for bit,
 * except the instruction pointer fields of the environment (which hosts fill in differently) and, after a
 * transcendental instruction, one ulp of ST0/ST1 and the C1 that goes with it.
 */
public final class X87Difftest {
    private static final long MAX_INSTRUCTIONS = 50_000_000L;

    public record Options(long seed, int from, int count, int batch, Path keep, Long caseSeed, int translate) {}

    public static final class Report {
        public int cases;
        public int ulpDifferences;
        /** fyl2xp1 of |x| >= 1 - sqrt(2)/2, where the result is undefined: not compared. */
        public int outOfDomain;
        /** fsin/fcos/fsincos/fptan of |x| > pi/4 beyond one ulp of the host: the host reduces by a 66-bit pi. */
        public final List<String> reductionDifferences = new ArrayList<>();
        public final Map<String, Integer> opsRun = new TreeMap<>();
        public final List<String> differences = new ArrayList<>();
        public final Map<String, Integer> byLastInsn = new TreeMap<>();

        public String summary() {
            StringBuilder b = new StringBuilder();
            int ops = opsRun.values().stream().mapToInt(Integer::intValue).sum();
            b.append(String.format("difftest --x87: %d sequences (%d instructions), %d differences, "
                    + "%d transcendental results one ulp from the host, %d trigonometric results of |x| > pi/4 further "
                    + "from the host (its 66-bit pi; ours reduces exactly)%n", cases, ops, differences.size(), ulpDifferences,
                    reductionDifferences.size()));
            if (outOfDomain > 0) b.append(String.format("  %d fyl2xp1 of |x| >= 1 - sqrt(2)/2 not compared (undefined there)%n", outOfDomain));
            byLastInsn.forEach((k, v) -> b.append(String.format("  %-12s %d difference(s)%n", k, v)));
            return b.toString();
        }

        public String coverage() {
            StringBuilder b = new StringBuilder("x87 instructions run:\n");
            opsRun.forEach((k, v) -> b.append(String.format("  %-10s %d%n", k, v)));
            return b.toString();
        }
    }

    private final Options options;
    private final PrintStream out;
    private final Report report = new Report();

    public X87Difftest(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static boolean nativeAvailable() {
        return new File("/proc/sys/fs/binfmt_misc").exists() || System.getProperty("os.arch").matches("amd64|x86_64|i386|x86");
    }

    public Report run() throws IOException, InterruptedException, AsmException, LinkException {
        if (options.caseSeed() != null) {
            runBatch(List.of(X87Case.generate(options.caseSeed())), 0);
            return report;
        }
        int end = options.from() + options.count();
        for (int start = options.from(); start < end; start += options.batch()) {
            List<X87Case> cases = new ArrayList<>();
            for (int i = start; i < Math.min(end, start + options.batch()); i++)
                cases.add(X87Case.generate(Difftest.caseSeed(options.seed(), i)));
            runBatch(cases, start);
        }
        return report;
    }

    /** Runs the given cases (batches of the options' size) instead of the seed's series. */
    public Report run(List<X87Case> cases) throws IOException, InterruptedException, AsmException, LinkException {
        for (int start = 0; start < cases.size(); start += options.batch())
            runBatch(cases.subList(start, Math.min(cases.size(), start + options.batch())), start);
        return report;
    }

    private void runBatch(List<X87Case> cases, int first) throws IOException, InterruptedException, AsmException, LinkException {
        X87Program program = new X87Program(cases);
        byte[] elf = program.build();
        if (options.keep() != null) {
            Files.createDirectories(options.keep());
            Files.writeString(options.keep().resolve("x87-" + first + ".S"), program.source());
            Path exe = options.keep().resolve("x87-" + first);
            Files.write(exe, elf);
            exe.toFile().setExecutable(true);
        }
        RunResult host = runNative(elf);
        RunResult fixup = FixupRunner.run(elf, MAX_INSTRUCTIONS, options.translate());
        int n = cases.size();
        for (int i = 0; i < n; i++) {
            X87Case c = cases.get(i);
            report.cases++;
            for (String insn : c.insns()) report.opsRun.merge(insn.split(" ")[0], 1, Integer::sum);
            byte[] h = record(host.stdout(), i), f = record(fixup.stdout(), i);
            String d;
            if (h == null || f == null) {
                d = h == null && f == null ? null : "the program stopped before this case on " + (h == null ? "the host" : "fixup")
                        + " (host status " + host.status() + ", fixup status " + fixup.status() + ")"
                        + (f == null && !fixup.log().isEmpty() ? "\n    fixup log: " + fixup.log().lines().limit(5).toList() : "");
                if (d == null) {
                    d = "neither machine ran this case (host status " + host.status() + ", fixup " + fixup.status() + ")";
                }
            } else {
                d = compare(c, h, f);
                if (d != null && d.isEmpty()) { report.ulpDifferences++; d = null; }
                if (OUT_OF_DOMAIN.equals(d)) { report.outOfDomain++; d = null; }
                if (d != null && d.startsWith(REDUCTION)) { report.reductionDifferences.add(String.format("case 0x%x: %s", c.seed(), d)); d = null; }
            }
            if (d != null) {
                report.differences.add(d);
                String last = c.insns().get(c.insns().size() - 1).split(" ")[0];
                report.byLastInsn.merge(last, 1, Integer::sum);
                out.print(describe(c, d));
                if (h != null && f != null) out.print(bisect(c));
                out.println();
                out.flush();
                if (h == null || f == null) { report.cases += n - 1 - i; return; }
            }
        }
    }

    private static byte[] record(byte[] out, int i) {
        int at = i * X87Program.RECORD_SIZE;
        return out.length < at + X87Program.RECORD_SIZE ? null : java.util.Arrays.copyOfRange(out, at, at + X87Program.RECORD_SIZE);
    }

    static RunResult runNative(byte[] elf) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("x87difftest");
        Path exe = dir.resolve("case");
        try {
            Files.write(exe, elf);
            exe.toFile().setExecutable(true);
            Process p = new ProcessBuilder(exe.toString()).directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout").toFile()).redirectErrorStream(false)
                    .redirectError(dir.resolve("stderr").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) { p.destroyForcibly().waitFor(); return new RunResult(-2, new byte[0], "timeout"); }
            return new RunResult(p.exitValue(), Files.readAllBytes(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static int u16(byte[] b, int o) { return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8; }

    private static long u64(byte[] b, int o) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (b[o + k] & 0xFF);
        return v;
    }

    static final String REDUCTION = "reduction: ";
    static final String OUT_OF_DOMAIN = "outside the domain";

    /** Null when host and Fixup agree within the rules of the class comment, else the first difference. */
    static String compare(X87Case c, byte[] h, byte[] f) {
        byte[] hm = h.clone(), fm = f.clone();
        for (int k = 12; k < 28; k++) { hm[k] = 0; fm[k] = 0; }   // FIP, FCS, FOP, FDP, FDS
        for (int k = 12; k < 28; k++) { hm[X87Program.MEM_OFFSET + 224 + k] = 0; fm[X87Program.MEM_OFFSET + 224 + k] = 0; }
        for (int k = 12; k < 28; k++) { hm[X87Program.BEFORE_LAST_OFFSET + k] = 0; fm[X87Program.BEFORE_LAST_OFFSET + k] = 0; }
        if (java.util.Arrays.equals(hm, fm)) return null;
        boolean ulpOk = false;
        if (c.transcendental()) {
            int lastStep = X87Program.STEPS_OFFSET + 2 * (c.insns().size() - 1);
            boolean regsClose = true, regsSame = true;
            for (int r = 0; r < 2; r++) {
                int o = 28 + 10 * r;
                long hs = u64(hm, o), fs = u64(fm, o);
                int he = u16(hm, o + 8), fe = u16(fm, o + 8);
                if (hs != fs || he != fe) regsSame = false;
                if (!withinUlp(he, hs, fe, fs)) regsClose = false;
            }
            // C1 says which way the result was rounded: the host's approximation may go the other way
            hm[5] &= ~0x02; fm[5] &= ~0x02;
            hm[lastStep + 1] &= ~0x02; fm[lastStep + 1] &= ~0x02;
            String last = c.insns().get(c.insns().size() - 1);
            int x = X87Program.BEFORE_LAST_OFFSET;
            int top = (u16(h, x + 4) >> 11) & 7;
            boolean st0Empty = ((u16(h, x + 8) >> (2 * top)) & 3) == 3;
            int xe = u16(h, x + 36) & 0x7FFF;
            long xs = u64(h, x + 28);
            double xv = Math.scalb((double) (xs >>> 11), xe - 16383 - 52);
            if (last.equals("fyl2xp1") && !st0Empty && (xe == 0x7FFF || Math.abs(xv) >= 1 - Math.sqrt(0.5))) {
                return OUT_OF_DOMAIN;   // Intel defines fyl2xp1 for |x| < 1 - sqrt(2)/2 only
            }
            boolean reduced = !st0Empty && last.matches("fsin|fcos|fsincos|fptan")
                    && (xe > 0x3FFE || (xe == 0x3FFE && Long.compareUnsigned(xs, 0xC90FDAA22168C234L) > 0));
            if (!regsSame && (regsClose || reduced)) {
                ulpOk = true;
                String note = String.format("%s of %04x:%016x: host ST0 %04x:%016x, fixup %04x:%016x", last, u16(h, x + 36), xs,
                        u16(h, 36), u64(h, 28), u16(f, 36), u64(f, 28));
                for (int r = 0; r < 2; r++) for (int k = 0; k < 10; k++) { hm[28 + 10 * r + k] = 0; fm[28 + 10 * r + k] = 0; }
                if (!regsClose && java.util.Arrays.equals(hm, fm)) return REDUCTION + note;
            }
        }
        if (java.util.Arrays.equals(hm, fm)) return ulpOk ? "" : null;
        for (int k = 0; k < X87Case.MAX_STEPS; k++) {
            int o = X87Program.STEPS_OFFSET + 2 * k;
            if (u16(hm, o) != u16(fm, o))
                return String.format("status word after instruction %d (%s): host %04x, fixup %04x", k + 1,
                        k < c.insns().size() ? c.insns().get(k) : "?", u16(h, o), u16(f, o));
        }
        String[] names = {"control word", "status word", "tag word"};
        for (int k = 0; k < 3; k++) {
            if (u16(hm, 4 * k) != u16(fm, 4 * k) || u16(hm, 4 * k + 2) != u16(fm, 4 * k + 2))
                return String.format("%s: host %08x, fixup %08x", names[k], le32(h, 4 * k), le32(f, 4 * k));
        }
        for (int r = 0; r < 8; r++) {
            int o = 28 + 10 * r;
            if (u64(hm, o) != u64(fm, o) || u16(hm, o + 8) != u16(fm, o + 8))
                return String.format("ST%d: host %04x:%016x, fixup %04x:%016x", r, u16(h, o + 8), u64(h, o), u16(f, o + 8), u64(f, o));
        }
        if (le32(hm, 108) != le32(fm, 108)) return String.format("%%eax: host %08x, fixup %08x", le32(h, 108), le32(f, 108));
        if ((le32(hm, 112) & 0x8D5) != (le32(fm, 112) & 0x8D5))
            return String.format("eflags: host %08x, fixup %08x", le32(h, 112), le32(f, 112));
        for (int k = X87Program.MEM_OFFSET; k < X87Program.RECORD_SIZE; k++) {
            if (hm[k] != fm[k]) {
                int off = (k - X87Program.MEM_OFFSET) & ~15;
                return String.format("memory at +%d: host %s, fixup %s", off, hex(h, X87Program.MEM_OFFSET + off), hex(f, X87Program.MEM_OFFSET + off));
            }
        }
        return ulpOk ? "" : null;
    }

    /** Same sign and exponent field, significands at most one apart (or one step across a binade). */
    private static boolean withinUlp(int he, long hs, int fe, long fs) {
        if (he == fe) return Math.abs(hs - fs) <= 1;
        if ((he & 0x8000) != (fe & 0x8000) || Math.abs((he & 0x7FFF) - (fe & 0x7FFF)) != 1) return false;
        boolean hLow = (he & 0x7FFF) < (fe & 0x7FFF);
        long lowSig = hLow ? hs : fs, highSig = hLow ? fs : hs;
        return lowSig == -1L && highSig == Long.MIN_VALUE;
    }

    private static int le32(byte[] b, int o) { return u16(b, o) | u16(b, o + 2) << 16; }

    private static String hex(byte[] b, int o) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 16; k++) s.append(String.format("%02x", b[o + k]));
        return s.toString();
    }

    private String describe(X87Case c, String d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("DIFFERENCE case 0x%x (rerun: fixup difftest --x87 --case 0x%x)%n", c.seed(), c.seed()));
        b.append("  ").append(d).append('\n');
        b.append(String.format("  start: cw=%04x sw=%04x tw=%04x eflags=%08x%n", u16(c.image(), 0), u16(c.image(), 4), u16(c.image(), 8), c.eflags()));
        for (int r = 0; r < 8; r++) {
            int o = 28 + 10 * r;
            b.append(String.format("    ST%d %04x:%016x%n", r, u16(c.image(), o + 8), u64(c.image(), o)));
        }
        for (String i : c.insns()) b.append("    ").append(i).append('\n');
        return b.toString();
    }

    public Report report() { return report; }

    /** Runs every prefix of a differing case and shows the first one that differs, with both machines' registers. */
    private String bisect(X87Case c) {
        try {
            List<X87Case> prefixes = new ArrayList<>();
            for (int k = 1; k <= c.insns().size(); k++) prefixes.add(c.prefix(k));
            byte[] elf = new X87Program(prefixes).build();
            RunResult host = runNative(elf), fixup = FixupRunner.run(elf, MAX_INSTRUCTIONS, options.translate());
            for (int k = 0; k < prefixes.size(); k++) {
                byte[] h = record(host.stdout(), k), f = record(fixup.stdout(), k);
                if (h == null || f == null) return "  bisection: prefix " + (k + 1) + " did not run on both\n";
                String d = compare(prefixes.get(k), h, f);
                if (d == null || d.isEmpty()) continue;
                StringBuilder b = new StringBuilder("  first differs after instruction " + (k + 1) + " (" + c.insns().get(k) + "): " + d + "\n");
                b.append(String.format("    %-28s %-28s%n", "host", "fixup"));
                b.append(String.format("    sw=%04x tw=%04x             sw=%04x tw=%04x%n", u16(h, 4), u16(h, 8), u16(f, 4), u16(f, 8)));
                for (int r = 0; r < 8; r++) {
                    int o = 28 + 10 * r;
                    b.append(String.format("    ST%d %04x:%016x    %04x:%016x%n", r, u16(h, o + 8), u64(h, o), u16(f, o + 8), u64(f, o)));
                }
                return b.toString();
            }
            return "  bisection: no prefix differs on its own\n";
        } catch (Exception e) {
            return "  bisection failed: " + e + "\n";
        }
    }
}

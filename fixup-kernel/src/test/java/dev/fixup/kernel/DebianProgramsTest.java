package dev.fixup.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Debian's i386 static programs (busybox, bash, zsh, sash, the mksh builds on klibc, dietlibc and
 * musl, gpgv, e2fsck) run their ordinary jobs side by side natively and on an in-process Fixup
 * kernel: each workload of debian/workloads.tsv runs in a fresh copy of the fixture directory
 * (debian/fixture.sh, same path both times), with the same argv and environment, and its stdout,
 * stderr and exit status must be the same. The table of all rows (with times, and the system
 * calls Fixup answered -ENOSYS, from a syscall trace) goes to
 * target/debian-programs.txt and to stdout. The packages come from scripts/fetch-debs.sh
 * ($FIXUP_DEBS, default /var/cache/fixup-debs); without them, or on a host that cannot run i386
 * programs, the rows are skipped with a message. {@code -Dfixup.debian=ID,ID} runs only those rows.
 */
class DebianProgramsTest {
    private static final Path CACHE = Path.of(System.getenv().getOrDefault("FIXUP_DEBS", "/var/cache/fixup-debs")).resolve("x");
    private static final Map<String, Path> PROGRAMS = new LinkedHashMap<>();
    private static final List<String[]> WORKLOADS = new ArrayList<>();
    private static final List<String> TABLE = new ArrayList<>();
    private static Path base, fixture;

    /** One run: exit status, stdout, stderr, wall time. */
    record Outcome(int status, String stdout, String stderr, long millis, long cpuMillis, String enosys) {
        String summary() { return "exit " + status + ", " + stdout.lines().count() + " lines"; }
    }

    @BeforeAll
    static void load() throws IOException {
        for (String line : resource("workloads.tsv").split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f[0].startsWith("@")) PROGRAMS.put(f[0].substring(1), CACHE.resolve(f[1]).resolve(f[2]));
            else WORKLOADS.add(f);
        }
        base = Files.createTempDirectory("fixup-debian");
        fixture = base.resolve("fixture.sh");
        Files.writeString(fixture, resource("fixture.sh"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DebianProgramsTest.class.getResourceAsStream("/debian/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @TestFactory
    List<DynamicTest> sameAsNative() {
        List<DynamicTest> tests = new ArrayList<>();
        // -Dfixup.debian=ID,ID... runs only those rows
        List<String> only = List.of(System.getProperty("fixup.debian", "").split(","));
        for (String[] w : WORKLOADS) if (only.contains("") || only.contains(w[0])) tests.add(DynamicTest.dynamicTest(w[0] + ": " + w[1] + " " + String.join(" ", Arrays.copyOfRange(w, 2, w.length)),
                () -> compare(w)));
        return tests;
    }

    private static void compare(String[] w) throws Exception {
        Path busybox = PROGRAMS.get("busybox"), exe = PROGRAMS.get(w[1]);
        Assumptions.assumeTrue(Files.isRegularFile(busybox) && Files.isRegularFile(exe),
                exe + " is missing: run scripts/fetch-debs.sh (Debian i386 packages into $FIXUP_DEBS, default /var/cache/fixup-debs): skipping");
        String[] argv = new String[w.length - 1];
        argv[0] = exe.toString();
        System.arraycopy(w, 2, argv, 1, w.length - 2);
        Path dir = base.resolve("w");
        String image = Arrays.stream(argv).filter(a -> a.endsWith(".ext2")).findFirst().orElse(null);
        if (image != null) {
            setUp(dir, busybox);
            Assumptions.assumeTrue(Files.exists(dir.resolve(image)), "mke2fs/debugfs (e2fsprogs) not installed: no " + image + " for e2fsck: skipping");
        }
        String[] env = {"PATH=" + dir.resolve("bin"), "LC_ALL=C", "TZ=UTC", "HOME=" + dir};
        setUp(dir, busybox);
        Outcome nat =nativeRun(dir, argv, env);
        setUp(dir, busybox);
        Outcome fix = fixup(dir, exe, argv, env);
        boolean same = nat.status == fix.status && nat.stdout.equals(fix.stdout) && nat.stderr.equals(fix.stderr);
        String row = String.format("%-22s | %-60s | %-20s | %-20s | %-4s | %6d | %6d | %7d | %s", w[0], abbreviate(w), nat.summary(), fix.summary(),
                same ? "yes" : "NO", nat.millis, fix.millis, fix.cpuMillis, fix.enosys);
        synchronized (TABLE) { TABLE.add(row); }
        assertEquals(nat.stdout, fix.stdout, w[0] + ": stdout");
        assertEquals(nat.stderr, fix.stderr, w[0] + ": stderr");
        assertEquals(nat.status, fix.status, w[0] + ": exit status");
    }

    private static String abbreviate(String[] w) {
        String s = w[1] + " " + String.join(" ", Arrays.copyOfRange(w, 2, w.length));
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static void setUp(Path dir, Path busybox) throws Exception {
        Process p = new ProcessBuilder("sh", fixture.toString(), dir.toString(), busybox.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("fixture.sh failed: " + out);
    }

    /** Native execution; skips when the host cannot run i386 programs. */
    private static Outcome nativeRun(Path dir, String[] argv, String[] env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        for (String e : env) pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        Path err = dir.resolveSibling("native.err");
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Assumptions.abort("the host cannot run i386 programs (" + e.getMessage() + "): skipping");
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(argv[0] + " did not finish natively");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Outcome(p.exitValue(), out, Files.readString(err), ms, -1, "");
    }

    private static Outcome fixup(Path dir, Path exe, String[] argv, String[] env) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream();
        KernelConfig c = new KernelConfig();
        c.ramBytes = 128 << 20;
        c.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        c.klog = c.stderr;
        c.traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
        c.trace = java.util.EnumSet.of(KernelConfig.TraceClass.SYS);     // for the calls answered -ENOSYS
        c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
        c.workingDir = dir;
        c.programPath = exe.toString();
        c.maxInstructions = 20_000_000_000L;
        KernelImage image = Tools.kernel();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime(), c0 = cpu.getCurrentThreadCpuTime();
        int st = Kernel.run(c, image, Files.readAllBytes(exe), argv, env);
        long ms = (System.nanoTime() - t0) / 1_000_000, cms = (cpu.getCurrentThreadCpuTime() - c0) / 1_000_000;
        String enosys = String.join(" ", new java.util.TreeSet<>(trace.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.endsWith(") = -" + Errno.ENOSYS)).map(l -> l.substring("syscall: ".length(), l.indexOf('('))).toList()));
        return new Outcome(st, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), ms, cms, enosys);
    }

    @AfterAll
    static void table() throws IOException {
        if (TABLE.isEmpty()) return;
        StringBuilder b = new StringBuilder(String.format("%-22s | %-60s | %-20s | %-20s | %-4s | %6s | %6s | %7s | %s%n",
                "workload", "program and arguments", "native", "Fixup", "same", "nat ms", "fix ms", "fix cpu", "ENOSYS under Fixup"));
        for (String r : TABLE) b.append(r).append('\n');
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("debian-programs.txt"), b.toString());
        System.out.print(b);
    }
}

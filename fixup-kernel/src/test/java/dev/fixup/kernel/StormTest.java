package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/proc/storm.c, a trinity-style random-syscall storm, run as pid 1 on one kernel per
 * user-access mode, seed after seed: no host exception, no oops or panic in the kernel log, no
 * hang (a watchdog), the frame allocator back to its count before each seed once the last process
 * is gone, and the JVM heap no bigger after the last seed than after the first.
 *
 * <p>The default is a short run (a few seconds). A long one:
 * {@code mvn -B -o -q -pl fixup-kernel -am test -Dtest=StormTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dstorm.calls=1000000 -Dstorm.seeds=1,2,3,4,5 -Dstorm.modes=extable,verify}
 */
class StormTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "storm: seed=(\\d+) calls=(\\d+) workers=(\\d+) children=(\\d+) died=(\\d+) stalled=(\\d+)\n");
    /** Kernel-log text that must never appear: an oops, a panic, a deadlock, a runaway. */
    private static final List<String> FORBIDDEN = List.of("Oops", "Unable to handle kernel", "Kernel panic",
            "every task sleeps", "instructions: killed", "general protection", "invalid operand");

    private static long calls() { return Long.getLong("storm.calls", 4000); }

    private static List<Integer> seeds() {
        List<Integer> s = new ArrayList<>();
        for (String x : System.getProperty("storm.seeds", "1,2,3").split(",")) s.add(Integer.parseInt(x.trim()));
        return s;
    }

    private static List<KernelConfig.UaccessMode> modes() {
        List<KernelConfig.UaccessMode> m = new ArrayList<>();
        for (String x : System.getProperty("storm.modes", "extable,verify").split(",")) {
            m.add(KernelConfig.UaccessMode.valueOf(x.trim().toUpperCase()));
        }
        return m;
    }

    @Test
    void randomSyscallsLeaveTheKernelAsItWas() throws Exception {
        Path exe = GuestC.build("storm");
        long total = 0, processes = 0;
        StringBuilder report = new StringBuilder();
        for (KernelConfig.UaccessMode mode : modes()) {
            Path root = Files.createTempDirectory("fixup-storm");
            Files.copy(exe, root.resolve("storm"));
            ByteArrayOutputStream klog = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
            KernelConfig c = new KernelConfig();
            c.ramBytes = 32 << 20;
            c.uaccess = mode;
            c.root = root;
            c.klog = new PrintStream(klog, true, StandardCharsets.UTF_8);
            c.stdout = c.stderr = new PrintStream(out, true, StandardCharsets.UTF_8);
            c.traceOut = c.klog;
            c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
            c.trace = EnumSet.noneOf(KernelConfig.TraceClass.class);
            Kernel k = Kernel.boot(c, Tools.kernel());
            byte[] elf = Files.readAllBytes(exe);
            long heapAfterFirst = -1;
            try {
                for (int seed : seeds()) {
                    out.reset();
                    int before = k.freeFrames();
                    long t0 = System.nanoTime();
                    int status = runWithWatchdog(k, elf, new String[] {"./storm", Integer.toString(seed), Long.toString(calls())});
                    double secs = (System.nanoTime() - t0) / 1e9;
                    int after = k.freeFrames();
                    String stdout = out.toString(StandardCharsets.UTF_8), log = klog.toString(StandardCharsets.UTF_8);
                    String what = mode + " seed " + seed;
                    assertEquals(0, status, what + ": the supervisor's status\n" + stdout + log);
                    for (String bad : FORBIDDEN) assertFalse(log.contains(bad), what + ": \"" + bad + "\" in the kernel log:\n" + log);
                    Matcher m = SUMMARY.matcher(stdout);
                    assertTrue(m.find(), what + ": no summary line in\n" + stdout);
                    long done = Long.parseLong(m.group(2));
                    assertTrue(done >= calls() * 9 / 10, what + ": only " + done + " calls made:\n" + stdout);
                    assertEquals(before, after, what + ": free frames before and after the storm");
                    total += done;
                    processes += 1 + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4));
                    report.append(String.format("StormTest: %s: %d calls in %.1f s, %s workers, %s children, %s died, %s stalled;"
                            + " free frames %d before, %d after%n", what, done, secs, m.group(3), m.group(4), m.group(5),
                            m.group(6), before, after));
                    if (heapAfterFirst < 0) heapAfterFirst = usedHeap();
                }
                long heapAfterLast = usedHeap();
                report.append(String.format("StormTest: %s: heap after the first seed %d KB, after the last %d KB%n",
                        mode, heapAfterFirst >> 10, heapAfterLast >> 10));
                assertTrue(heapAfterLast - heapAfterFirst < 16 << 20, "the heap grew: " + report);
                report.append(String.format("StormTest: %s: kernel log (%d bytes) has no oops%n", mode, klog.size()));
            } finally {
                deleteTree(root);
            }
        }
        System.out.print(report);
        System.out.printf("StormTest: %d calls over %d seeds x %d modes, %d processes, no host exception, no oops%n",
                total, seeds().size(), modes().size(), processes);
    }

    /** Runs the storm on its own thread; a run that outlasts its time is a hang. */
    private static int runWithWatchdog(Kernel k, byte[] elf, String[] argv) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(k.exec(elf, argv, new String[] {"PATH=/bin"}));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "storm");
        t.setDaemon(true);
        t.start();
        long limit = 120 + calls() / 200;                    // seconds: generous for a slow, shared machine
        t.join(limit * 1000);
        if (t.isAlive()) {
            t.interrupt();
            fail("the storm " + String.join(" ", argv) + " did not finish in " + limit + " s (a hang)");
        }
        Object r = result.get();
        if (r instanceof Throwable e) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            throw new AssertionError("host exception in the kernel, running " + String.join(" ", argv) + ": " + w, e);
        }
        return (Integer) r;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}

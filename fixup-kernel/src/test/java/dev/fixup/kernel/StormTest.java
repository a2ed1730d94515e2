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
 * -Dstorm.calls=1000000 -Dstorm.seeds=1,2,3,4,5 -Dstorm.modes=extable,verify} (or fixup-bench/run-storm.sh);
 * {@code -Dstorm.ramMb=6} makes guest RAM small enough for the OOM killer to take part.
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

    /** One kernel and its streams, with the storm program in a fresh guest root. */
    private static final class Machine implements AutoCloseable {
        final Path root;
        final ByteArrayOutputStream klog = new ByteArrayOutputStream();
        /** The guest's stdout, which workers reach through /dev/tty with writes of any size: its last 64 KB only. */
        final Tail out = new Tail(64 << 10);
        final Kernel k;
        final byte[] elf;

        Machine(Path exe, KernelConfig.UaccessMode mode) throws Exception {
            root = Files.createTempDirectory("fixup-storm");
            Files.copy(exe, root.resolve("storm"));
            elf = Files.readAllBytes(exe);
            KernelConfig c = new KernelConfig();
            c.ramBytes = Integer.getInteger("storm.ramMb", 32) << 20;   // e.g. 6: the OOM killer runs now and then
            c.uaccess = mode;
            c.root = root;
            c.klog = new PrintStream(klog, true, StandardCharsets.UTF_8);
            c.stdout = c.stderr = new PrintStream(out, true, StandardCharsets.UTF_8);
            c.traceOut = c.klog;
            c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
            c.trace = EnumSet.noneOf(KernelConfig.TraceClass.class);
            k = Kernel.boot(c, Tools.kernel());
        }

        /** Runs one storm and checks it: the summary's numbers; its line of figures goes to report. */
        Matcher storm(String what, long calls, StringBuilder report, String... args) throws Exception {
            out.reset();
            int before = k.freeFrames();
            long t0 = System.nanoTime();
            String[] argv = new String[args.length + 1];
            argv[0] = "./storm";
            System.arraycopy(args, 0, argv, 1, args.length);
            int status = runWithWatchdog(k, elf, argv, calls);
            double secs = (System.nanoTime() - t0) / 1e9;
            int after = k.freeFrames();
            String stdout = out.toString(StandardCharsets.UTF_8), log = klog.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, what + ": the supervisor's status\n" + stdout + log);
            for (String bad : FORBIDDEN) assertFalse(log.contains(bad), what + ": \"" + bad + "\" in the kernel log:\n" + log);
            Matcher m = SUMMARY.matcher(stdout);
            assertTrue(m.find(), what + ": no summary line in\n" + stdout);
            long done = Long.parseLong(m.group(2));
            assertTrue(done >= calls * 9 / 10, what + ": only " + done + " calls made:\n" + stdout);
            assertEquals(before, after, what + ": free frames before and after the storm");
            report.append(String.format("StormTest: %s: %d calls in %.1f s, %s workers, %s children, %s died, %s stalled;"
                    + " free frames %d before, %d after%n", what, done, secs, m.group(3), m.group(4), m.group(5),
                    m.group(6), before, after));
            return m;
        }

        @Override
        public void close() throws IOException { deleteTree(root); }
    }

    @Test
    void randomSyscallsLeaveTheKernelAsItWas() throws Exception {
        Path exe = GuestC.build("storm");
        long total = 0, processes = 0;
        StringBuilder report = new StringBuilder();
        for (KernelConfig.UaccessMode mode : modes()) {
            try (Machine m = new Machine(exe, mode)) {
                long heapAfterFirst = -1;
                for (int seed : seeds()) {
                    Matcher r = m.storm(mode + " seed " + seed, calls(), report, Integer.toString(seed), Long.toString(calls()));
                    total += Long.parseLong(r.group(2));
                    processes += 1 + Long.parseLong(r.group(3)) + Long.parseLong(r.group(4));
                    if (heapAfterFirst < 0) heapAfterFirst = usedHeap();
                }
                long heapAfterLast = usedHeap();
                String log = m.klog.toString(StandardCharsets.UTF_8);
                report.append(String.format("StormTest: %s: heap after the first seed %d KB, after the last %d KB;"
                        + " kernel log %d lines (%d OOM kills, %d module loader errors), no oops%n", mode,
                        heapAfterFirst >> 10, heapAfterLast >> 10, log.lines().count(),
                        log.lines().filter(l -> l.startsWith("Out of Memory")).count(),
                        log.lines().filter(l -> l.startsWith("init_module") || l.startsWith("delete_module")).count()));
                assertTrue(heapAfterLast - heapAfterFirst < 16 << 20, "the heap grew: " + report);
            }
        }
        System.out.print(report);
        System.out.printf("StormTest: %d calls over %d seeds x %d modes, %d processes, no host exception, no oops%n",
                total, seeds().size(), modes().size(), processes);
    }

    /**
     * The storm with timeouts and waits as drawn: calls that would sleep for hours or for good
     * (a read of an empty pipe its own process holds open, pause, a futex wait with no timeout)
     * are ended by the worker's alarm or by the supervisor's SIGKILL, and the run finishes.
     */
    @Test
    void callsThatSleepForGoodAreEndedAndNothingHangs() throws Exception {
        long calls = Long.getLong("storm.rawCalls", 3000);
        StringBuilder report = new StringBuilder();
        try (Machine m = new Machine(GuestC.build("storm"), KernelConfig.UaccessMode.EXTABLE)) {
            m.storm("raw seed 1", calls, report, "1", Long.toString(calls), "3", "4", "raw");
        }
        System.out.print(report);
    }

    /** An output stream that keeps the last n bytes written to it (the summary line comes last). */
    private static final class Tail extends java.io.OutputStream {
        private final byte[] ring;
        private long count;

        Tail(int n) { ring = new byte[n]; }

        @Override public synchronized void write(int b) { ring[(int) (count++ % ring.length)] = (byte) b; }

        @Override public synchronized void write(byte[] b, int off, int len) {
            if (len > ring.length) {                         // only the last ring.length bytes can stay
                count += len - ring.length;
                off += len - ring.length;
                len = ring.length;
            }
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        synchronized void reset() { count = 0; }

        synchronized String toString(java.nio.charset.Charset cs) {
            int n = (int) Math.min(count, ring.length);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = ring[(int) ((count - n + i) % ring.length)];
            return new String(b, cs);
        }
    }

    /** Runs the storm on its own thread; a run that outlasts its time is a hang. */
    private static int runWithWatchdog(Kernel k, byte[] elf, String[] argv, long calls) throws Exception {
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
        long limit = 120 + calls / 200;                    // seconds: generous for a slow, shared machine
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

package dev.fixup.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start-up and run phases timed for whoever tunes them: with {@code -Dfixup.phases=true} each
 * {@link #mark} prints to stderr the milliseconds since the process started, since the previous
 * mark, and the CPU time of the whole process (all its threads) so far. Off (the default), a
 * mark is one test of a constant.
 */
public final class PhaseClock {
    /** Whether phases are printed; read once, so the JIT folds every mark away when off. */
    public static final boolean ON = Boolean.getBoolean("fixup.phases");
    /** System.nanoTime() when the process started (Linux's /proc, to 10 ms), and of the last mark. */
    private static long start, last;

    private PhaseClock() {}

    /** Prints one phase line: "phase NAME at T ms (+D ms), cpu C ms [thread]". */
    public static synchronized void mark(String name) {
        if (!ON) return;
        long now = System.nanoTime();
        if (start == 0) start = now - processAgeNanos();
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        System.err.printf("phase %-20s at %5d ms (+%4d ms), cpu %5d ms  [%s]%n", name, (now - start) / 1_000_000,
                last == 0 ? 0 : (now - last) / 1_000_000, cpu, Thread.currentThread().getName());
        last = now;
    }

    /** How long ago this process started: /proc/uptime minus the start time in /proc/self/stat (both since boot); 0 elsewhere. */
    private static long processAgeNanos() {
        try {
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[19]);          // field 22, starttime, in clock ticks (100 a second)
            return (long) ((uptime - ticks / 100.0) * 1e9);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

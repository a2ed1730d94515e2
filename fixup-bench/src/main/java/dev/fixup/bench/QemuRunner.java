package dev.fixup.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a program under qemu-i386 as a child process. Wall time includes qemu's own start-up;
 * CPU time comes from the shell's `times` builtin (children user + system, 10 ms ticks).
 */
public final class QemuRunner {
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

    private QemuRunner() {}

    public static GuestRun run(Path program, List<String> args, int timeoutSeconds) throws IOException {
        // sh -c 'qemu-i386 "$@"; s=$?; times >&2; exit $s' sh PROGRAM ARGS...
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "qemu-i386 \"$@\"; s=$?; times >&2; exit $s", "sh",
                program.toString()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        try {
            p.getOutputStream().close(); // no stdin
            // stderr is small (qemu messages + the times lines): read it after stdout.
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("qemu-i386 " + program + " timed out after " + timeoutSeconds + " s");
            }
            long wall = System.nanoTime() - t0;
            return new GuestRun(out, err, p.exitValue(), wall, childCpuNanos(err), -1);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The last line of `times` is the children's "user system"; -1 if absent. */
    static long childCpuNanos(String err) {
        Matcher m = TIMES.matcher(err.strip());
        if (!m.find()) return -1;
        double s = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
        return (long) (s * 1e9);
    }
}

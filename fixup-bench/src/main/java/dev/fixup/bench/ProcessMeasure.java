package dev.fixup.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process and measures it: wall time from just before the fork to the
 * end of its output, and, through GNU time ({@code /usr/bin/time -f '%M %U %S'}), its peak RSS and
 * CPU time. The same wrapper runs every runner, so its own cost (about a millisecond) is in every
 * figure alike.
 */
final class ProcessMeasure {
    static final Path GNU_TIME = Path.of("/usr/bin/time");

    private ProcessMeasure() {}

    static boolean haveGnuTime() {
        return Files.isExecutable(GNU_TIME);
    }

    static Measurement run(List<String> command, Path stdin, Path scratch, int timeoutSeconds) throws IOException {
        Path timeFile = scratch.resolve("time.out"), errFile = scratch.resolve("stderr.out");
        Files.deleteIfExists(timeFile);
        List<String> cmd = new ArrayList<>();
        boolean timed = haveGnuTime();
        if (timed) cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", timeFile.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(stdin != null ? stdin.toFile() : new java.io.File("/dev/null"))
                .redirectError(errFile.toFile());
        MessageDigest digest = sha256();
        long t0 = System.nanoTime();
        Process p = pb.start();
        // A watchdog kills a run that overstays (and only then: destroying a process closes our end of its pipes).
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    killed.set(true);
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended first
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try (InputStream out = p.getInputStream()) {
            byte[] buf = new byte[65536];
            for (int n; (n = out.read(buf)) > 0; ) digest.update(buf, 0, n);
        } catch (IOException e) {
            if (!killed.get()) throw e;
        }
        int status;
        try {
            boolean done = p.waitFor(timeoutSeconds + 5L, TimeUnit.SECONDS);
            status = done ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        watchdog.interrupt();
        boolean timedOut = killed.get() || wall >= timeoutSeconds;
        double cpu = -1;
        long rss = -1;
        if (timed && Files.exists(timeFile)) {
            // GNU time writes "Command exited with non-zero status N" first when the status is not 0
            List<String> lines = Files.readAllLines(timeFile, StandardCharsets.UTF_8);
            String[] f = lines.isEmpty() ? new String[0] : lines.get(lines.size() - 1).trim().split("\\s+");
            if (f.length == 3) {
                try {
                    rss = Long.parseLong(f[0]);
                    cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
                } catch (NumberFormatException e) {
                    // a killed run leaves no figures
                }
            }
        }
        String err = Files.exists(errFile) ? Files.readString(errFile, StandardCharsets.ISO_8859_1) : "";
        if (err.length() > 2000) err = err.substring(err.length() - 2000);
        return new Measurement(timedOut ? -1 : status, timedOut, wall, cpu, rss, digest.digest(), err);
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

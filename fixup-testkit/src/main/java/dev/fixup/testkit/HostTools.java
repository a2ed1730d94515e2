package dev.fixup.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Host programs the tests compare against (as, ld, readelf, objdump, gcc, qemu-i386, gdb):
 * whether they are installed, and running one with a time limit. A test that needs a missing
 * tool is skipped with a message naming it, never failed.
 */
public final class HostTools {
    private HostTools() {}

    /** How a host command ended: its exit status and its standard output and error, merged. */
    public record Result(int exit, String out) {
        public boolean ok() { return exit == 0; }
    }

    /** True when an executable of that name is on PATH. */
    public static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Skips the calling test unless every tool is installed. */
    public static void require(String... tools) {
        for (String t : tools) assumeTrue(has(t), t + " is not installed: skipping the comparison with it");
    }

    /** Runs a command in dir (null: the current directory) for at most 120 s. */
    public static Result run(Path dir, List<String> command) {
        return run(dir, command, 120);
    }

    public static Result run(Path dir, String... command) {
        return run(dir, List.of(command));
    }

    public static Result run(Path dir, List<String> command, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** How a host command ended, with its standard output and error apart. */
    public record Output(int status, String stdout, String stderr) {}

    /** Runs a command in dir for at most 120 s, keeping stdout and stderr apart (stdin is empty). */
    public static Output runSplit(Path dir, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            // Drain stderr on its own thread: a full stderr pipe must not stall the stdout read.
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after 120 s: " + String.join(" ", command));
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs a command that must succeed; its output, or an AssertionError carrying it. */
    public static String check(Path dir, String... command) {
        Result r = run(dir, List.of(command));
        if (!r.ok()) throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "):\n" + r.out());
        return r.out();
    }

    /** Deletes a directory tree (a test's scratch directory). */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

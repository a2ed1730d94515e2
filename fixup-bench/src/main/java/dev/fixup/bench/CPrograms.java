package dev.fixup.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C example programs of examples/c: where they are, whether the oracle tools exist, and
 * building them with examples/c/build.sh (gcc -m32, our runtime, libgcc) into a directory.
 */
public final class CPrograms {
    /** Every program build.sh knows, in the order the benchmark and the tests run them. */
    public static final List<String> ALL = List.of("crc32", "sort", "vm", "arith64", "printf");

    private CPrograms() {}

    /** The repository root: system property fixup.root (set by the Maven build), else the nearest
     *  ancestor of the working directory that holds examples/c. */
    public static Path repositoryRoot() {
        String prop = System.getProperty("fixup.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples", "c"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("examples/c"))) return p;
        throw new IllegalStateException("cannot find examples/c: run from the repository or set -Dfixup.root=DIR");
    }

    /** Null when gcc can build a 32-bit static program here, else why not (for a skip message). */
    public static String whyGccUnusable() {
        try {
            Path dir = Files.createTempDirectory("fixup-gcc-probe");
            try {
                Path c = dir.resolve("p.c");
                Files.writeString(c, "void _start(void) { for (;;) ; }\n");
                Result r = exec(dir, List.of("gcc", "-m32", "-static", "-nostdlib", "-o", dir.resolve("p").toString(),
                        c.toString(), "-lgcc"), 60);
                return r.status == 0 ? null : "gcc -m32 cannot link a 32-bit program (is gcc-multilib installed?): " + r.output.strip();
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            return "gcc not found: " + e.getMessage();
        }
    }

    /** Null when qemu-i386 runs, else why not. */
    public static String whyQemuUnusable() {
        try {
            Result r = exec(Path.of("."), List.of("qemu-i386", "-version"), 30);
            return r.status == 0 ? null : "qemu-i386 -version failed: " + r.output.strip();
        } catch (IOException e) {
            return "qemu-i386 not found (Debian package qemu-user): " + e.getMessage();
        }
    }

    /** Runs examples/c/build.sh into {@code out}; returns the executables in the order of ALL. */
    public static List<Path> build(Path out) throws IOException {
        return build(out, "");
    }

    /** The same with extra gcc flags (build.sh's EXTRA_CFLAGS, e.g. "-O1"), for variant builds. */
    public static List<Path> build(Path out, String extraCflags) throws IOException {
        Path script = repositoryRoot().resolve("examples/c/build.sh");
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), out.toString());
        pb.environment().put("EXTRA_CFLAGS", extraCflags);
        // build.sh links with `fixup ld`: run it from this JVM's classes rather than ./fixup, which would rebuild the jar
        pb.environment().putIfAbsent("FIXUP", Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                + System.getProperty("java.class.path") + " dev.fixup.cli.Main");
        Result r = exec(pb, 300);
        if (r.status != 0) throw new IOException("examples/c/build.sh failed (status " + r.status + "):\n" + r.output);
        List<Path> built = new ArrayList<>();
        for (String name : ALL) {
            Path p = out.resolve(name);
            if (!Files.isRegularFile(p)) throw new IOException("build.sh did not produce " + p + ":\n" + r.output);
            built.add(p);
        }
        return built;
    }

    record Result(int status, String output) {}

    /** Runs a command, output and errors merged, with a timeout in seconds. */
    static Result exec(Path dir, List<String> cmd, int timeoutSeconds) throws IOException {
        return exec(new ProcessBuilder(cmd).directory(dir.toFile()), timeoutSeconds);
    }

    static Result exec(ProcessBuilder pb, int timeoutSeconds) throws IOException {
        List<String> cmd = pb.command();
        Process p = pb.redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

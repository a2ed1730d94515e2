package dev.fixup.cli.difftest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a test program under qemu-i386 (the reference), started asynchronously so Fixup runs meanwhile. */
public final class QemuRunner {
    private final Process process;
    private final Path dir;

    private QemuRunner(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    public static boolean available() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            if (new File(d, "qemu-i386").canExecute()) return true;
        return false;
    }

    /** Writes the executable to a temporary directory and starts qemu-i386 on it. */
    public static QemuRunner start(byte[] elf) throws IOException {
        Path dir = Files.createTempDirectory("difftest");
        Path exe = dir.resolve("case");
        Files.write(exe, elf);
        exe.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("qemu-i386", exe.toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new QemuRunner(pb.start(), dir);
    }

    public RunResult finish() throws IOException, InterruptedException {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new RunResult(-2, Files.readAllBytes(dir.resolve("stdout")), "qemu-i386 timed out");
            }
            return new RunResult(process.exitValue(), Files.readAllBytes(dir.resolve("stdout")),
                    Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
        } finally {
            // qemu may leave a core file next to the executable after a fatal signal: remove everything
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Convenience: start and wait. */
    public static RunResult run(byte[] elf) throws IOException, InterruptedException {
        return start(elf).finish();
    }
}

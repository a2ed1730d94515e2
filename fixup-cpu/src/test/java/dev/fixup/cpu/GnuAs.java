package dev.fixup.cpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test programs are written in GNU assembler syntax and built with the system's binutils
 * (as --32, ld -m elf_i386, objcopy -O binary). Tests skip when the tools are missing.
 */
final class GnuAs {
    private GnuAs() {}

    private static Boolean available;

    static boolean available() {
        if (available == null) {
            available = run(List.of("as", "--version"), null) && run(List.of("ld", "--version"), null)
                    && run(List.of("objcopy", "--version"), null);
        }
        return available;
    }

    static void assumeTools() {
        assumeTrue(available(), "GNU binutils (as --32, ld, objcopy) not installed: skipping test that assembles guest code");
    }

    /** Assembles {@code source} linked so that .text starts at {@code origin}; returns the flat image. */
    static byte[] assemble(String source, int origin) {
        assumeTools();
        try {
            Path dir = Files.createTempDirectory("fixup-cpu-test");
            try {
                Path s = dir.resolve("t.s"), o = dir.resolve("t.o"), e = dir.resolve("t.elf"), b = dir.resolve("t.bin");
                Files.writeString(s, source + "\n", StandardCharsets.UTF_8);
                check(List.of("as", "--32", "-o", o.toString(), s.toString()), dir);
                check(List.of("ld", "-m", "elf_i386", "-N", "-e", "0", "-Ttext", "0x" + Integer.toHexString(origin),
                        "-o", e.toString(), o.toString()), dir);
                check(List.of("objcopy", "-O", "binary", "-j", ".text", e.toString(), b.toString()), dir);
                return Files.readAllBytes(b);
            } finally {
                try (var w = Files.walk(dir)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Assembles and links a static Linux ELF executable (for running under qemu-i386). */
    static Path linkElf(String source, Path dir, String name) throws IOException {
        assumeTools();
        Path s = dir.resolve(name + ".s"), o = dir.resolve(name + ".o"), e = dir.resolve(name);
        Files.writeString(s, source + "\n", StandardCharsets.UTF_8);
        check(List.of("as", "--32", "-o", o.toString(), s.toString()), dir);
        check(List.of("ld", "-m", "elf_i386", "-e", "_start", "-Ttext", "0x200000", "-o", e.toString(), o.toString()), dir);
        return e;
    }

    /**
     * Links the source as a static Linux program, runs it under qemu-i386 and returns its stdout;
     * skips the test when qemu-i386 is not installed.
     */
    static byte[] runUnderQemu(String source, String name) throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(run(List.of("qemu-i386", "--version"), null),
                "qemu-i386 not installed: skipping differential test");
        Path dir = java.nio.file.Files.createTempDirectory("fixup-cpu-" + name);
        try {
            Path elf = linkElf(source, dir, name);
            Process p = new ProcessBuilder("qemu-i386", elf.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "qemu-i386 timed out");
            org.junit.jupiter.api.Assertions.assertEquals(0, p.exitValue(), "qemu-i386 run failed");
            return out;
        } finally {
            try (var w = java.nio.file.Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void check(List<String> cmd, Path dir) {
        List<String> out = new ArrayList<>();
        if (!run(cmd, out)) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + String.join("\n", out));
    }

    static boolean run(List<String> cmd, List<String> output) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (output != null) output.add(text);
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

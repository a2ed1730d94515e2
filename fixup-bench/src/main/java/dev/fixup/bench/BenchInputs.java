package dev.fixup.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the workloads run on, made at bench time under one directory (fixup-bench/target/bench):
 * every C source of fixup-bench/src/main/c compiled with {@code gcc -m32 -static -O2}, the
 * examples/c compute programs (examples/c/build.sh), an assembly file and objects for the
 * toolchain rows, and the data files the busybox rows read.
 */
final class BenchInputs {
    /** Debian's busybox-static (i386), where scripts/fetch-debs.sh extracts it. */
    static final Path BUSYBOX = Path.of(System.getenv().getOrDefault("FIXUP_DEBS", "/var/cache/fixup-debs"))
            .resolve("x/busybox-static/bin/busybox");

    final Path dir;
    /** Workload programs by source name (empty, faults, syscalls, ...). */
    final Map<String, Path> programs = new LinkedHashMap<>();
    /** examples/c programs by name, in the order of {@link CPrograms#ALL}. */
    final Map<String, Path> examples = new LinkedHashMap<>();
    /** gcc -S output of examples/c/crc32.c, and the objects (and libgcc.a) a small link takes. */
    Path asmSource;
    final List<Path> linkObjects = new ArrayList<>();

    private BenchInputs(Path dir) { this.dir = dir; }

    static Path sourceDir() {
        return CPrograms.repositoryRoot().resolve("fixup-bench/src/main/c");
    }

    /** Builds everything; a build that fails is an error (the benchmark cannot go on without its programs). */
    static BenchInputs build(Path dir) throws IOException {
        BenchInputs in = new BenchInputs(dir);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(sourceDir())) {
            for (Path c : s.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
                String name = c.getFileName().toString().replaceAll("\\.c$", "");
                Path exe = dir.resolve(name);
                gcc(dir, "-m32", "-static", "-O2", "-Wall", "-o", exe.toString(), c.toString());
                in.programs.put(name, exe);
            }
        }
        List<Path> built = CPrograms.build(dir.resolve("examples"));
        for (int i = 0; i < CPrograms.ALL.size(); i++) in.examples.put(CPrograms.ALL.get(i), built.get(i));
        Path examplesC = CPrograms.repositoryRoot().resolve("examples/c");
        in.asmSource = dir.resolve("crc32.s");
        gcc(dir, "-m32", "-O2", "-ffreestanding", "-fno-pic", "-fno-asynchronous-unwind-tables", "-I" + examplesC.resolve("runtime"),
                "-S", "-o", in.asmSource.toString(), examplesC.resolve("crc32.c").toString());
        Path crcObject = dir.resolve("crc32.o");
        gcc(dir, "-m32", "-c", "-o", crcObject.toString(), in.asmSource.toString());
        in.linkObjects.add(crcObject);
        for (String rt : List.of("rt_start.o", "rt_sys.o", "rt_string.o", "rt_print.o")) in.linkObjects.add(dir.resolve("examples").resolve(rt));
        CPrograms.Result libgcc = CPrograms.exec(dir, List.of(System.getenv().getOrDefault("CC", "gcc"), "-m32", "-print-libgcc-file-name"), 60);
        if (libgcc.status() == 0) in.linkObjects.add(Path.of(libgcc.output().strip()));   // the runtime's 64-bit division
        return in;
    }

    /**
     * gcc -O2 -S output of a {@link LargeCSource} of this many functions, for the assembler's
     * large-input row; made again only when the C text changed.
     */
    Path largeAssembly(int functions) throws IOException {
        Path c = dir.resolve("large-" + functions + ".c"), s = dir.resolve("large-" + functions + ".s");
        String text = LargeCSource.of(functions);
        boolean same = Files.exists(c) && Files.readString(c, StandardCharsets.US_ASCII).equals(text);
        if (!same) Files.writeString(c, text, StandardCharsets.US_ASCII);
        if (!same || !Files.exists(s)) gcc(dir, "-m32", "-O2", "-S", "-o", s.toString(), c.toString());
        return s;
    }

    /**
     * Pseudo-random bytes (xorshift, fixed seed: the same file every time), for md5sum.
     * Written once per size and reused.
     */
    Path randomFile(int megabytes) throws IOException {
        Path f = dir.resolve("random-" + megabytes + "M.bin");
        long want = (long) megabytes << 20;
        if (Files.exists(f) && Files.size(f) == want) return f;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            long x = 0x9E3779B97F4A7C15L;
            for (long i = 0; i < want; i += 8) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                for (int k = 0; k < 8; k++) out.write((int) (x >>> (8 * k)));
            }
        }
        return f;
    }

    /** The numbers 1, 2, 3 ... one per line (what seq prints) up to about {@code bytes}, for sed and wc. */
    Path numbersFile(int bytes) throws IOException {
        Path f = dir.resolve("numbers-" + bytes + ".txt");
        if (Files.exists(f)) return f;
        StringBuilder sb = new StringBuilder(bytes + 16);
        for (int i = 1; sb.length() < bytes; i++) sb.append(i).append('\n');
        Files.writeString(f, sb, StandardCharsets.US_ASCII);
        return f;
    }

    private static void gcc(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("CC", "gcc")));
        cmd.addAll(List.of(args));
        CPrograms.Result r = CPrograms.exec(dir, cmd, 300);
        if (r.status() != 0) throw new IOException(String.join(" ", cmd) + " failed:\n" + r.output());
    }
}

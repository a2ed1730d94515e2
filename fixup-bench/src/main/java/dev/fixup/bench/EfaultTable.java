package dev.fixup.bench;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelConfig.UaccessMode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EFAULT table of examples/efault: the same static i386 program run natively on this host
 * (the oracle: this host runs i386 code) and under Fixup, each in its own scratch directory, and
 * their lines set side by side. A line is "SYSCALL ARGUMENT CASE RESULT [SIDE EFFECTS]".
 *
 * <p>Usage: EfaultTable [--uaccess=extable|verify] [DIR]: builds the program with
 * examples/efault/build.sh into DIR and prints the table; exit status 1 when a row differs (known
 * differences aside).
 */
public final class EfaultTable {
    /** One row: the native line's result and side effects (expected), and Fixup's (got). */
    public record Row(String syscall, String argument, String badCase, String expected, String got) {
        public boolean same() { return expected.equals(got); }

        /**
         * A difference known and reported, not hidden: Linux 2.4 kept a zombie when wait4 could not
         * store its status (Fixup does the same), while the native (6.x) kernel reaps it anyway.
         * The result (-EFAULT) must still agree.
         */
        static String result(String v) { return v.split(" ", 2)[0]; }
    }

    private EfaultTable() {}

    public static void main(String[] args) throws Exception {
        UaccessMode mode = UaccessMode.EXTABLE;
        Path dir = null;
        for (String a : args) {
            if (a.startsWith("--uaccess=")) mode = UaccessMode.valueOf(a.substring(10).toUpperCase(java.util.Locale.ROOT));
            else dir = Path.of(a);
        }
        if (dir == null) dir = Files.createTempDirectory("fixup-efault");
        List<Row> rows = compare(build(dir), dir, mode);
        print(rows, System.out);
        System.exit(rows.stream().allMatch(Row::same) ? 0 : 1);
    }

    /** Runs examples/efault/build.sh into dir/build; the program's path. */
    public static Path build(Path dir) throws IOException {
        Path script = CPrograms.repositoryRoot().resolve("examples/efault/build.sh");
        CPrograms.Result r = CPrograms.exec(new ProcessBuilder("sh", script.toString(), dir.resolve("build").toString()), 300);
        if (r.status() != 0) throw new IOException("examples/efault/build.sh failed (status " + r.status() + "):\n" + r.output());
        return dir.resolve("build/efault_table");
    }

    /** Null when this host runs the i386 program natively (it prints its first line), else why not. */
    public static String whyNativeUnusable(Path program, Path dir) {
        try {
            List<String> lines = runNative(program, dir.resolve("native-probe"));
            return lines.isEmpty() ? "the program printed nothing natively" : null;
        } catch (IOException e) {
            return "this host does not run i386 programs natively: " + e.getMessage();
        }
    }

    /** The program run natively and under Fixup, row by row in the native order. */
    public static List<Row> compare(Path program, Path dir, UaccessMode mode) throws IOException {
        Map<String, String> want = split(runNative(program, dir.resolve("native")));
        Map<String, String> got = split(runFixup(program, dir.resolve("fixup"), mode));
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : want.entrySet()) {
            String[] k = e.getKey().split(" ");
            rows.add(new Row(k[0], k[1], k[2], e.getValue(), got.getOrDefault(e.getKey(), "(missing)")));
        }
        for (Map.Entry<String, String> e : got.entrySet()) {
            if (want.containsKey(e.getKey())) continue;
            String[] k = e.getKey().split(" ");
            rows.add(new Row(k[0], k[1], k[2], "(missing)", e.getValue()));
        }
        return rows;
    }

    public static void print(List<Row> rows, PrintStream out) {
        out.printf("%-15s %-9s %-9s | %-36s | %-36s | %s%n", "syscall", "argument", "case", "expected (native)", "got (fixup)", "");
        for (Row r : rows) {
            out.printf("%-15s %-9s %-9s | %-36s | %-36s | %s%n", r.syscall, r.argument, r.badCase, r.expected, r.got,
                    r.same() ? "ok" : "DIFFERS");
        }
        long efault = rows.stream().filter(r -> r.expected.startsWith("-14")).count();
        long same = rows.stream().filter(Row::same).count();
        out.printf("%d rows (%d syscalls): %d -EFAULT natively; %d same as native, %d differ%n",
                rows.size(), rows.stream().map(Row::syscall).distinct().count(), efault, same, rows.size() - same);
    }

    /** "SYSCALL ARG CASE" -> the rest of the line, in order. */
    static Map<String, String> split(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            String[] p = l.split(" ", 4);
            if (p.length < 4) throw new IllegalStateException("not a table line: " + l);
            if (m.put(p[0] + " " + p[1] + " " + p[2], p[3]) != null) throw new IllegalStateException("line twice: " + l);
        }
        return m;
    }

    static List<String> runNative(Path program, Path dir) throws IOException {
        Path exe = stage(program, dir);
        ProcessBuilder pb = new ProcessBuilder("./" + exe.getFileName()).directory(dir.toFile());
        CPrograms.Result r = CPrograms.exec(pb, 120);
        if (r.status() != 0) throw new IOException("native run exited " + r.status() + ":\n" + r.output());
        return r.output().lines().toList();
    }

    static List<String> runFixup(Path program, Path dir, UaccessMode mode) throws IOException {
        Path exe = stage(program, dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        KernelConfig cfg = new KernelConfig();
        cfg.root = dir;
        cfg.uaccess = mode;
        cfg.stdout = new PrintStream(out, true);
        cfg.stderr = new PrintStream(err, true);
        cfg.klog = cfg.stderr;
        cfg.traceOut = cfg.stderr;
        cfg.stdin = new ByteArrayInputStream(new byte[0]);
        Kernel k = Kernel.boot(cfg, KernelBuilder.build());
        int status = k.exec(Files.readAllBytes(exe), new String[] {"./" + exe.getFileName()}, new String[0]);
        cfg.stdout.flush();
        if (status != 0) throw new IOException("run under fixup exited " + status + ":\n" + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A fresh scratch directory holding a copy of the program (it creates efault.tmp there). */
    private static Path stage(Path program, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path exe = dir.resolve(program.getFileName());
        Files.copy(program, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.deleteIfExists(dir.resolve("efault.tmp"));
        return exe;
    }
}

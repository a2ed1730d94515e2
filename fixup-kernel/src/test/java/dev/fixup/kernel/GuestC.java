package dev.fixup.kernel;

import dev.fixup.testkit.HostTools;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Guest programs written in C (examples/proc, on the examples' runtime), built with gcc -m32, and
 * run three ways: on the Fixup kernel, natively on the host (which runs i386 code), under qemu-i386.
 * Tests that need gcc skip with a message when it is missing.
 */
public final class GuestC {
    private GuestC() {}

    private static final String CFLAGS = "-m32 -O2 -static -nostdlib -ffreestanding -fno-pic -fno-stack-protector "
            + "-fno-asynchronous-unwind-tables -no-pie";
    private static Path buildDir;

    /** The outcome of a run: exit status as a shell shows it, and stdout. */
    public record Result(int status, String stdout) {}

    private static String exec(Path dir, List<String> cmd) throws IOException {
        HostTools.Result r = HostTools.run(dir, cmd);
        if (!r.ok()) throw new IOException(String.join(" ", cmd) + ":\n" + r.out());
        return r.out();
    }

    /** Builds examples/proc/NAME.c (once per test JVM) and returns the executable's path. */
    public static synchronized Path build(String name) throws Exception {
        Path root = Tools.root().toAbsolutePath().normalize();
        Path rt = root.resolve("examples/c/runtime");
        if (buildDir == null) {
            Path d = Files.createTempDirectory("fixup-guest-c");
            try {
                for (String f : List.of("start.S", "sys.c", "string.c", "print.c")) {
                    List<String> cmd = new ArrayList<>(List.of("gcc"));
                    cmd.addAll(List.of(CFLAGS.split(" ")));
                    cmd.addAll(List.of("-I" + rt, "-c", rt.resolve(f).toString(), "-o", "rt_" + f.replaceAll("\\..*", "") + ".o"));
                    exec(d, cmd);
                }
            } catch (IOException e) {
                Assumptions.abort("gcc -m32 cannot build the guest runtime here (gcc-multilib missing?): skipping\n" + e.getMessage());
            }
            buildDir = d;
        }
        Path exe = buildDir.resolve(name);
        if (!Files.exists(exe)) {
            List<String> cmd = new ArrayList<>(List.of("gcc"));
            cmd.addAll(List.of(CFLAGS.split(" ")));
            cmd.addAll(List.of("-I" + rt, "-o", name, root.resolve("examples/proc/" + name + ".c").toString(),
                    "rt_start.o", "rt_sys.o", "rt_string.o", "rt_print.o", "-lgcc"));
            exec(buildDir, cmd);
        }
        return exe;
    }

    /** Builds examples/glibc/NAME.c against glibc with gcc -m32 and the given flags (e.g. -static, -static-pie). */
    public static synchronized Path buildGlibc(String name, String flags) throws Exception {
        Path root = Tools.root().toAbsolutePath().normalize();
        if (buildDir == null) build("relay");
        String out = name + flags.replace(" ", "").replace("-", "_");
        Path exe = buildDir.resolve(out);
        if (!Files.exists(exe)) {
            List<String> cmd = new ArrayList<>(List.of("gcc", "-m32", "-O2"));
            cmd.addAll(List.of(flags.split(" ")));
            cmd.addAll(List.of("-o", out, root.resolve("examples/glibc/" + name + ".c").toString(), "-lm"));
            try {
                exec(buildDir, cmd);
            } catch (IOException e) {
                Assumptions.abort("gcc -m32 " + flags + " cannot link against glibc here: skipping\n" + e.getMessage());
            }
        }
        return exe;
    }

    public static KernelConfig config(ByteArrayOutputStream out) {
        KernelConfig c = new KernelConfig();
        c.ramBytes = 64 << 20;
        c.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.stderr = c.stdout;
        c.klog = c.stdout;
        c.traceOut = c.stdout;
        c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
        c.trace = EnumSet.noneOf(KernelConfig.TraceClass.class);
        c.maxInstructions = 2_000_000_000L;
        return c;
    }

    /** Runs the program on a fresh Fixup kernel; the guest sees the host's file system. */
    public static Result fixup(Path exe, String... args) throws Exception {
        return fixupWithRam(64 << 20, exe, args);
    }

    /** The same with the given guest RAM (the overcommit check refuses one request larger than RAM). */
    public static Result fixupWithRam(int ramBytes, Path exe, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelConfig c = config(out);
        c.ramBytes = ramBytes;
        int st = Kernel.run(c, Tools.kernel(), Files.readAllBytes(exe), argv(exe, args), new String[] {"PATH=/bin"});
        return new Result(st, out.toString(StandardCharsets.UTF_8));
    }

    public static String[] argv(Path exe, String... args) {
        String[] a = new String[args.length + 1];
        a[0] = exe.toString();
        System.arraycopy(args, 0, a, 1, args.length);
        return a;
    }

    /** Runs the program natively (skips when the host cannot run i386 programs), or under a runner such as qemu-i386. */
    public static Result host(String runner, Path exe, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (runner != null) cmd.add(runner);
        cmd.addAll(List.of(argv(exe, args)));
        if (runner != null) HostTools.require(runner);
        HostTools.Result r;
        try {
            r = HostTools.run(null, cmd);
        } catch (java.io.UncheckedIOException e) {
            Assumptions.abort("the host cannot run i386 programs: skipping");
            return null;
        }
        return new Result(r.exit(), r.out());
    }
}

package dev.fixup.bench;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelImage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program under Fixup in this JVM: boots a kernel, then times only exec (boot is not
 * guest work) in wall and thread CPU time, and reads the CPU's instruction counter before and after.
 */
public final class FixupRunner {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static KernelImage image;
    /** The CPU's block translation threshold for these runs; -1 keeps its default. */
    static int translateThreshold = -1;

    private FixupRunner() {}

    public static GuestRun run(Path program, List<String> args) throws IOException {
        return run(program, args, null, 0);
    }

    /** The same with standard input from a file (null: empty) and the guest RAM in megabytes (0: the default). */
    public static GuestRun run(Path program, List<String> args, Path stdin, int ramMegabytes) throws IOException {
        if (image == null) image = KernelBuilder.build();
        byte[] elf = Files.readAllBytes(program);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KernelConfig cfg = new KernelConfig();
        cfg.stdout = new PrintStream(out, true);
        cfg.stderr = new PrintStream(err, true);
        cfg.klog = cfg.stderr;
        cfg.traceOut = cfg.stderr;
        cfg.stdin = stdin == null ? new ByteArrayInputStream(new byte[0]) : new java.io.BufferedInputStream(Files.newInputStream(stdin));
        if (ramMegabytes > 0) cfg.ramBytes = ramMegabytes << 20;
        cfg.programPath = program.toAbsolutePath().toString();
        cfg.translateThreshold = translateThreshold;
        List<String> argv = new ArrayList<>();
        argv.add(program.getFileName().toString());
        argv.addAll(args);
        Kernel k = Kernel.boot(cfg, image);
        long i0 = k.instructionCount();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int status = k.exec(elf, argv.toArray(new String[0]), new String[0]);
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        cfg.stdout.flush();
        return new GuestRun(out.toByteArray(), err.toString(StandardCharsets.UTF_8), status, t1 - t0, c1 - c0, k.instructionCount() - i0);
    }
}

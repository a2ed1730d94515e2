package dev.fixup.cli.difftest;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/** Runs a test program on the Fixup kernel in this JVM, capturing its stdout as bytes. */
public final class FixupRunner {
    private static KernelImage image;

    private FixupRunner() {}

    private static synchronized KernelImage image() {
        if (image == null) image = KernelBuilder.build();
        return image;
    }

    public static RunResult run(byte[] elf, long maxInstructions) {
        return run(elf, maxInstructions, -1);
    }

    /** {@code translate}: the CPU's block translation threshold, -1 for its default. */
    public static RunResult run(byte[] elf, long maxInstructions, int translate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        KernelConfig cfg = new KernelConfig();
        cfg.trace = EnumSet.of(KernelConfig.TraceClass.FAULT);
        cfg.traceOut = logStream;
        cfg.klog = logStream;
        cfg.stderr = logStream;
        cfg.stdout = new PrintStream(out, true);
        cfg.stdin = new ByteArrayInputStream(new byte[0]);
        cfg.maxInstructions = maxInstructions;
        cfg.translateThreshold = translate;
        int status;
        try {
            status = Kernel.run(cfg, image(), elf, new String[] {"difftest"}, new String[] {"PATH=/bin"});
        } catch (Kernel.KernelPanic e) {
            logStream.println("kernel panic: " + e.getMessage());
            status = 128 + 9;
        } catch (RuntimeException e) {
            // a crash of the emulator itself is a finding, not a reason to stop the run
            logStream.println("fixup crashed: " + e);
            for (StackTraceElement el : e.getStackTrace()) logStream.println("\tat " + el);
            status = -1;
        }
        cfg.stdout.flush();
        return new RunResult(status, out.toByteArray(), log.toString(StandardCharsets.UTF_8));
    }
}

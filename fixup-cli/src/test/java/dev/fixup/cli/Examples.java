package dev.fixup.cli;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;

/** Runs the programs of examples/ on the kernel in this JVM and captures what they print. */
final class Examples {
    private Examples() {}

    static Path root() {
        return Path.of(System.getProperty("fixup.root", "..")).toAbsolutePath().normalize();
    }

    static Path example(String name) {
        return root().resolve("examples").resolve(name);
    }

    /** What one run produced. {@code merged} interleaves program output, trace and kernel log in order. */
    record Run(int status, String merged, String stdout) {}

    static Run run(String example, boolean debugSyscalls, KernelConfig.TraceClass... trace) {
        Path program = example(example);
        return run(program, RunCommand.loadProgram(program), debugSyscalls, trace);
    }

    static Run runBinary(Path executable) {
        return run(executable, ToolFiles.read(executable), false);
    }

    private static Run run(Path program, byte[] elf, boolean debugSyscalls, KernelConfig.TraceClass... trace) {
        ByteArrayOutputStream merged = new ByteArrayOutputStream(), stdout = new ByteArrayOutputStream();
        PrintStream all = new PrintStream(merged, true, StandardCharsets.UTF_8);
        KernelConfig cfg = new KernelConfig();
        cfg.trace = trace.length == 0 ? EnumSet.noneOf(KernelConfig.TraceClass.class) : EnumSet.of(trace[0], trace);
        cfg.stdout = new PrintStream(new Tee(stdout, merged), true, StandardCharsets.UTF_8);
        cfg.stderr = all;
        cfg.traceOut = all;
        cfg.klog = all;
        cfg.stdin = new ByteArrayInputStream(new byte[0]);
        cfg.debugSyscalls = debugSyscalls;
        cfg.maxInstructions = 50_000_000L;
        int status = Kernel.run(cfg, KernelCommand.buildKernel(), elf,
                new String[] {program.toString()}, new String[] {"PATH=/bin"});
        return new Run(status, merged.toString(StandardCharsets.UTF_8), stdout.toString(StandardCharsets.UTF_8));
    }

    /** Writes each byte to two streams, so program output lands both alone and in the merged log. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a, b;
        Tee(java.io.OutputStream a, java.io.OutputStream b) { this.a = a; this.b = b; }
        @Override public void write(int x) throws java.io.IOException { a.write(x); b.write(x); }
        @Override public void write(byte[] buf, int off, int len) throws java.io.IOException { a.write(buf, off, len); b.write(buf, off, len); }
    }
}

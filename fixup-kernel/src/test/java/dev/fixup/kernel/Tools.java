package dev.fixup.kernel;

import dev.fixup.elf.ElfReader;
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

/** Test support: the kernel image, user programs from assembly source, and a captured run. */
public final class Tools {
    private Tools() {}

    public static Path root() { return Path.of(System.getProperty("fixup.root", "..")); }

    static boolean have(String tool) { return HostTools.has(tool); }

    static void assumeGnu() {
        Assumptions.assumeTrue(have("as") && have("ld"), "GNU as/ld (binutils) not installed: skipping");
    }

    public static String run(Path dir, String... cmd) throws IOException {
        HostTools.Result r = HostTools.run(dir, cmd);
        if (!r.ok()) throw new IOException(String.join(" ", cmd) + " failed:\n" + r.out());
        return r.out();
    }

    private static KernelImage image;

    /** vmlinux, built once for the test JVM. */
    public static synchronized KernelImage kernel() throws Exception {
        if (image == null) image = KernelBuilder.build();
        return image;
    }

    /** vmlinux built by GNU as and ld from the same sources and script (the oracle). */
    static KernelImage gnuKernel() throws Exception {
        assumeGnu();
        Path t = Files.createTempDirectory("vmlinux");
        List<String> ld = new ArrayList<>(List.of("ld", "-m", "elf_i386", "-T", "kernel.lds", "-o", "vmlinux"));
        Files.writeString(t.resolve("kernel.lds"), KernelSources.source("kernel.lds"));
        HostCall.symbols().forEach((k, v) -> { ld.add("--defsym"); ld.add(k + "=0x" + Integer.toHexString(v)); });
        for (String s : KernelSources.SOURCES) {
            Files.writeString(t.resolve(s), KernelSources.source(s));
            run(t, "as", "--32", s, "-o", s.replace(".S", ".o"));
            ld.add(s.replace(".S", ".o"));
        }
        run(t, ld.toArray(new String[0]));
        byte[] b = Files.readAllBytes(t.resolve("vmlinux"));
        return new KernelImage(ElfReader.read(b), b);
    }

    /** A static user program from assembly source. */
    public static byte[] program(String source) throws Exception {
        return Programs.link(source);
    }

    static byte[] example(String name) throws Exception {
        return program(Files.readString(root().resolve("examples").resolve(name)));
    }

    /** The outcome of one program run. */
    public record Run(int status, String stdout, String trace, String klog) {}

    public static KernelConfig config(ByteArrayOutputStream out, ByteArrayOutputStream trace, ByteArrayOutputStream klog) {
        KernelConfig c = new KernelConfig();
        c.ramBytes = 16 << 20;
        c.stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.stderr = c.stdout;
        c.traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
        c.klog = new PrintStream(klog, true, StandardCharsets.UTF_8);
        c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
        c.trace = EnumSet.of(KernelConfig.TraceClass.FAULT, KernelConfig.TraceClass.EXTABLE, KernelConfig.TraceClass.SYS);
        c.maxInstructions = 20_000_000;
        return c;
    }

    public static Run run(byte[] program, boolean debugSyscalls) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = config(out, trace, klog);
        c.debugSyscalls = debugSyscalls;
        int st = Kernel.run(c, kernel(), program, new String[] {"test"}, new String[] {"PATH=/bin"});
        return new Run(st, out.toString(StandardCharsets.UTF_8), trace.toString(StandardCharsets.UTF_8), klog.toString(StandardCharsets.UTF_8));
    }
}

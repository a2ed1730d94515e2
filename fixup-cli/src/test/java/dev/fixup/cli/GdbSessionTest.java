package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.kernel.KernelConfig.TraceClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real gdb, in batch mode, against {@code fixup run -g PORT -S examples/efault.S}, with vmlinux's
 * symbols: break at {@code __copy_user}, go on to the instruction the {@code -d extable} trace says
 * faults, {@code stepi} into the page-fault entry stub, continue to the {@code .fixup} code the
 * trace names, and read EIP there. The transcript is kept as target/gdb-session.txt.
 */
@Timeout(180)
class GdbSessionTest {
    private static final Pattern FAULT = Pattern.compile("fault: v=0e e=\\w+ cr2=(\\w+) eip=(\\w+) cpl=0\\n"
            + "extable: eip=\\2 <__copy_user\\+0x\\w+> -> fixup=(\\w+) ");

    @Test
    void gdbFollowsABadPointerFromCopyUserThroughPageFaultToTheFixup(@TempDir Path dir) throws Exception {
        assumeTrue(Oracle.onPath("gdb"), "gdb is not installed: skipping the gdb session (.ci/run installs it)");

        // What the trace says: the first fault in __copy_user, its CR2 and its fixup.
        Examples.Run traced = Examples.run("efault.S", false, TraceClass.FAULT, TraceClass.EXTABLE);
        Matcher f = FAULT.matcher(traced.merged());
        assertTrue(f.find(), traced.merged());
        String cr2 = f.group(1), faultEip = f.group(2), fixup = f.group(3);

        Path vmlinux = dir.resolve("vmlinux");
        assertEquals(0, Main.execute("kernel", "-o", vmlinux.toString()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StringWriter runErr = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(runErr, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("run", "-g", String.valueOf(port), "-S",
                Examples.example("efault.S").toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!runErr.toString().contains("waiting for gdb")) {
            assertTrue(System.nanoTime() < deadline && !run.isDone(), "the stub did not start: " + runErr);
            Thread.sleep(50);
        }

        Path script = dir.resolve("session.gdb");
        Files.write(script, List.of(
                "set pagination off",
                "set confirm off",
                "file " + vmlinux,
                "target remote 127.0.0.1:" + port,
                "break __copy_user",
                "continue",
                "info symbol $pc",
                "delete",
                // the faulting execution is the one whose destination is the address that faults
                "break *0x" + faultEip + " if $edi == 0x" + cr2,
                "continue",
                "x/i $pc",
                "stepi",
                "info symbol $pc",
                "x/i $pc",
                "delete",
                "break *0x" + fixup,
                "continue",
                "info registers eip",
                "kill"));
        Path transcript = dir.resolve("transcript.txt");
        Process gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-x", script.toString())
                .redirectErrorStream(true).redirectOutput(transcript.toFile()).start();
        boolean finished = gdb.waitFor(120, TimeUnit.SECONDS);
        if (!finished) gdb.destroyForcibly();
        String out = Files.readString(transcript, StandardCharsets.UTF_8);
        Path kept = Path.of("target", "gdb-session.txt");
        Files.writeString(kept, "# gdb -batch -x session.gdb\n" + Files.readString(script) + "\n# transcript\n" + out);
        assertTrue(finished, "gdb did not finish:\n" + out);

        assertTrue(out.contains("Breakpoint 1, 0x") && out.contains(" in __copy_user ()"), out);
        assertTrue(Pattern.compile("Breakpoint 2, 0x0*" + faultEip + " in __copy_user \\(\\)").matcher(out).find(), out);
        assertTrue(Pattern.compile("0x0*\\w+ in page_fault \\(\\)\\npage_fault in section \\.text").matcher(out).find(),
                "stepi enters the page-fault stub:\n" + out);
        assertTrue(Pattern.compile("Breakpoint 3, 0x0*" + fixup + " in ").matcher(out).find(), out);
        assertTrue(Pattern.compile("eip\\s+0x0*" + fixup + "\\s").matcher(out).find(), "EIP is the trace's fixup:\n" + out);
        assertEquals(137, run.get(30, TimeUnit.SECONDS), "gdb killed the program: " + runErr);
    }
}

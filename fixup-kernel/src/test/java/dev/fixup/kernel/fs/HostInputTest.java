package dev.fixup.kernel.fs;

import dev.fixup.kernel.GuestC;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Standard input that may block (a pipe the test writes late) does not stop the machine: while
 * a child of examples/glibc/stdin.c sleeps reading it, its parent's timers run and it ticks;
 * poll reports nothing to read, then POLLHUP once the writer is gone; a non-blocking read gets
 * EAGAIN. The whole output is the same as native execution fed the same way.
 */
class HostInputTest {
    private static final long WAIT_MS = 120_000;

    /** Waits for "tick 2" in the output, then writes a line to the program's stdin and closes it. */
    private static void feedAfterTicks(Supplier<String> output, OutputStream stdin) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!output.get().contains("tick 2\n")) {
            if (System.currentTimeMillis() > end) fail("no ticks while a child waits for input:\n" + output.get());
            Thread.sleep(20);
        }
        assertFalse(output.get().contains("child read"), output.get());
        stdin.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        stdin.close();
    }

    @Test
    void aReaderWaitingForTheHostDoesNotStopTheMachine() throws Exception {
        Path exe = GuestC.buildGlibc("stdin", "-static");

        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        ByteArrayOutputStream nativeOut = new ByteArrayOutputStream();
        CompletableFuture<Void> pump = CompletableFuture.runAsync(() -> {
            try {
                p.getInputStream().transferTo(nativeOut);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        feedAfterTicks(() -> nativeOut.toString(StandardCharsets.US_ASCII), p.getOutputStream());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        pump.get(60, TimeUnit.SECONDS);
        String expected = nativeOut.toString(StandardCharsets.US_ASCII);
        assertTrue(expected.contains("tick 2\nchild read 6: hello\n"), expected);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelConfig cfg = GuestC.config(out);
        PipedOutputStream toGuest = new PipedOutputStream();
        cfg.stdin = new PipedInputStream(toGuest, 4096);
        cfg.stdinMayBlock = true;
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Kernel.run(cfg, Tools.kernel(), Files.readAllBytes(exe), GuestC.argv(exe), new String[0]);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        feedAfterTicks(() -> out.toString(StandardCharsets.US_ASCII), toGuest);
        assertEquals(0, run.get(120, TimeUnit.SECONDS));
        assertEquals(expected, out.toString(StandardCharsets.US_ASCII));
    }
}

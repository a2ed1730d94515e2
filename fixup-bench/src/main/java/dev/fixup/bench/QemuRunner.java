package dev.fixup.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program under qemu-i386 as a child process; wall time includes qemu's own start-up. */
public final class QemuRunner {
    private QemuRunner() {}

    public static GuestRun run(Path program, List<String> args, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-i386", program.toString()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().close(); // no stdin
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("qemu-i386 " + program + " timed out after " + timeoutSeconds + " s");
            }
            return new GuestRun(out, p.exitValue(), System.nanoTime() - t0, -1);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

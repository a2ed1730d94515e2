package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's standard output is Fixup's file descriptor 1: when the reader of the pipe goes
 * away, the guest's write fails with EPIPE and SIGPIPE ends it (status 141), as `yes | head -1`
 * ends natively.
 */
class RunStreamsTest {
    /** yes(1): "y\n" forever. */
    private static final String YES = String.join("\n",
            ".globl _start", "_start:",
            "1:", "  mov $4, %eax", "  mov $1, %ebx", "  mov $y, %ecx", "  mov $2, %edx", "  int $0x80",
            "  jmp 1b",
            ".data", "y: .ascii \"y\\n\"", "");

    @Test void writingToAClosedPipeEndsWithSigpipe(@TempDir Path dir) throws Exception {
        Path prog = dir.resolve("yes.S");
        Files.writeString(prog, YES);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", prog.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("y", r.readLine());
        r.close();                                          // head -1 exits
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fixup run must end once nobody reads its output");
        assertEquals(128 + 13, p.exitValue());
    }
}

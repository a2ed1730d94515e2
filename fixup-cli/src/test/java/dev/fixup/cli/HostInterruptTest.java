package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT sent to Fixup (not on a terminal it drives) goes to the guest's foreground process
 * group, as qemu-user delivers it: a shell that traps it runs its trap and goes on (its
 * foreground `sleep` dies of it, as `kill -INT -PGID` does natively); one that does not dies,
 * and Fixup's status is 130.
 */
class HostInterruptTest {
    private static String[] run(Path bb, String script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", bb.toString(), "sh", "-c", script)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        String line = r.readLine();
        out.append(line).append('\n');
        assertEquals("ready", line);
        Thread.sleep(1000);                                 // the guest is in its sleep now
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        while ((line = r.readLine()) != null) out.append(line).append('\n');
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new String[] {out.toString(), Integer.toString(p.exitValue())};
    }

    @Test void sigintGoesToTheGuest(@TempDir Path dir) throws Exception {
        Path bb = InteractiveShellTest.busybox(dir);
        String[] trapped = run(bb, "trap 'echo caught INT' INT; echo ready; sleep 30; echo after $?");
        assertEquals("ready\ncaught INT\nafter 130\n", trapped[0]);
        assertEquals("0", trapped[1]);
        String[] plain = run(bb, "echo ready; sleep 30; echo after");
        assertEquals("ready\n", plain[0]);
        assertEquals("130", plain[1]);
    }
}

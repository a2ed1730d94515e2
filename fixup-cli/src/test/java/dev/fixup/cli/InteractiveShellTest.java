package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `fixup run busybox sh` in a terminal, as a user types at it: a tmux pane is the terminal (its
 * keys are sent, its screen read back). Line editing works (backspace, cursor left, insert);
 * Ctrl-C ends the foreground `sleep 100` and the shell's prompt comes back, Fixup still running;
 * Ctrl-Z stops a job and fg resumes it;
 * Ctrl-\ ends a foreground `cat` with SIGQUIT; the window size is the pane's, and follows a
 * resize; `exit 7` ends Fixup with status 7, and the host terminal's settings are as before.
 * Skips when tmux or Debian's busybox-static (i386) is not here.
 */
class InteractiveShellTest {
    /** Where scripts/fetch-debs.sh (run by .ci/run) extracts Debian's busybox-static. */
    private static final Path BUSYBOX_CACHE = Path.of(System.getenv().getOrDefault("FIXUP_DEBS", "/var/cache/fixup-debs"))
            .resolve("x/busybox-static/bin/busybox");
    private static final long WAIT_MS = 180_000;

    private final List<String> tmux = new ArrayList<>();

    static Path busybox(Path dir) throws Exception {
        String env = System.getenv("FIXUP_BUSYBOX");
        if (env != null && Files.isRegularFile(Path.of(env))) return Path.of(env);
        if (Files.isRegularFile(BUSYBOX_CACHE)) return BUSYBOX_CACHE;
        // apt-get download busybox-static:i386 and unpack it here
        try {
            Process p = new ProcessBuilder("bash", "-c", "apt-get download -q busybox-static:i386 && dpkg-deb -x busybox-static_*.deb bb")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isRegularFile(dir.resolve("bb/bin/busybox"))) {
                return dir.resolve("bb/bin/busybox");
            }
        } catch (IOException e) {
            // no apt-get: skip below
        }
        Assumptions.abort("Debian's busybox-static:i386 is not in " + BUSYBOX_CACHE + " and apt-get download failed: skipping");
        return null;
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(tmux);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private String screen() throws Exception { return tmux("capture-pane", "-p", "-t", "fixup"); }

    /** Waits until the screen satisfies what; the screen. */
    private String waitFor(String why, Predicate<String> what) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        String s = screen();
        while (!what.test(s)) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + why + "; the screen:\n" + s);
            Thread.sleep(200);
            s = screen();
        }
        return s;
    }

    private static long count(String screen, String line) {
        return screen.lines().filter(l -> l.equals(line)).count();
    }

    private static long prompts(String screen) {
        return screen.lines().filter(l -> l.startsWith("/ #")).count();
    }

    @Test void busyboxShellInATerminal(@TempDir Path dir) throws Exception {
        try {
            if (new ProcessBuilder("tmux", "-V").start().waitFor() != 0) throw new IOException("tmux -V failed");
        } catch (IOException e) {
            Assumptions.abort("tmux is not installed (apt-get install tmux): skipping the terminal test");
        }
        Path bb = busybox(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = dir.resolve("session.sh");
        Files.writeString(script, String.join("\n",
                "cd /",
                "stty -g > '" + dir.resolve("before") + "'",
                "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName()
                        + " run '" + bb + "' sh",
                "echo FIXUP-EXIT=$?",
                "stty -g > '" + dir.resolve("after") + "'",
                "sleep 600", ""));
        tmux.addAll(List.of("tmux", "-S", dir.resolve("tmux.sock").toString()));
        tmux("new-session", "-d", "-s", "fixup", "-x", "100", "-y", "30", "bash " + script);
        try {
            waitFor("the shell's first prompt", s -> prompts(s) == 1);

            // line editing: two backspaces, three cursor-lefts and an insertion
            tmux("send-keys", "-t", "fixup", "echo helxo", "BSpace", "BSpace", "lo wor", "Left", "Left", "Left", "big ", "Enter");
            String s = waitFor("the edited command's output", x -> count(x, "hello big wor") == 1 && prompts(x) == 2);
            assertTrue(s.contains("/ # echo hello big wor\n"), s);

            // Ctrl-C ends the foreground command, not Fixup
            tmux("send-keys", "-t", "fixup", "sleep 100; echo slept", "Enter");
            waitFor("sleep to start", x -> x.contains("sleep 100; echo slept"));
            Thread.sleep(3000);
            assertEquals(2, prompts(screen()), "sleep 100 returned early:\n" + screen());
            tmux("send-keys", "-t", "fixup", "C-c");
            s = waitFor("the prompt after Ctrl-C", x -> prompts(x) == 3);
            assertFalse(s.contains("\nslept"), s);
            tmux("send-keys", "-t", "fixup", "echo status=$?", "Enter");
            waitFor("the status of the interrupted sleep", x -> count(x, "status=130") == 1);

            // Ctrl-Z stops the foreground job; fg brings it back, Ctrl-C ends it
            tmux("send-keys", "-t", "fixup", "sleep 100", "Enter");
            waitFor("the second sleep to start", x -> x.contains("/ # sleep 100\n"));
            Thread.sleep(2000);
            tmux("send-keys", "-t", "fixup", "C-z");
            waitFor("the job stopped", x -> x.contains("Stopped") && prompts(x) == 5);
            tmux("send-keys", "-t", "fixup", "fg", "Enter");
            waitFor("the job in the foreground again", x -> x.contains("/ # fg\nsleep 100\n"));
            Thread.sleep(1000);
            tmux("send-keys", "-t", "fixup", "C-c");
            waitFor("the prompt after fg and Ctrl-C", x -> prompts(x) == 6);

            // Ctrl-\ ends a foreground cat with SIGQUIT (131) after a cooked line went through it
            tmux("send-keys", "-t", "fixup", "cat", "Enter");
            waitFor("cat to start", x -> x.contains("/ # cat\n"));
            tmux("send-keys", "-t", "fixup", "through cat", "Enter");
            waitFor("cat's copy of the line", x -> count(x, "through cat") == 2);
            tmux("send-keys", "-t", "fixup", "C-\\");
            waitFor("the prompt after Ctrl-\\", x -> prompts(x) == 7);
            tmux("send-keys", "-t", "fixup", "echo quit=$?", "Enter");
            waitFor("the status of the quit cat", x -> count(x, "quit=131") == 1);

            // the window size is the terminal's, and follows it
            tmux("send-keys", "-t", "fixup", "stty size", "Enter");
            waitFor("stty size", x -> count(x, "30 100") == 1);
            tmux("resize-window", "-t", "fixup", "-x", "90", "-y", "25");
            Thread.sleep(1000);
            tmux("send-keys", "-t", "fixup", "stty size", "Enter");
            waitFor("stty size after the resize", x -> count(x, "25 90") == 1);

            tmux("send-keys", "-t", "fixup", "exit 7", "Enter");
            waitFor("Fixup's exit", x -> x.contains("FIXUP-EXIT=7"));
            waitFor("the terminal's settings after Fixup", x -> Files.exists(dir.resolve("after")));
            Thread.sleep(500);
            assertEquals(Files.readString(dir.resolve("before")), Files.readString(dir.resolve("after")),
                    "the host terminal's settings must be as before Fixup ran");
        } finally {
            tmux("kill-server");
        }
    }
}

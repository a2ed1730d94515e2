package dev.fixup.kernel.proc;

import dev.fixup.kernel.GuestC;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Many processes, checked against native Linux running the same static i386 binaries: a shell-like
 * pipeline of a hundred exec'd children, copy-on-write, signals; and no frame leaks.
 */
class ProcessesTest {
    private static void sameAsNative(String name, String... args) throws Exception {
        Path exe = GuestC.build(name);
        GuestC.Result nat = GuestC.host(null, exe, args);
        GuestC.Result fix = GuestC.fixup(exe, args);
        assertEquals(nat.stdout(), fix.stdout(), name + ": stdout differs from native");
        assertEquals(nat.status(), fix.status(), name + ": exit status differs from native");
    }

    @Test
    void aHundredChildrenInAPipelineEachExecedAndWaitedFor() throws Exception {
        Path relay = GuestC.build("relay");
        sameAsNative("pipeline", relay.toString(), "100");
        GuestC.Result r = GuestC.fixup(GuestC.build("pipeline"), relay.toString(), "100");
        assertEquals("pipeline of 100: 101 lines, last: relay 100\nstatuses: all right; no more children: yes\n", r.stdout());
        assertEquals(0, r.status());
    }

    @Test
    void copyOnWriteKeepsParentAndChildApart() throws Exception {
        sameAsNative("cow");
        GuestC.Result r = GuestC.fixup(GuestC.build("cow"));
        assertTrue(r.stdout().contains("vfork child wrote 1234 and exited 3\n"), r.stdout());
        assertTrue(r.stdout().contains("200 children: 1400, heap untouched: 1\n"), r.stdout());
    }

    @Test
    void signalsAsNative() throws Exception {
        sameAsNative("signals");
        GuestC.Result r = GuestC.fixup(GuestC.build("signals"));
        assertTrue(r.stdout().startsWith("PROT_NONE store: hits=1 sig=11 code=2 addr ok=1 value=42\n"), r.stdout());
        assertTrue(r.stdout().contains("read interrupted: -4 alarms=1\nread restarted: 1 'x' alarms=2\n"), r.stdout());
        assertTrue(r.stdout().contains("bad stack: killed by signal 11\n"), r.stdout());
    }

    @Test
    void aHandlerWithoutRestorerReturnsThroughTheKernelsCodeOnTheStack() throws Exception {
        GuestC.Result r = GuestC.fixup(GuestC.build("signals"), "retcode");
        assertTrue(r.stdout().contains("SIGUSR1 without restorer: 10\nSIGUSR1: 20\n"), r.stdout());
        assertEquals(0, r.status());
    }

    @Test
    void pipesAndDescriptorsAsNative() throws Exception {
        sameAsNative("pipes");
        GuestC.Result r = GuestC.fixup(GuestC.build("pipes"));
        assertTrue(r.stdout().startsWith("atomic writes: 64 records, 0 torn, per writer 16 16 16 16, writers ok 4\n"
                + "big write: 200000 bytes, same: 1, writer status 0\n"), r.stdout());
    }

    @Test
    void execWaitGroupsAndPreemptionAsNative(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path procs = GuestC.build("procs");
        Path script = dir.resolve("script.sh");
        Files.writeString(script, "#!" + procs + " exec-child\n");
        script.toFile().setExecutable(true);
        sameAsNative("procs", script.toString());
        GuestC.Result r = GuestC.fixup(procs, script.toString());
        assertTrue(r.stdout().startsWith("execve bad argv string: -14\nexecve bad argv array: -14\n"), r.stdout());
        assertTrue(r.stdout().contains("exec-child: argc=4 fd9=-9 fd8=0\nscript exited 5\norphan reparented: 1\n"), r.stdout());
        assertTrue(r.stdout().contains("spinner killed by 9\nwait again: -10\n"), r.stdout());
    }

    @Test
    void forkingAndExitingLeavesEveryFrameFree() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Kernel k = Kernel.boot(GuestC.config(out), Tools.kernel());
        byte[] cow = Files.readAllBytes(GuestC.build("cow"));
        k.exec(cow, new String[] {"cow"}, new String[0]);          // warms up what the kernel keeps (the bounce buffer)
        int before = k.freeFrames();
        for (int i = 0; i < 3; i++) assertEquals(0, k.exec(cow, new String[] {"cow"}, new String[0]), out.toString(StandardCharsets.UTF_8));
        assertEquals(before, k.freeFrames(), "frames after 3 x 204 forks");
    }
}

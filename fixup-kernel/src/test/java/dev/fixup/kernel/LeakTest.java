package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every path frees what it takes: examples/proc/forkleak.S forks thousands of children, each
 * taking memory another way (copy-on-write copies, mmap, mremap, brk, a file mapping, stack
 * growth, shared memory, fork advice, vfork, execve, death by SIGSEGV, an orphan reaped by init), and the free
 * frame count read after a warm-up round must be the same after the last round, and the same
 * after the program as before it.
 */
class LeakTest {
    /** Rounds after the warm-up; kinds of child (one fork each per round); children that fork again (vfork, shared, orphan, advice). */
    static final int ROUNDS = 300, KINDS = 12, FORKING_KINDS = 4;

    @Test
    void forkingAndExitingThousandsOfTimesGivesBackEveryFrame() throws Exception {
        Path dir = Files.createTempDirectory("fixup-leak");
        Path self = dir.resolve("forkleak"), data = dir.resolve("data");
        byte[] elf = Tools.example("proc/forkleak.S");
        Files.write(self, elf);
        self.toFile().setExecutable(true);
        Files.write(data, "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KernelConfig c = new KernelConfig();
        c.ramBytes = 16 << 20;
        c.klog = new PrintStream(log, true, StandardCharsets.UTF_8);
        c.stdout = c.stderr = c.traceOut = c.klog;
        c.stdin = new java.io.ByteArrayInputStream(new byte[0]);
        c.trace = EnumSet.noneOf(KernelConfig.TraceClass.class);
        Kernel k = Kernel.boot(c, Tools.kernel());
        List<Integer> probes = new ArrayList<>();
        k.testProbe = kk -> probes.add(kk.freeFrames());
        int before = k.freeFrames();
        int status = k.exec(elf, new String[] {self.toString(), self.toString(), data.toString(), Integer.toString(ROUNDS)},
                new String[0]);
        int after = k.freeFrames();
        Files.delete(self);
        Files.delete(data);
        Files.delete(dir);

        String klog = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, klog);
        assertEquals("", klog, "no oops, no task killed for want of memory");
        assertEquals(2, probes.size(), "the program reads the count twice");
        System.out.printf("LeakTest: %d children and %d grandchildren; free frames: %d before the program, "
                + "%d after the warm-up round, %d after the last round, %d after the program%n",
                (ROUNDS + 1) * KINDS, (ROUNDS + 1) * FORKING_KINDS, before, probes.get(0), probes.get(1), after);
        assertEquals(probes.get(0), probes.get(1), "frames lost across " + ROUNDS * (KINDS + FORKING_KINDS) + " forks");
        assertEquals(before, after, "frames lost by the program as a whole");
    }
}

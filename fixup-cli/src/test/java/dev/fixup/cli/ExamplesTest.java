package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.kernel.KernelConfig.TraceClass;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the README, run end to end: assembled and linked by us, booted on our kernel. */
class ExamplesTest {
    private static String expected(String name) throws Exception {
        return Files.readString(Examples.example(name));
    }

    @Test void efaultPrintsMinus14ForEveryBadPointerAndTracesEachRepair() throws Exception {
        Examples.Run run = Examples.run("efault.S", false, TraceClass.FAULT, TraceClass.EXTABLE);
        assertEquals(0, run.status(), run.merged());
        assertEquals(expected("efault.out"), run.stdout());

        // Walk the merged log: the trace lines that precede each result line belong to that call.
        List<String> pending = new ArrayList<>();
        int repaired = 0;
        for (String line : run.merged().split("\n")) {
            if (line.startsWith("fault:") || line.startsWith("extable:")) {
                pending.add(line);
                continue;
            }
            if (!line.contains(" = ")) continue;
            boolean bad = line.endsWith(" = -14");
            boolean rejectedByAccessOk = line.contains("0xc0000000") || line.contains("0xbfffffff");
            long fixups = pending.stream().filter(l -> l.startsWith("extable:")).count();
            if (bad && !rejectedByAccessOk) {
                assertEquals(1, fixups, "one repair for: " + line + "\n" + pending);
                String extable = pending.stream().filter(l -> l.startsWith("extable:")).findFirst().orElseThrow();
                String eip = extable.substring(extable.indexOf("eip=") + 4, extable.indexOf("eip=") + 12);
                assertTrue(pending.stream().anyMatch(l -> l.startsWith("fault: v=0e") && l.contains("eip=" + eip) && l.endsWith("cpl=0")),
                        "a kernel-mode page fault at the repaired EIP precedes: " + line + "\n" + pending);
                repaired++;
            } else if (bad) {
                assertTrue(pending.isEmpty(), "access_ok rejects without touching memory: " + line + "\n" + pending);
            } else {
                assertEquals(0, fixups, "a good pointer needs no repair: " + line + "\n" + pending);
            }
            pending.clear();
        }
        assertEquals(10, repaired, run.merged());
    }

    @Test void segvKillsTheProgramWithSignal11() throws Exception {
        Examples.Run run = Examples.run("segv.S", false);
        assertEquals(139, run.status(), run.merged());
        assertEquals(expected("segv.out"), run.stdout());
    }

    @Test void stackGrowsForTheUserAndForTheKernel() throws Exception {
        Examples.Run run = Examples.run("stack-grow.S", false);
        assertEquals(0, run.status(), run.merged());
        assertEquals(expected("stack-grow.out"), run.stdout());
    }

    @Test void anUncheckedKernelAccessOopsesAndOnlyTheTaskDies() throws Exception {
        Examples.Run run = Examples.run("oops.S", true);
        assertEquals(139, run.status(), run.merged());
        assertEquals(expected("oops.out"), run.stdout());
        String log = run.merged();
        assertTrue(log.contains("Unable to handle kernel paging request at virtual address 0badc0de"), log);
        assertTrue(log.contains("Oops: 0000"), log);
        assertTrue(log.contains("EIP:    0010:[<c01"), log);
        // The kernel goes on: a second program runs afterwards in the same JVM.
        assertEquals(0, Examples.run("stack-grow.S", false).status());
    }

    @Test void withoutDebugSyscallsTheOopsSyscallDoesNotExist() {
        Examples.Run run = Examples.run("oops.S", false);
        // -ENOSYS: the good-pointer check fails, then the bad one returns -ENOSYS too, and exit(0) runs.
        assertEquals(0, run.status(), run.merged());
        assertEquals("", run.stdout());
    }
}

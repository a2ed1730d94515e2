package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.debug.LogItem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -d}: the list {@code -d help} prints, errors for unknown items, and Fixup's own items on the oops example. */
class LogItemsTest {
    @Test
    void helpListsEveryItemWithADescription() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("run", "-d", "help");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, status);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("Log items (comma separated):", lines.get(0));
        for (LogItem i : LogItem.values()) {
            assertTrue(lines.stream().anyMatch(l -> l.matches(i.itemName + " +\\S.{20,}")), i.itemName + " in " + lines);
        }
        for (String qemu : List.of("int", "in_asm", "exec", "cpu", "page", "strace")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(qemu + " ")), qemu);
        }
    }

    @Test
    void anUnknownItemIsAOneLineErrorAndTheOldSyscallNameSaysWhereItWent() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LogItem.parse(List.of("fault", "syscall")));
        assertEquals("unknown log item 'syscall' (Fixup's syscall lines are now 'sys'; 'strace' gives qemu's format)", e.getMessage());
        assertTrue(Main.execute("run", "-d", "bogus", "x.S") != 0, "fixup run refuses an unknown item");
    }

    @Test
    void oopsMmAndSchedTellTheOopsExamplesStory(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        int status = Main.execute("run", "--debug-syscalls", "--klog", dir.resolve("klog").toString(), "-d", "oops,mm,sched",
                "-D", log.toString(), Examples.example("oops.S").toString());
        assertEquals(128 + 11, status, "the task dies of SIGSEGV after its oops");
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(0).startsWith("mm: exec oops.S pid=1 entry="), lines.toString());
        assertTrue(lines.contains("mm: do_page_fault eip=c01002fb cr2=0badc0de err=0 kernel: below the stack vma bffff000-c0000000 rw- [stack], "
                + "not grown: bad_area (SEGV_MAPERR) -> no_context: search the exception table")
                || lines.stream().anyMatch(l -> l.startsWith("mm: do_page_fault") && l.contains("cr2=0badc0de") && l.endsWith("no_context: search the exception table")),
                lines.toString());
        assertTrue(lines.contains("oops: Unable to handle kernel paging request at virtual address 0badc0de"), lines.toString());
        assertTrue(lines.contains("sched: exit: oops.S[1] status=000b"), lines.toString());
        int fault = lines.indexOf(lines.stream().filter(l -> l.contains("cr2=0badc0de")).findFirst().orElseThrow());
        assertTrue(lines.get(fault + 1).startsWith("oops: "), "no fixup between the decision and the oops: " + lines);
    }
}

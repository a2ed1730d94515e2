package dev.fixup.kernel.mm;

import dev.fixup.kernel.GuestC;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/proc/mem.c, one static i386 binary built by gcc -m32, run natively on this host (the
 * oracle: a real Linux kernel running the same code) and under Fixup: file mappings, MAP_FIXED,
 * split and merge, mremap, madvise, brk and the resource limits must print the same lines.
 * Skips with a message where gcc -m32 is missing or the host cannot run i386 code.
 */
class MemoryProgramTest {
    @Test
    void printsWhatNativeLinuxPrints() throws Exception {
        Path exe = GuestC.build("mem");
        Path data = Files.createTempFile("fixup-mem", ".dat");
        byte[] b = new byte[10000];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7 + 3);
        Files.write(data, b);
        // More guest RAM than the 128 MB the rlimit case maps: Linux's overcommit check weighs a request against RAM.
        GuestC.Result fixup = GuestC.fixupWithRam(192 << 20, exe, data.toString());
        GuestC.Result host = GuestC.host(null, exe, data.toString());
        Files.delete(data);
        assertEquals(0, host.status(), host.stdout());
        assertEquals(host.stdout(), fixup.stdout(), "Fixup and native Linux differ");
        assertEquals(0, fixup.status());
        // The lines this issue is about, so that a change in both at once does not go unseen.
        String out = fixup.stdout();
        for (String line : List.of("file: shared writable on a read-only fd = -13", "file: a pipe = -19",
                "file: write(2) from past the end = -14", "file: touch past the end: signal 7",
                "handler: sig 7 code 2 addr ok", "old mmap: offset 4096 = 1", "fixed: noreplace over a mapping = -17",
                "split: mremap across the split = -14", "merge: mremap grows in place = same",
                "mremap: grow and move = other", "mremap: moved pages = 1110",
                "madvise: the page reads zero, the next kept = 102",
                "fork: in the child, DONTFORK page mapped 0, WIPEONFORK page mapped 1 and reads 0",
                "rlimit: 1 MB of stack under a 256 KB limit: signal 11", "rlimit: 1 MB of stack under a 4 MB limit: exit 0",
                "rlimit: mmap 128 MB = -12", "rlimit: brk 128 MB = 0", "done")) {
            assertTrue(out.contains(line + "\n"), "missing \"" + line + "\" in:\n" + out);
        }
    }
}

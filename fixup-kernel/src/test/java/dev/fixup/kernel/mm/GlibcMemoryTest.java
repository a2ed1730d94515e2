package dev.fixup.kernel.mm;

import dev.fixup.kernel.GuestC;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/glibc/memory.c: glibc's malloc, realloc (mremap), free, malloc_trim, a file read
 * through mmap, mprotect with a SIGSEGV handler, and the rlimit wrappers, in a static program
 * built by gcc -m32 and run natively and under Fixup; it must print the same.
 */
class GlibcMemoryTest {
    @Test
    void glibcsUseOfTheMemoryCallsRunsAsNatively() throws Exception {
        Path exe = GuestC.buildGlibc("memory", "-static");
        GuestC.Result nat = GuestC.host(null, exe), fix = GuestC.fixup(exe);
        assertEquals(nat, fix, "Fixup and native Linux differ");
        String out = fix.stdout();
        for (String line : new String[] {"realloc 1 MB -> 8 MB keeps the bytes: 1", "mmap of this program reads as read(2) does: 1",
                "SIGSEGV 11 at the written byte: 1, code 2", "malloc 512 MB under it: NULL", "malloc 16 MB under it: succeeded"}) {
            assertTrue(out.contains(line + "\n"), "missing \"" + line + "\" in:\n" + out);
        }
    }
}

package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * examples/glibc/zeroread.c: reads of /dev/zero and /dev/full (one clear_user over the user
 * buffer) into good buffers, into a buffer that runs into a hole (the bytes before it count),
 * a read-only page, NULL, the top of user space and kernel space; it must print what it prints
 * natively.
 */
class DevZeroReadTest {
    @Test
    void readsOfZeroDevicesAnswerAsNatively() throws Exception {
        Path exe = GuestC.buildGlibc("zeroread", "-static");
        GuestC.Result nat = GuestC.host(null, exe), fix = GuestC.fixup(exe);
        assertEquals(nat, fix, "Fixup and native Linux differ");
        String out = fix.stdout();
        for (String line : new String[] {"  read 8192 into a good buffer = 8192", "  zeros, and the byte after untouched: 1",
                "  read 8192 running into an unmapped page = 3840", "  read 16 into a read-only page = -1 (EFAULT)",
                "  read 0 into NULL = 0"}) {
            assertTrue(out.contains(line + "\n"), "missing \"" + line + "\" in:\n" + out);
        }
    }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.GuestC;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * modify_ldt against native execution: examples/glibc/ldt.c installs LDT descriptors, loads %fs
 * and %gs from them, reads and writes through them, faults past their limits, reads the table
 * back, gets Linux's errors for bad descriptors, and forks a child that keeps the table; its
 * output must be byte for byte the host's, interpreted and translated.
 */
class LocalDescriptorTableTest {
    @Test
    void sameAsNativeInterpretedAndTranslated() throws Exception {
        Path exe = GuestC.buildGlibc("ldt", "-static");
        GuestC.Result nat = GuestC.host(null, exe);
        assertEquals(0, nat.status(), nat.stdout());
        assertTrue(nat.stdout().contains("fs:4 via entry 3: 33333333\n"), nat.stdout());
        for (int threshold : new int[] {0, 1, -1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            KernelConfig cfg = GuestC.config(out);
            cfg.translateThreshold = threshold;
            int st = Kernel.run(cfg, Tools.kernel(), Files.readAllBytes(exe), GuestC.argv(exe), new String[0]);
            assertEquals(nat.stdout(), out.toString(StandardCharsets.UTF_8), "translate threshold " + threshold);
            assertEquals(0, st);
        }
    }
}

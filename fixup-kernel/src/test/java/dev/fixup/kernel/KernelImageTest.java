package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The vmlinux the build embeds is exactly what the guest sources build to now: it cannot go stale. */
class KernelImageTest {
    @Test
    void embeddedImageEqualsAFreshBuild() {
        byte[] embedded = KernelBuilder.embedded();
        assertNotNull(embedded, "the build embeds vmlinux (exec-maven-plugin, process-classes)");
        assertArrayEquals(KernelBuilder.buildFresh().bytes, embedded);
    }
}

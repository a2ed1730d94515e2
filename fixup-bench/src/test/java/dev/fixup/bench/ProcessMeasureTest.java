package dev.fixup.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMeasureTest {
    @TempDir Path dir;

    @Test
    void statusOutputAndStderrOfAChild() throws Exception {
        Measurement m = ProcessMeasure.run(List.of("sh", "-c", "echo hi; echo oops >&2; exit 3"), null, dir, 30);
        assertEquals(3, m.status());
        assertFalse(m.timedOut());
        assertTrue(Arrays.equals(ProcessMeasure.sha256("hi\n".getBytes()), m.stdoutDigest()));
        assertEquals("oops", m.stderrTail().strip());
        assertTrue(m.wall() > 0 && m.wall() < 30);
        if (ProcessMeasure.haveGnuTime()) assertTrue(m.maxRssKb() > 0, "GNU time reports the child's peak RSS");
    }

    @Test
    void standardInputComesFromTheFile() throws Exception {
        Path in = dir.resolve("in.txt");
        java.nio.file.Files.writeString(in, "abc\n");
        Measurement m = ProcessMeasure.run(List.of("cat"), in, dir, 30);
        assertEquals(0, m.status());
        assertTrue(Arrays.equals(ProcessMeasure.sha256("abc\n".getBytes()), m.stdoutDigest()));
    }

    @Test
    void aRunPastTheTimeoutIsKilled() throws Exception {
        Measurement m = ProcessMeasure.run(List.of("sleep", "30"), null, dir, 1);
        assertTrue(m.timedOut());
        assertTrue(m.wall() < 20, "killed, not waited for: " + m.wall());
        assertEquals("timed out", m.failure());
    }
}

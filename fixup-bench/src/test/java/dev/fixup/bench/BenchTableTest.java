package dev.fixup.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTableTest {
    static final byte[] OUT = ProcessMeasure.sha256("hi\n".getBytes());
    static final byte[] OTHER = ProcessMeasure.sha256("ho\n".getBytes());

    static Measurement m(double wall, int status, byte[] out) {
        return new Measurement(status, false, wall, wall / 2, 2048, out, "");
    }

    static Workload guest() {
        Map<Runner, List<String>> cmds = new EnumMap<>(Runner.class);
        for (Runner r : Runner.values()) cmds.put(r, List.of("prog"));
        return new Workload("prog", cmds, null, Workload.Check.SAME_OUTPUT, new Workload.InJvm(Path.of("prog"), List.of(), 0, false));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, BenchTable.median(new double[] {3, 1, 2}));
        assertEquals(2.5, BenchTable.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(BenchTable.median(new double[0])));
    }

    @Test
    void ratiosAndSeconds() {
        assertEquals("2.50x", BenchTable.ratio(0.5, 0.2));
        assertEquals("25.0x", BenchTable.ratio(5, 0.2));
        assertEquals("250x", BenchTable.ratio(50, 0.2));
        assertEquals("-", BenchTable.ratio(1, 0));
        assertEquals("", BenchTable.ratio(Double.NaN, 1));
        assertEquals("0.012 s", BenchTable.seconds(0.0123, true));
        assertEquals("1.23 s", BenchTable.seconds(1.234, true));
        assertEquals("12.3 s", BenchTable.seconds(12.34, true));
        assertEquals("n/a", BenchTable.seconds(1, false));
        assertEquals("-", BenchTable.seconds(Double.NaN, true));
    }

    @Test
    void rowShowsMediansRatiosAndSameOutput() {
        RowResult r = new RowResult(guest());
        r.runs.get(Runner.NATIVE).addAll(List.of(m(0.010, 0, OUT), m(0.012, 0, OUT), m(0.011, 0, OUT)));
        r.runs.get(Runner.QEMU).addAll(List.of(m(0.10, 0, OUT), m(0.30, 0, OUT), m(0.20, 0, OUT)));
        r.runs.get(Runner.FIXUP).addAll(List.of(m(0.40, 0, OUT), m(0.44, 0, OUT), m(0.50, 0, OUT)));
        assertEquals("| prog | 0.011 s | 0.20 s | 0.44 s | 2.20x | 40.0x | 0.22 s | 2 MB |  | same |\n", BenchTable.row(r));
    }

    @Test
    void differentOutputOrStatusIsReported() {
        RowResult r = new RowResult(guest());
        r.runs.get(Runner.NATIVE).add(m(0.01, 0, OUT));
        r.runs.get(Runner.QEMU).add(m(0.1, 0, OUT));
        r.runs.get(Runner.FIXUP).add(m(0.4, 0, OTHER));
        assertEquals("**Fixup output differs from native**", r.check());
        RowResult s = new RowResult(guest());
        s.runs.get(Runner.NATIVE).add(m(0.01, 3, OUT));
        s.runs.get(Runner.QEMU).add(m(0.1, 3, OUT));
        s.runs.get(Runner.FIXUP).add(m(0.4, 0, OUT));
        assertEquals("**Fixup output differs from native**", s.check());
    }

    @Test
    void guestStatusIsComparedNotRequiredToBeZero() {
        RowResult r = new RowResult(guest());
        r.runs.get(Runner.NATIVE).add(m(0.01, 39, OUT));
        r.runs.get(Runner.QEMU).add(m(0.1, 39, OUT));
        r.runs.get(Runner.FIXUP).add(m(0.4, 39, OUT));
        assertEquals("same", r.check());
        assertEquals(0.4, r.wall(Runner.FIXUP));
    }

    @Test
    void timedOutRunHasNoFigureAndSaysSo() {
        RowResult r = new RowResult(guest());
        r.runs.get(Runner.NATIVE).add(m(0.01, 0, OUT));
        r.runs.get(Runner.FIXUP).add(new Measurement(-1, true, 300, -1, -1, OUT, ""));
        assertTrue(Double.isNaN(r.wall(Runner.FIXUP)));
        assertEquals("Fixup: timed out", r.check());
    }
}

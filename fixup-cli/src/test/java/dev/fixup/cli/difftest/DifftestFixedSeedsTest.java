package dev.fixup.cli.difftest;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fixed seed set of the differential tester (ISSUE3 4a): these sequences must leave the same registers,
 * flags (undefined ones masked) and memory under Fixup as under qemu-i386.
 */
class DifftestFixedSeedsTest {
    static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static final int PER_SEED = 50, LENGTH = 12;

    /** Every sequence runs as translated code (blocks translated on their first start). */
    @Test
    void fixedSeedsMatchQemuTranslated() throws Exception {
        fixedSeedsMatchQemu(1);
    }

    /** The same sequences in the interpreter. */
    @Test
    void fixedSeedsMatchQemuInterpreted() throws Exception {
        fixedSeedsMatchQemu(0);
    }

    private void fixedSeedsMatchQemu(int translate) throws Exception {
        assumeTrue(QemuRunner.available(), "qemu-i386 is not installed: skipping the differential test against it");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int cases = 0, differences = 0;
        for (long seed : SEEDS) {
            Difftest.Report r = new Difftest(new Difftest.Options(seed, 0, PER_SEED, LENGTH, PER_SEED, null, null, translate), out).run();
            out.print(r.summary());
            cases += r.cases;
            differences += r.differences.size();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(SEEDS.length * PER_SEED, cases, "every case ran to its dump\n" + text);
        assertEquals(0, differences, text);
    }

    /** The harness itself: rdtsc reads a different clock on each machine, so a case ending in it must be
     *  reported, and the bisection must name rdtsc as the culprit. */
    @Test
    void aDifferenceIsFoundAndBisectedToItsUnit() throws Exception {
        assumeTrue(QemuRunner.available(), "qemu-i386 is not installed: skipping the differential test against it");
        TestCase base = SequenceGenerator.generate(Difftest.caseSeed(99, 0), 4);
        java.util.List<Unit> units = new java.util.ArrayList<>(base.units());
        units.add(new Unit("rdtsc", java.util.List.of("rdtsc"), base.undefinedAtEnd()));
        TestCase c = new TestCase(base.seed(), 5, base.regs(), base.eflags(), base.memory(), units);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Difftest.Report r = new Difftest(new Difftest.Options(0, 0, 0, 5, 50, null, null, 1),
                new PrintStream(buf, true, StandardCharsets.UTF_8)).check(java.util.List.of(c));
        assertEquals(1, r.differences.size(), buf.toString(StandardCharsets.UTF_8));
        assertEquals("rdtsc", r.differences.get(0).culpritName());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("eax: fixup"), buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void generationIsReproducible() {
        TestCase a = SequenceGenerator.generate(Difftest.caseSeed(7, 3), LENGTH);
        TestCase b = SequenceGenerator.generate(Difftest.caseSeed(7, 3), LENGTH);
        assertEquals(a.text("x"), b.text("x"));
        assertEquals(LENGTH, a.units().size());
        assertTrue(!a.text("x").equals(SequenceGenerator.generate(Difftest.caseSeed(7, 4), LENGTH).text("x")));
    }
}

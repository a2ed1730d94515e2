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
    static final long[] SEEDS = {1, 2, 3, 4, 5, 6};
    static final int PER_SEED = 50, LENGTH = 12;

    @Test
    void fixedSeedsMatchQemu() throws Exception {
        assumeTrue(QemuRunner.available(), "qemu-i386 is not installed: skipping the differential test against it");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int cases = 0, differences = 0;
        for (long seed : SEEDS) {
            Difftest.Report r = new Difftest(new Difftest.Options(seed, 0, PER_SEED, LENGTH, PER_SEED, null, null), out).run();
            out.print(r.summary());
            cases += r.cases;
            differences += r.differences.size();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(SEEDS.length * PER_SEED, cases, "every case ran to its dump\n" + text);
        assertEquals(0, differences, text);
    }

    @Test
    void generationIsReproducible() {
        TestCase a = SequenceGenerator.generate(Difftest.caseSeed(7, 3), LENGTH);
        TestCase b = SequenceGenerator.generate(Difftest.caseSeed(7, 3), LENGTH);
        assertEquals(a.text("x"), b.text("x"));
        assertEquals(LENGTH, a.units().size());
        assertTrue(!a.text("x").equals(SequenceGenerator.generate(Difftest.caseSeed(7, 4), LENGTH).text("x")));
    }

    @Test
    void undefinedFlagsFollowTheManual() {
        // mul leaves SF ZF AF PF undefined; a 1-bit shift defines OF, a 2-bit one does not; count 0 touches nothing
        assertEquals(UndefinedFlags.SF | UndefinedFlags.ZF | UndefinedFlags.AF | UndefinedFlags.PF,
                UndefinedFlags.of(dev.fixup.x86.Op.MUL, 4, 0, -1).undefined());
        assertEquals(UndefinedFlags.AF, UndefinedFlags.of(dev.fixup.x86.Op.SHL, 4, 1, -1).undefined());
        assertEquals(UndefinedFlags.AF | UndefinedFlags.OF, UndefinedFlags.of(dev.fixup.x86.Op.SHL, 4, 2, -1).undefined());
        assertEquals(0, UndefinedFlags.of(dev.fixup.x86.Op.SHL, 4, 32, -1).writes());
        // a later add defines everything again
        int u = UndefinedFlags.of(dev.fixup.x86.Op.DIV, 4, 0, -1).apply(0);
        assertEquals(UndefinedFlags.ALL, u);
        assertEquals(0, UndefinedFlags.of(dev.fixup.x86.Op.ADD, 4, 0, -1).apply(u));
    }
}

package dev.fixup.cli.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fixed seed set of {@code fixup difftest --x87}: random x87 sequences must leave the same FPU state,
 * status words, EFLAGS and memory under Fixup as on the host CPU, which runs the same i386 program natively.
 */
class X87DifftestFixedSeedsTest {
    static final long SEED = Long.getLong("x87.seed", 20261203);
    static final int COUNT = Integer.getInteger("x87.count", 200);

    private static boolean hostRunsI386() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("i386"));
    }

    private void fixedSeed(int translate) throws Exception {
        assumeTrue(hostRunsI386(), "the host CPU cannot run i386 code: skipping the x87 comparison");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        X87Difftest.Report r = new X87Difftest(new X87Difftest.Options(SEED, 0, COUNT, Math.min(COUNT, 1000), null, null, translate), out).run();
        out.print(r.summary());
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(COUNT, r.cases, text);
        assertEquals(0, r.differences.size(), text);
    }

    @Test
    void fixedSeedMatchesTheHostTranslated() throws Exception {
        fixedSeed(1);
    }

    @Test
    void fixedSeedMatchesTheHostInterpreted() throws Exception {
        fixedSeed(0);
    }

    /**
     * fyl2x and fyl2xp1 over every pair of special operands (zeros, denormals, a pseudo-denormal,
     * infinities, NaNs, one, values next to one and to fyl2xp1's domain limit, extremes, an
     * unnormal), masked and unmasked: which of IE, DE, ZE, UE and PE the host reports is its own.
     */
    @Test
    void logarithmSpecialsMatchTheHost() throws Exception {
        assumeTrue(hostRunsI386(), "the host CPU cannot run i386 code: skipping the x87 comparison");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        var cases = X87Case.logarithmSpecials();
        X87Difftest.Report r = new X87Difftest(new X87Difftest.Options(0, 0, 0, 1000, null, null, 1), out).run(cases);
        out.print(r.summary());
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(cases.size(), r.cases, text);
        assertEquals(0, r.differences.size(), text);
    }

    /** The comparison itself: one flipped significand bit of ST3, or of the memory block, is a difference. */
    @Test
    void aFlippedBitIsADifference() {
        X87Case c = X87Case.generate(Difftest.caseSeed(SEED, 7));
        byte[] h = new byte[X87Program.RECORD_SIZE];
        for (int k = 0; k < h.length; k++) h[k] = (byte) (k * 7);
        assertNull(X87Difftest.compare(c, h, h.clone()));
        byte[] f = h.clone();
        f[28 + 30 + 3] ^= 1;
        assertNotNull(X87Difftest.compare(c, h, f));
        f = h.clone();
        f[X87Program.MEM_OFFSET + 17] ^= 0x40;
        assertNotNull(X87Difftest.compare(c, h, f));
        f = h.clone();
        f[12] ^= 1;   // the instruction pointer: hosts differ there, not compared
        assertNull(X87Difftest.compare(c, h, f));
    }
}

package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .float, .double and .tfloat: the bytes GNU as makes of the same literals, and its refusals. */
class FloatDataTest {
    @TempDir Path dir;

    private static byte[] data(String source) throws Exception {
        ElfFile object = Assembler.assemble("t.s", ".data\n" + source + "\n");
        return ElfReader.read(ElfWriter.write(object)).section(".data").data;
    }

    private static String hex(String source) throws Exception {
        return HexFormat.of().formatHex(data(source));
    }

    @Test void encodesTheIeeeFormatsAsTheFpuStoresThem() throws Exception {
        assertEquals("0000c03f", hex(".float 1.5"));
        assertEquals("9a9999999999b93f", hex(".double 0.1"));
        assertEquals("cdccccccccccccccfb3f", hex(".tfloat 0.1"));
        assertEquals("0000000000000080ff3f", hex(".tfloat 1"));
        assertEquals(Double.doubleToRawLongBits(-1.5e-3), java.nio.ByteBuffer.wrap(data(".double 0d-1.5e-3")).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals("0000803f00000000", hex(".float 1,"), "an empty item after a comma is zero");
        assertEquals("00002041", hex(".float 0x10"), "0 and a letter are a prefix GNU as skips: this is ten");
        assertEquals("0000807f0000807fffffff7fffffffffffffbf7f", hex(".float inf, +Infinity, NaN, -nan, snan"));
        assertEquals("0000000000000080ff7f", hex(".tfloat inf"));
        assertEquals("00000080", hex(".float -"), "no digits: a signed zero");
        assertEquals("01000000", hex(".float 1.0510351e-45"), "half of the smallest denormal and a bit rounds up to it");
        assertEquals("45f1784a", hex(".float 4078673.375"), "an exact tie goes toward zero, as in GNU as");
    }

    @Test void refusesWhatGnuAsRefuses() {
        for (String bad : List.of(".float 1e39", ".double 1e309", ".float 1e-50", ".double 1e-400", ".tfloat 1e-4960", ".float 1e99999999999")) {
            AsmException e = assertThrows(AsmException.class, () -> data(bad), bad);
            assertTrue(e.getMessage().contains("t.s:2: error: cannot create floating-point number"), e.getMessage());
        }
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble("t.s", ".bss\n.float 0\n"));
        assertTrue(e.getMessage().contains("t.s:2: error: attempt to store float in section `.bss'"), e.getMessage());
        e = assertThrows(AsmException.class, () -> data(".double 1.5x"));
        assertTrue(e.getMessage().contains("junk at end of line, first unrecognized character is `x'"), e.getMessage());
    }

    /** Fixed-seed random literals of every magnitude, including halfway and denormal cases, beside GNU as. */
    @Test void matchesGnuAsOnRandomLiterals() throws Exception {
        assumeTrue(GnuAs.available(), "GNU as (as --32) is not installed: skipping the comparison with GNU as");
        Random r = new Random(Long.getLong("fixup.float.seed", 20261203));
        List<String> lines = new ArrayList<>();
        String[] directives = {".float", ".double", ".tfloat"};
        int[][] ranges = {{-45, 38}, {-323, 308}, {-4950, 4932}};
        for (int i = 0; i < Integer.getInteger("fixup.float.count", 3000); i++) {
            int k = i % 3;
            String literal;
            switch (r.nextInt(4)) {
                case 0 -> { // a random decimal of 1..25 digits anywhere in the format's range
                    StringBuilder d = new StringBuilder();
                    int n = 1 + r.nextInt(25);
                    for (int j = 0; j < n; j++) d.append((char) ('0' + r.nextInt(10)));
                    int e = ranges[k][0] + r.nextInt(ranges[k][1] - ranges[k][0]);
                    literal = d + "e" + (e - n + 1);
                }
                case 1 -> { // an exact binary value; half of them exactly halfway between two neighbours
                    int[] significand = {24, 53, 64};
                    int bits = r.nextBoolean() ? significand[k] + 1 : 20 + r.nextInt(60);
                    java.math.BigInteger m = new java.math.BigInteger(bits, r).setBit(bits - 1).setBit(0);
                    int e = r.nextInt(k == 0 ? 200 : k == 1 ? 1100 : 300) - (k == 0 ? 150 : k == 1 ? 1000 : 150);
                    BigDecimal v = new BigDecimal(m);
                    literal = (e >= 0 ? v.multiply(new BigDecimal(2).pow(e)) : v.divide(new BigDecimal(2).pow(-e))).toString();
                }
                case 2 -> literal = Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
                default -> literal = (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "." + r.nextInt(1000);
            }
            lines.add(directives[k] + " " + literal);
        }
        Path src = dir.resolve("floats.s");
        Files.writeString(src, ".data\n" + String.join("\n", lines) + "\n");
        String[] err = new String[1];
        ElfFile gnu = GnuAs.assemble(src, err);
        assertTrue(gnu != null, "GNU as refused the generated literals: " + err[0]);
        byte[] theirs = gnu.section(".data").data, ours = data(String.join("\n", lines));
        List<String> diffs = new ArrayList<>();
        int at = 0;
        for (String line : lines) {
            int size = line.startsWith(".float") ? 4 : line.startsWith(".double") ? 8 : 10;
            String a = HexFormat.of().formatHex(theirs, at, at + size), b = HexFormat.of().formatHex(ours, at, at + size);
            if (!a.equals(b)) diffs.add(line + ": as " + a + ", ours " + b);
            at += size;
        }
        assertEquals(List.of(), diffs);
    }
}

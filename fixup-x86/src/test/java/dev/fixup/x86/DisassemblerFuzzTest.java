package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the decoder and both printers on byte streams shaped like machine code: runs of
 * prefixes, one- and two-byte opcodes, ModRM/SIB bytes of every mod, displacements and
 * immediates, cut off anywhere. No stream may raise an exception; the listing covers the
 * stream exactly. A sample of such streams is compared with GNU objdump -D on the same raw
 * bytes: every instruction both decode at the same address reads the same. Fixed budget per
 * run; {@code -Dfixup.fuzz.scale=N} runs N times as many.
 */
class DisassemblerFuzzTest {
    private static final int SCALE = Integer.getInteger("fixup.fuzz.scale", 1);

    @Property(tries = 2000)
    void codeLikeBytesNeverRaise(@ForAll long seed) {
        for (int k = 0; k < SCALE; k++) {
            Random r = new Random(seed + k);
            byte[] code = codeLike(r, 1 + r.nextInt(64));
            boolean code32 = r.nextInt(4) != 0;
            for (boolean intel : new boolean[] {false, true}) {
                List<Disassembler.Line> lines = intel
                        ? IntelDisassembler.disassemble(code, 0, code.length, 0x1000, code32, Symbolizer.NONE)
                        : Disassembler.disassemble(code, 0, code.length, 0x1000, code32, Symbolizer.NONE);
                int at = 0x1000;
                for (Disassembler.Line l : lines) {
                    assertEquals(at, l.address(), "lines follow each other");
                    assertTrue(l.length() >= 1 && !l.text().isBlank(), l.toString());
                    at += l.length();
                }
                assertEquals(0x1000 + code.length, at, "the listing covers the stream");
            }
        }
    }

    /** Bytes drawn mostly from what instructions start with, so that decoding goes deep. */
    static byte[] codeLike(Random r, int n) {
        int[] prefixes = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x9b};
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int p = r.nextInt(3) == 0 ? r.nextInt(3) : 0;
            for (int k = 0; k < p && i < n; k++) b[i++] = (byte) prefixes[r.nextInt(prefixes.length)];
            if (i < n && r.nextInt(4) == 0) b[i++] = 0x0f;
            if (i < n) b[i++] = (byte) r.nextInt(256);
            int mod = r.nextInt(4);
            if (i < n) b[i++] = (byte) (mod << 6 | r.nextInt(64));
            int tail = r.nextInt(7);
            for (int k = 0; k < tail && i < n; k++) b[i++] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
        }
        return b;
    }

    @Test
    void decodedInstructionsReadAsGnuObjdumpOnASample() throws Exception {
        assumeTrue(GnuTools.available(), "GNU objdump not installed: skipping the comparison");
        Random r = new Random(20261203);
        for (boolean intel : new boolean[] {false, true}) {
            byte[] code = codeLike(r, 20_000 * SCALE);
            Path bin = Files.createTempFile("fuzz", ".bin");
            Files.write(bin, code);
            Map<Integer, String> gnu = objdumpRaw(bin, intel);
            Files.delete(bin);
            List<Disassembler.Line> ours = intel
                    ? IntelDisassembler.disassemble(code, 0, code.length, 0, true, Symbolizer.NONE)
                    : Disassembler.disassemble(code, 0, code.length, 0, true, Symbolizer.NONE);
            List<String> diffs = new ArrayList<>();
            int compared = 0;
            for (Disassembler.Line l : ours) {
                String want = gnu.get(l.address());
                if (want == null || l.text().contains("(bad)") || l.text().startsWith(".byte")) continue;
                compared++;
                String got = GnuTools.normalize(l.text());
                if (!got.equals(want)) diffs.add(String.format("%x: [%s] objdump: %s  ours: %s", l.address(),
                        GnuTools.hex(java.util.Arrays.copyOfRange(code, l.address(), l.address() + l.length())), want, got));
            }
            System.out.printf("disassembler fuzz sample (%s): %d instructions compared, %d differ%n", intel ? "intel" : "att", compared, diffs.size());
            diffs.stream().limit(40).forEach(System.out::println);
            assertTrue(compared > 1000, "enough instructions are compared");
            assertFalse(!diffs.isEmpty(), diffs.size() + " differences from GNU objdump (see output)");
        }
    }

    /** objdump -D on raw i386 bytes: address -> normalized text of the instruction that starts there. */
    private static Map<Integer, String> objdumpRaw(Path bin, boolean intel) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("objdump", "-D", "-z", "--insn-width=16", "-b", "binary", "-m", "i386"));
        if (intel) cmd.add("-Mintel");
        cmd.add(bin.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<Integer, String> res = new TreeMap<>();
        Pattern insn = Pattern.compile("^\\s*([0-9a-f]+):\\t[0-9a-f ]+\\t(.*)$");
        for (String line : out.split("\n")) {
            Matcher m = insn.matcher(line);
            if (m.matches()) res.put(Integer.parseInt(m.group(1), 16), GnuTools.normalize(m.group(2)));
        }
        return res;
    }
}

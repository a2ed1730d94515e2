package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three views against the oracles: the generated corpus assembled by GNU as --32 must equal the
 * Encoder's bytes; the Decoder + Disassembler must print what objdump -d prints for GNU's bytes; and
 * re-encoding our disassembly must give GNU's bytes back.
 */
class CorpusTest {
    static List<String> lines;
    static GnuTools.Assembled gnu;
    static Map<Integer, String> objdump;

    @BeforeAll
    static void assembleCorpus() throws Exception {
        if (!GnuTools.available()) return;
        lines = CorpusGenerator.generate();
        Path dir = Files.createTempDirectory("x86corpus");
        gnu = GnuTools.assemble(lines, dir);
        objdump = GnuTools.disassemble(gnu.object());
        GnuTools.delete(dir);
    }

    /** Every fourth line of the corpus again in .code16, where 0x66/0x67 select 32-bit sizes. */
    @Test
    void encoderAndDisassemblerIn16BitCode() throws Exception {
        requireTools();
        List<String> sub = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 4) sub.add(lines.get(i));
        Path dir = Files.createTempDirectory("x86corpus16");
        GnuTools.Assembled g = GnuTools.assemble(sub, dir, ".code16");
        Map<Integer, String> od = GnuTools.disassemble(g.object(), false);
        GnuTools.delete(dir);
        int accepted = 0, diffs = 0, textDiffs = 0;
        List<String> report = new ArrayList<>();
        for (int i = 0; i < sub.size(); i++) {
            String line = sub.get(i);
            byte[] want = g.bytes().get(i);
            if (want == null || absoluteBranch(line)) continue;
            accepted++;
            String ours;
            try {
                AttParser.Parsed p = AttParser.parse(line, false);
                Insn d = Decoder.decode(a -> a < want.length ? want[a] & 0xFF : 0, 0, false);
                boolean shortBr = want.length <= 3;
                for (int k = 0; k < d.form.operands.length; k++) {
                    if (d.form.operands[k].kind == OperandSpec.Kind.REL) shortBr = d.form.operands[k].size == 1;
                }
                ours = GnuTools.hex(Encoder.encode(p.mnemonic(), p.ops(), new EncodeOptions(shortBr, true, 0)).bytes());
            } catch (EncodeException ex) {
                ours = "error: " + ex.getMessage();
            }
            if (!ours.equals(GnuTools.hex(want))) {
                diffs++;
                report.add("BYTES16  " + line + "  gnu=" + GnuTools.hex(want) + "  ours=" + ours);
            }
            if (want.length == 0) continue;
            StringBuilder t = new StringBuilder();
            for (Disassembler.Line l : Disassembler.disassemble(want, 0, want.length, 0, false, Symbolizer.NONE)) {
                if (t.length() > 0) t.append(" ; ");
                t.append(GnuTools.normalize(l.text()));
            }
            if (!t.toString().equals(od.get(i))) {
                textDiffs++;
                report.add("TEXT16   " + line + " [" + GnuTools.hex(want) + "]  objdump: " + od.get(i) + "  ours: " + t);
            }
        }
        System.out.printf(".code16 corpus: %d lines, %d accepted by GNU as; byte diffs %d, text diffs %d%n",
                sub.size(), accepted, diffs, textDiffs);
        sample(report, 60);
        dump("code16", report);
        assertEquals(0, diffs + textDiffs, "16-bit code differences (see output)");
    }

    private static void requireTools() {
        assumeTrue(gnu != null, "GNU as/objdump not installed: skipping the corpus comparison");
    }

    private static EncodeOptions optionsFor(AttParser.Parsed p, byte[] gnuBytes) {
        boolean shortBr = gnuBytes != null && gnuBytes.length <= 3;
        if (gnuBytes == null) {
            for (AsmOperand o : p.ops()) {
                if (o instanceof AsmOperand.Memory m && m.isAbsolute()) {
                    shortBr = m.disp() - 2 >= -128 && m.disp() - 2 <= 127;
                }
            }
        }
        return new EncodeOptions(shortBr, false, 0);
    }

    @Test
    void encoderMatchesGnuAs() {
        requireTools();
        int accepted = 0, diffs = 0, wrongReject = 0, wrongAccept = 0, msgDiffs = 0, warnDiffs = 0;
        List<String> report = new ArrayList<>();
        List<String> msgReport = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            byte[] want = gnu.bytes().get(i);
            String ours;
            String err = null;
            try {
                AttParser.Parsed p = AttParser.parse(line, false);
                Encoding e = Encoder.encode(p.mnemonic(), p.ops(), optionsFor(p, want));
                ours = GnuTools.hex(e.bytes());
                String gw = gnu.warnings().get(i);
                String ow = e.warnings().isEmpty() ? null : e.warnings().get(0);
                if (want != null && !java.util.Objects.equals(gw, ow)) {
                    warnDiffs++;
                    msgReport.add("WARNING  " + line + "  gnu: " + gw + "  ours: " + ow);
                }
            } catch (EncodeException ex) {
                ours = null;
                err = ex.getMessage();
            } catch (RuntimeException ex) {
                ours = null;
                err = "CRASH " + ex;
            }
            if (want != null && absoluteBranch(line)) continue;   // GNU emits a PC32 relocation there
            if (want != null) {
                accepted++;
                if (ours == null) {
                    wrongReject++;
                    report.add("REJECTED " + line + "  gnu=" + GnuTools.hex(want) + "  ours: " + err);
                } else if (!ours.equals(GnuTools.hex(want))) {
                    diffs++;
                    report.add("BYTES    " + line + "  gnu=" + GnuTools.hex(want) + "  ours=" + ours);
                }
            } else {
                if (ours != null) {
                    wrongAccept++;
                    report.add("ACCEPTED " + line + "  gnu: " + gnu.errors().get(i) + "  ours=" + ours);
                } else if (!gnu.errors().get(i).startsWith(err)) {
                    msgDiffs++;
                    msgReport.add("MESSAGE  " + line + "  gnu: " + gnu.errors().get(i) + "  ours: " + err);
                }
            }
        }
        System.out.printf("corpus: %d lines, %d accepted by GNU as; byte diffs %d, wrongly rejected %d, wrongly accepted %d,"
                + " error-message diffs %d, warning diffs %d%n", lines.size(), accepted, diffs, wrongReject, wrongAccept, msgDiffs, warnDiffs);
        sample(report, 60);
        sample(msgReport, 30);
        dump("encoder", report, msgReport);
        assertEquals(0, diffs + wrongReject + wrongAccept + warnDiffs, "encoder differences from GNU as (see output)");
    }

    @Test
    void disassemblerMatchesObjdump() {
        requireTools();
        int checked = 0, diffs = 0, lenDiffs = 0;
        List<String> report = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            byte[] b = gnu.bytes().get(i);
            if (b == null || b.length == 0) continue;
            checked++;
            String ours = disassembleAll(b);
            String want = objdump.get(i);
            if (!ours.equals(want)) {
                diffs++;
                report.add("TEXT " + lines.get(i) + " [" + GnuTools.hex(b) + "]  objdump: " + want + "  ours: " + ours);
            }
            if (want.contains(";") || Disassembler.prefixName(b[0] & 0xFF, true) != null && b.length == 1) continue;
            if ((b[0] & 0xFF) == 0x9B && b.length > 1) continue;   // fstsw: one line for objdump, fwait + fnstsw for the CPU
            Insn in = Decoder.decode(a -> b[a] & 0xFF, 0, true);
            if (in.length != b.length) {
                lenDiffs++;
                report.add("LENGTH " + lines.get(i) + " [" + GnuTools.hex(b) + "] decoded " + in.length);
            }
        }
        System.out.printf("disassembly: %d instructions, text diffs %d, length diffs %d%n", checked, diffs, lenDiffs);
        sample(report, 60);
        assertEquals(0, diffs + lenDiffs, "disassembler differences from objdump (see output)");
    }

    @Test
    void reencodingTheDisassemblyGivesTheSameBytes() {
        requireTools();
        int checked = 0, diffs = 0;
        List<String> report = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            byte[] b = gnu.bytes().get(i);
            if (b == null || b.length == 0) continue;
            Insn in = Decoder.decode(a -> a < b.length ? b[a] & 0xFF : 0, 0, true);
            if (in.isInvalid() || in.length != b.length) continue;
            String text = Disassembler.format(in, 0, Symbolizer.NONE);
            // objdump-only spellings GNU as rejects or reads differently
            if (text.matches("(movzww|movsww|tzcnt|lzcnt|bnd ).*|.*\\(\\d+ only\\)")) continue;
            checked++;
            String ours;
            try {
                AttParser.Parsed p = AttParser.parse(text, true);
                boolean shortBr = b.length <= 3;
                ours = GnuTools.hex(Encoder.encode(p.mnemonic(), p.ops(), new EncodeOptions(shortBr, false, 0)).bytes());
            } catch (Exception ex) {
                ours = "error: " + ex.getMessage();
            }
            boolean redundantSeg = (b[0] == 0x3E || b[0] == 0x36) && ours.equals(GnuTools.hex(Arrays.copyOfRange(b, 1, b.length)));
            if (!ours.equals(GnuTools.hex(b)) && !redundantSeg) {   // "%ds:(%eax)" reads back without its prefix, as in GNU as
                diffs++;
                report.add("ROUNDTRIP " + lines.get(i) + " -> " + text + "  gnu=" + GnuTools.hex(b) + "  ours=" + ours);
            }
        }
        System.out.printf("round trip: %d instructions, diffs %d%n", checked, diffs);
        sample(report, 60);
        assertEquals(0, diffs, "round-trip differences (see output)");
    }

    /** With -Dx86.dump=DIR, writes every difference to DIR/NAME.txt (the console shows a sample). */
    @SafeVarargs
    static void dump(String name, List<String>... reports) {
        String dir = System.getProperty("x86.dump");
        if (dir == null) return;
        List<String> all = new ArrayList<>();
        for (List<String> r : reports) all.addAll(r);
        try {
            Files.write(Path.of(dir, name + ".txt"), all);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Prints up to max report lines, at most two per mnemonic so that every kind of difference shows. */
    static void sample(List<String> report, int max) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        int shown = 0;
        for (String r : report) {
            String[] w = r.split("\\s+");
            String key = w[0] + " " + (w.length > 1 ? w[1] : "");
            if (seen.merge(key, 1, Integer::sum) > 2) continue;
            System.out.println(r);
            if (++shown >= max) break;
        }
    }

    /** A direct branch to a plain number: GNU as relocates it, so its bytes are the assembler's business. */
    static boolean absoluteBranch(String line) {
        String[] w = line.trim().split("\\s+", 2);
        if (w.length < 2 || w[1].startsWith("*") || w[1].startsWith("$") || w[1].startsWith(".") || w[1].contains("(")) return false;
        String m = w[0];
        return m.startsWith("j") || m.startsWith("call") || m.startsWith("loop");
    }

    static String disassembleAll(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (Disassembler.Line l : Disassembler.disassemble(b, 0, b.length, 0, true, Symbolizer.NONE)) {
            if (s.length() > 0) s.append(" ; ");
            s.append(GnuTools.normalize(l.text()));
        }
        return s.toString();
    }
}

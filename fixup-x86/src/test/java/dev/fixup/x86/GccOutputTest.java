package dev.fixup.x86;

import dev.fixup.testkit.HostTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Code no one here wrote: gcc -m32 compiles gcc-sample.c with several option sets; every code section of the
 * object is disassembled by us and by objdump -d, and each instruction whose bytes carry no relocation is
 * re-encoded from our disassembly and must give gcc's bytes back.
 */
class GccOutputTest {
    static final String[][] OPTIONS = {
        {"-O0"}, {"-O2", "-fno-pic"}, {"-O2", "-march=i686", "-fno-pic"}, {"-Os"}, {"-O3", "-march=pentiumpro"},
        {"-O2", "-fPIC"}, {"-O1", "-fomit-frame-pointer", "-march=i686"},
    };

    @Test
    void gccOutputDisassemblesLikeObjdumpAndReencodes() throws Exception {
        assumeTrue(GnuTools.available() && gccWorks(), "gcc -m32 or binutils not installed: skipping");
        Path dir = Files.createTempDirectory("x86gcc");
        Path src = dir.resolve("sample.c");
        try (InputStream in = getClass().getResourceAsStream("/gcc-sample.c")) {
            Files.write(src, in.readAllBytes());
        }
        int insns = 0, textDiffs = 0, encDiffs = 0, encoded = 0;
        List<String> report = new ArrayList<>();
        for (String[] opt : OPTIONS) {
            Path obj = dir.resolve("sample.o");
            List<String> cmd = new ArrayList<>(List.of("gcc", "-m32", "-c", "-o", obj.toString(), src.toString()));
            cmd.addAll(List.of(opt));
            run(cmd);
            Map<String, byte[]> sections = GnuTools.sections(Files.readAllBytes(obj));
            Map<String, List<String[]>> od = objdump(obj);
            for (var e : od.entrySet()) {
                byte[] code = sections.get(e.getKey());
                List<Disassembler.Line> ours = Disassembler.disassemble(code, 0, code.length, 0, true, a -> "<x>");
                List<String[]> want = e.getValue();
                for (int i = 0; i < Math.max(ours.size(), want.size()); i++) {
                    insns++;
                    String o = i < ours.size() ? Integer.toHexString(ours.get(i).address()) + " " + GnuTools.normalize(ours.get(i).text()) : "-";
                    String w = i < want.size() ? want.get(i)[0] + " " + want.get(i)[1] : "-";
                    if (!o.equals(w)) {
                        textDiffs++;
                        report.add("GCC " + String.join(" ", opt) + " " + e.getKey() + ": objdump: " + w + "  ours: " + o);
                        break;   // the rest of the section is out of step
                    }
                    if (want.get(i)[2] != null) continue;   // a relocated field: GNU as chose its size for the symbol
                    Disassembler.Line l = ours.get(i);
                    byte[] b = java.util.Arrays.copyOfRange(code, l.address(), l.address() + l.length());
                    String re = reencode(l, b);
                    encoded++;
                    if (!re.equals(GnuTools.hex(b))) {
                        encDiffs++;
                        report.add("GCC-ENC " + String.join(" ", opt) + ": " + l.text() + "  gcc=" + GnuTools.hex(b) + "  ours=" + re);
                    }
                }
            }
        }
        GnuTools.delete(dir);
        System.out.printf("gcc output: %d instructions in %d builds, text diffs %d; re-encoded %d, diffs %d%n",
                insns, OPTIONS.length, textDiffs, encoded, encDiffs);
        CorpusTest.sample(report, 40);
        assertEquals(0, textDiffs + encDiffs, "differences on gcc output (see output)");
    }

    private static String reencode(Disassembler.Line l, byte[] b) {
        Insn in = Decoder.decode(a -> b[a - l.address()] & 0xFF, l.address(), true);
        String text = GnuTools.normalize(Disassembler.format(in, l.address(), Symbolizer.NONE));
        if (text.matches("(movzww|movsww|tzcnt|lzcnt|bnd |repz ret).*")) return GnuTools.hex(b);   // objdump-only spellings
        // alignment fillers (lea 0x0(%esi,%eiz,1),%esi): a zero displacement or %eiz GNU as would not write
        if (text.contains("%eiz") || (in.memory && in.mod != 0 && in.disp == 0 && in.base >= 0)) return GnuTools.hex(b);
        try {
            AttParser.Parsed p = AttParser.parse(text, true);
            boolean shortBr = true;
            for (OperandSpec s : in.form.operands) if (s.kind == OperandSpec.Kind.REL) shortBr = s.size == 1;
            return GnuTools.hex(Encoder.encode(p.mnemonic(), p.ops(), new EncodeOptions(shortBr, false, l.address())).bytes());
        } catch (EncodeException | RuntimeException ex) {
            return "error: " + ex.getMessage();
        }
    }

    /** Section name -> [hex address, normalized text, relocation or null] per instruction. */
    private static Map<String, List<String[]>> objdump(Path obj) throws IOException, InterruptedException {
        String out = HostTools.run(null, "objdump", "-d", "-r", "-z", "--insn-width=16", obj.toString()).out();
        Map<String, List<String[]>> res = new java.util.LinkedHashMap<>();
        List<String[]> cur = null;
        Pattern insn = Pattern.compile("^\\s*([0-9a-f]+):\\t[0-9a-f ]+\\t(.*)$");
        for (String line : out.split("\n")) {
            if (line.startsWith("Disassembly of section ")) {
                cur = new ArrayList<>();
                res.put(line.substring("Disassembly of section ".length(), line.length() - 1), cur);
                continue;
            }
            Matcher m = insn.matcher(line);
            if (m.matches() && cur != null) cur.add(new String[] {m.group(1), GnuTools.normalize(m.group(2)), null});
            else if (line.matches("^\\s+[0-9a-f]+: R_386_.*") && cur != null && !cur.isEmpty()) cur.get(cur.size() - 1)[2] = line.trim();
        }
        return res;
    }

    private static boolean gccWorks() {
        try {
            Path dir = Files.createTempDirectory("x86gccprobe");
            Path c = dir.resolve("p.c");
            Files.writeString(c, "int f(int x) { return x + 1; }\n");
            boolean ok = HostTools.has("gcc") && HostTools.run(null, "gcc", "-m32", "-c", "-o", dir.resolve("p.o").toString(), c.toString()).ok();
            GnuTools.delete(dir);
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        HostTools.Result r = HostTools.run(null, cmd);
        if (!r.ok()) throw new IOException(String.join(" ", cmd) + ": " + r.out());
    }
}

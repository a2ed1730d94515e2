package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A fixed sample of the kernel's kind of instructions with the bytes GNU as produced and the text objdump
 * printed (golden-i386.tsv, recorded once from the GNU tools), so the three views are checked even on a
 * machine without binutils.
 */
class GoldenTest {
    record Row(String source, int address, byte[] bytes, String text) { }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = GoldenTest.class.getResourceAsStream("/golden-i386.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\t");
                String[] hex = f[2].trim().split(" ");
                byte[] b = new byte[hex.length];
                for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex[i], 16);
                rows.add(new Row(f[0], Integer.parseInt(f[1], 16), b, f[3].trim()));
            }
        }
        return rows;
    }

    @Test
    void encoderGivesGnuBytes() throws Exception {
        for (Row r : rows()) {
            AttParser.Parsed p = AttParser.parse(r.source(), false);
            List<AsmOperand> ops = new ArrayList<>();
            for (AsmOperand o : p.ops()) {   // ".+N" targets are relative to the instruction
                ops.add(o instanceof AsmOperand.Memory m && m.isAbsolute() && r.source().contains(" .")
                        ? AsmOperand.Memory.abs(m.disp() + r.address()) : o);
            }
            EncodeOptions opts = new EncodeOptions(r.bytes().length <= 3, false, r.address());
            Encoding e = Encoder.encode(p.mnemonic(), ops, opts);
            assertEquals(GnuTools.hex(r.bytes()), GnuTools.hex(e.bytes()), r.source());
        }
    }

    @Test
    void disassemblerGivesObjdumpText() throws Exception {
        for (Row r : rows()) {
            byte[] b = r.bytes();
            int base = r.address();
            Insn in = Decoder.decode(a -> b[a - base] & 0xFF, base, true);
            assertEquals(b.length, in.length, r.source());
            assertEquals(r.text(), GnuTools.normalize(Disassembler.format(in, base, Symbolizer.NONE)), r.source());
        }
    }
}

package dev.fixup.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Decoder + disassembler against objdump on machine code GNU as would never write: random prefixes
 * (0x66, 0x67 = 16-bit addressing, segments, lock, rep), random ModRM/SIB (%eiz forms, no-base SIB, 16-bit
 * modes), random displacements and immediates, for every decodable form of the table.
 */
class RandomDecodeTest {

    static final int COUNT = Integer.getInteger("x86.random.count", 8000);
    static final long SEED = Long.getLong("x86.random.seed", 1);

    @Test
    void randomInstructionsDisassembleLikeObjdump() throws Exception {
        compare(true, COUNT, SEED);
    }

    /** The same in 16-bit code (default operand and address size 16: what 0x66/0x67 flip). */
    @Test
    void randomInstructionsIn16BitCode() throws Exception {
        compare(false, COUNT / 4, SEED + 1000);
    }

    /** The Intel printer (objdump -M intel) on the same kind of random instructions. */
    @Test
    void randomInstructionsInIntelSyntax() throws Exception {
        compare(true, COUNT, SEED + 2000, true);
    }

    @Test
    void randomInstructionsInIntelSyntaxIn16BitCode() throws Exception {
        compare(false, COUNT / 4, SEED + 3000, true);
    }

    static void compare(boolean code32, int count, long seed) throws Exception {
        compare(code32, count, seed, false);
    }

    static void compare(boolean code32, int count, long seed, boolean intel) throws Exception {
        assumeTrue(GnuTools.available(), "GNU as/objdump not installed: skipping the random decode comparison");
        final int COUNT = count;
        final long SEED = seed;
        Random rnd = new Random(SEED);
        List<Form> forms = new ArrayList<>();
        for (Form f : FormTable.forms()) if (!f.has(Form.NO_DEC) && f.op != Op.WAIT) forms.add(f);   // fwait merges with x87 ops
        List<byte[]> codes = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            byte[] b = instruction(forms.get(rnd.nextInt(forms.size())), rnd, code32);
            codes.add(b);
            StringBuilder l = new StringBuilder(".byte ");
            for (int k = 0; k < b.length; k++) l.append(k == 0 ? "" : ",").append(b[k] & 0xFF);
            lines.add(l.toString());
        }
        Path dir = Files.createTempDirectory("x86random");
        GnuTools.Assembled a = GnuTools.assemble(lines, dir);
        Map<Integer, String> objdump = intel ? GnuTools.disassembleIntel(a.object(), code32) : GnuTools.disassemble(a.object(), code32);
        GnuTools.delete(dir);
        int diffs = 0;
        List<String> report = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            byte[] b = codes.get(i);
            String want = objdump.get(i).split(" ; ")[0];
            List<Disassembler.Line> ours = intel ? IntelDisassembler.disassemble(b, 0, b.length, 0, code32, Symbolizer.NONE)
                    : Disassembler.disassemble(b, 0, b.length, 0, code32, Symbolizer.NONE);
            String got = GnuTools.normalize(ours.get(0).text());
            if (!got.equals(want)) {
                diffs++;
                report.add("RANDOM [" + GnuTools.hex(b) + "]  objdump: " + want + "  ours: " + got);
            }
        }
        System.out.printf("random decode" + (intel ? " (intel)" : "") + ", %d-bit code (seed %d): %d instructions, text diffs %d%n", code32 ? 32 : 16, SEED, COUNT, diffs);
        CorpusTest.sample(report, 60);
        CorpusTest.dump("random" + (intel ? "-intel" : "") + (code32 ? 32 : 16), report);
        assertEquals(0, diffs, "random decode differences from objdump (see output)");
    }

    /** Prefixes + opcode + ModRM as the form requires + random trailing bytes for SIB/disp/imm. */
    static byte[] instruction(Form f, Random rnd, boolean code32) {
        List<Integer> b = new ArrayList<>();
        boolean branch = f.op == Op.JMP || f.op == Op.CALL || f.op == Op.JCC || f.op == Op.RET || f.op == Op.LOOP
                || f.op == Op.LOOPE || f.op == Op.LOOPNE || f.op == Op.JCXZ;
        if (rnd.nextInt(4) == 0) b.add(new int[] {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65}[rnd.nextInt(6)]);
        if (rnd.nextInt(4) == 0 && !(f.has(Form.O32) && f.map == 0 && f.opcode == 0x90)) b.add(0x67);
        if (rnd.nextInt(4) == 0 && !f.has(Form.O32)) b.add(0x66);
        // forms tied to one operand size get the prefix that selects it in this mode
        if (f.has(Form.O16)) { b.remove(Integer.valueOf(0x66)); if (code32) b.add(0x66); }
        if (f.has(Form.O32)) { b.remove(Integer.valueOf(0x66)); if (!code32) b.add(0x66); }
        if (rnd.nextInt(8) == 0 && f.map == 0 && !branch && f.op != Op.NOP) b.add(rnd.nextBoolean() ? 0xF3 : 0xF2);
        if (rnd.nextInt(10) == 0 && f.map == 0 && !branch) b.add(0xF0);
        if (f.map == 1) b.add(0x0F);
        int opc = f.opcode;
        if (f.opreg) opc += rnd.nextInt(8);
        b.add(opc);
        if (f.modrm) {
            int mod = f.has(Form.REG_ONLY) ? 3 : f.has(Form.MEM_ONLY) ? rnd.nextInt(3) : rnd.nextInt(4);
            int reg = f.digit >= 0 ? f.digit : rnd.nextInt(8);
            for (OperandSpec s : f.operands) if (s.kind == OperandSpec.Kind.SREG) reg = rnd.nextInt(6);
            for (OperandSpec s : f.operands) if (s.kind == OperandSpec.Kind.CREG) reg = new int[] {0, 2, 3, 4}[rnd.nextInt(4)];
            b.add(mod << 6 | reg << 3 | rnd.nextInt(8));
        }
        for (int k = 0; k < 10; k++) b.add(rnd.nextInt(256));
        byte[] out = new byte[b.size()];
        for (int k = 0; k < out.length; k++) out[k] = (byte) (int) b.get(k);
        return out;
    }
}

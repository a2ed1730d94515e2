package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mixes of labels, jmp/jcc (forward, backward, numeric local), alignments with and without a
 * maximum, fills, calls, label differences and PC-relative data, compared with GNU as: the jump sizes
 * that relaxation picks decide every address after them. More seeds: -Dfixup.fuzz.seeds=N.
 */
class RelaxationFuzzTest {
    private static final String[] JUMPS = {"jmp", "je", "jne", "jl", "jg", "ja", "jb", "js", "jns", "jo", "jp", "jle", "jge", "jbe", "jae"};

    static String program(long seed) {
        Random r = new Random(seed);
        int n = 20 + r.nextInt(60);
        List<String> out = new ArrayList<>();
        out.add("\t.text");
        for (int i = 0; i < n; i++) {
            out.add("L" + i + ":");
            double k = r.nextDouble();
            String label = "L" + r.nextInt(n);
            if (k < 0.45) out.add("\t" + JUMPS[r.nextInt(JUMPS.length)] + " " + label);
            else if (k < 0.6) out.add("\t.fill " + (1 + r.nextInt(120)) + ",1,0x90");
            else if (k < 0.68) out.add("\t.p2align " + (1 + r.nextInt(5)));
            else if (k < 0.72) out.add("\t.balign " + (2 << r.nextInt(5)) + ",," + r.nextInt(11));
            else if (k < 0.8) out.add("\t" + JUMPS[r.nextInt(JUMPS.length)] + " " + (1 + r.nextInt(3)) + "f\n" + (1 + r.nextInt(3)) + ":");
            else if (k < 0.85) out.add("\tcall " + label);
            else if (k < 0.9) out.add("\tmovl $" + label + "-L" + r.nextInt(n) + ", %eax");
            else if (k < 0.95) out.add("\t.long " + label + " - .");
            else out.add("\tjmp ext" + r.nextInt(4));
        }
        out.add("1: 2: 3: ret");
        out.add("\t.data\n\t.long L0, L" + (n - 1) + ", L" + r.nextInt(n));
        return String.join("\n", out) + "\n";
    }

    @Test
    void relaxationMatchesGnuAs() throws Exception {
        assumeTrue(GnuAs.available(), "GNU as (as --32) is not installed: skipping the relaxation comparison");
        int seeds = Integer.getInteger("fixup.fuzz.seeds", 60);
        Path src = Files.createTempFile("relax", ".S");
        try {
            for (long seed = 1; seed <= seeds; seed++) {
                String text = program(seed);
                Files.writeString(src, text);
                String[] err = new String[1];
                ElfFile gnu = GnuAs.assemble(src, err);
                ElfFile ours = ElfReader.read(ElfWriter.write(Assembler.assemble("relax.S", text)));
                assertEquals("", String.join("\n", GnuAs.compare(gnu, ours)), "seed " + seed + ":\n" + text);
            }
        } finally {
            Files.deleteIfExists(src);
        }
    }
}

package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random user code, with registers aimed at interesting addresses and an occasional
 * syscall first, may only kill its own task: never an oops, a panic or an exception in the host.
 */
class RandomUserCodeTest {
    private static final String[] VALUES = {"0", "0xc0000000", "0xbffffff0", "0x08049000", "0xffffffff", "0x40000000"};

    @Test
    void randomProgramsOnlyEverKillThemselves() throws Exception {
        Random r = new Random(20261122);
        KernelImage img = Tools.kernel();
        for (int iter = 0; iter < 150; iter++) {
            StringBuilder src = new StringBuilder("\t.text\n\t.globl _start\n_start:\n");
            for (String reg : new String[] {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"}) {
                src.append("\tmovl $").append(VALUES[r.nextInt(VALUES.length)]).append(", %").append(reg).append('\n');
            }
            if (r.nextBoolean()) src.append("\tmovl $").append(r.nextInt(200)).append(", %eax\n\tint $0x80\n");
            src.append("\t.byte ");
            for (int i = 0; i < 48; i++) src.append(i == 0 ? "" : ",").append(r.nextInt(256));
            src.append('\n');
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            KernelConfig c = new KernelConfig();
            c.ramBytes = 16 << 20;
            c.stdout = c.stderr = c.klog = c.traceOut = new PrintStream(sink);
            c.stdin = new ByteArrayInputStream(new byte[0]);
            c.maxInstructions = 100_000;
            int st = Kernel.run(c, img, Tools.program(src.toString()), new String[] {"random"}, new String[0]);
            assertTrue(st >= 0 && st <= 255, "status " + st);
            assertFalse(sink.toString().contains("Oops") || sink.toString().contains("panic"), src + "\n" + sink);
        }
    }
}

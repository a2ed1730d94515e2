package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random bytes executed as ring-3 code must only ever produce guest exceptions: no Java exception
 * may escape the run loop, whatever the decoder makes of them. (The test world is user-writable
 * everywhere, so the code may also scribble over the IDT, GDT and page tables.)
 */
class RandomBytesTest {
    /** translate 1: the same code as translated blocks, which must also never fail to translate. */
    @ParameterizedTest(name = "translate={0}")
    @ValueSource(ints = {0, 1})
    void randomCodeNeverCrashesTheHost(int translate) {
        Random rnd = new Random(7);
        for (int round = 0; round < 800; round++) {
            TestGuest g = new TestGuest();
            g.cpu.setTranslateThreshold(translate);
            byte[] code = new byte[64];
            rnd.nextBytes(code);
            g.mem.write(TestGuest.CODE, code);
            g.cpu.setEip(TestGuest.CODE);
            for (int r = 0; r < 8; r++) if (r != Cpu.ESP) g.cpu.setReg(r, rnd.nextBoolean() ? rnd.nextInt(0x400000) : rnd.nextInt());
            boolean ring0 = round % 3 == 0; // ring 0 may also load CRs, GDTR, IDTR with garbage
            if (!ring0) g.enterUser();
            if (rnd.nextBoolean()) g.cpu.setEflags(0x3202); // IOPL 3: in/out/cli reach the port bus
            StopReason r;
            try {
                r = g.cpu.run(2000);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + " code " + hex(code) + ": " + e, e);
            }
            assertNotNull(r);
            assertEquals(0, g.cpu.translationFailures(), "round " + round + " code " + hex(code));
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x));
        return s.toString();
    }
}

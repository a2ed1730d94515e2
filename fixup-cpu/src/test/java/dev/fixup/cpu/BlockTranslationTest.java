package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The contract of translated blocks ({@link Block}): each scenario runs once in the interpreter
 * (threshold 0) and once with every block translated on its first start (threshold 1), and the
 * whole visible state must be the same: registers, EIP, flags, CR2, the instruction count and
 * the exceptions delivered. Hand-encoded so that it needs no GNU tools.
 */
class BlockTranslationTest {
    static final int CODE = TestGuest.CODE;

    /** mov $1000,%ecx; L: add $3,%eax; dec %ecx; jnz L; hlt */
    static final byte[] LOOP = bytes(0xB9, 0xE8, 0x03, 0, 0, 0x83, 0xC0, 0x03, 0x49, 0x75, 0xFA, 0xF4);

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static TestGuest guest(int translate, byte[] code) {
        TestGuest g = new TestGuest();
        g.cpu.setTranslateThreshold(translate);
        g.mem.write(CODE, code);
        g.cpu.setEip(CODE);
        return g;
    }

    private static String state(TestGuest g) {
        return g.cpu + String.format(" cr2=%08x insns=%d events=%s", g.cpu.getCr2(), g.cpu.instructionCount(), g.events);
    }

    /** Runs {@code scenario} interpreted and translated; returns the translated guest after checking both agree. */
    static TestGuest same(byte[] code, Function<TestGuest, Object> scenario) {
        TestGuest interpreted = guest(0, code), translated = guest(1, code);
        Object a = scenario.apply(interpreted), b = scenario.apply(translated);
        assertEquals(a, b, "what the run returned");
        assertEquals(state(interpreted), state(translated));
        assertTrue(translated.cpu.translatedBlocks() > 0, "blocks were translated");
        assertEquals(0, translated.cpu.translationFailures(), "every block could be translated");
        assertEquals(0, interpreted.cpu.translatedBlocks());
        return translated;
    }

    @Test
    void aLoopRunsTranslatedWithAnExactInstructionCount() {
        TestGuest g = same(LOOP, t -> t.run());
        assertEquals(3000, g.cpu.reg(Cpu.EAX));
        assertEquals(0, g.cpu.reg(Cpu.ECX));
        assertEquals(1 + 3 * 1000 + 1, g.cpu.instructionCount());
    }

    @Test
    void anInstructionBudgetStopsInsideABlock() {
        for (int n : new int[] {2, 3, 100, 101, 102, 3001}) {
            TestGuest g = same(LOOP, t -> t.cpu.run(n));
            assertEquals(n, g.cpu.instructionCount());
        }
    }

    @Test
    void runUntilStopsAtAnAddressInsideABlock() {
        int dec = CODE + 8;
        TestGuest g = same(LOOP, t -> {
            t.cpu.run(50); // the loop's blocks are translated by now
            return t.cpu.runUntil(dec);
        });
        assertEquals(dec, g.cpu.getEip());
    }

    /**
     * mov $5,%eax; mov %eax,%ebx; push %eax; mov (%edx),%ecx; inc %eax; hlt with EDX unmapped:
     * the page fault restarts the load, keeps the push and everything before it.
     */
    @Test
    void aFaultInsideABlockKeepsTheFaultModel() {
        byte[] code = bytes(0xB8, 5, 0, 0, 0, 0x89, 0xC3, 0x50, 0x8B, 0x0A, 0x40, 0xF4);
        TestGuest g = same(code, t -> {
            t.cpu.setReg(Cpu.EDX, 0x900000);
            return t.run();
        });
        ExceptionEvent pf = g.events.get(0);
        assertEquals(Vector.PF, pf.vector());
        assertEquals(CODE + 8, pf.eip());
        assertEquals(0x900000, g.cpu.getCr2());
        assertEquals(5, g.cpu.reg(Cpu.EBX));
        assertEquals(5, g.cpu.reg(Cpu.EAX), "the inc after the fault did not run");
    }

    /** xor %eax,%eax; movb $0x40,X; X: nop; nop; hlt: the store turns the first nop into inc %eax. */
    @Test
    void codeWrittenByTheBlockItselfIsSeen() {
        int x = CODE + 9;
        byte[] code = bytes(0x31, 0xC0, 0xC6, 0x05, x & 0xFF, (x >>> 8) & 0xFF, (x >>> 16) & 0xFF, x >>> 24, 0x40,
                0x90, 0x90, 0xF4);
        TestGuest g = same(code, t -> t.run());
        assertEquals(1, g.cpu.reg(Cpu.EAX));
    }

    /** A timer tick lands on the same instruction whether the code around it is translated or not. */
    @Test
    void aTimerInterruptArrivesAtTheSameInstruction() {
        TestGuest g = same(LOOP, t -> {
            t.cpu.setTimer(777);
            t.cpu.setEflags(t.cpu.getEflags() | Flags.IF);
            return t.run();
        });
        assertEquals(0x20, g.events.get(0).vector());
    }

    /**
     * Segment loads inside a block: mov $0x38,%eax; mov %eax,%ds; mov (%ecx),%ebx; push %ds;
     * mov $0x18,%edx; mov %edx,%ds; mov (%ecx),%esi; pop %es; mov %es:(%ecx),%edi;
     * mov %es:0x1000(%ecx),%eax; hlt. Selector 0x38 has base 0x100000 and limit 0xFFF: the block's
     * direct accesses follow each load, and the last one is past the limit (#GP).
     */
    @Test
    void segmentLoadsInsideABlockChangeItsAddressing() {
        byte[] code = bytes(0xB8, 0x38, 0, 0, 0, 0x8E, 0xD8, 0x8B, 0x19, 0x1E, 0xBA, 0x18, 0, 0, 0, 0x8E, 0xDA,
                0x8B, 0x31, 0x07, 0x26, 0x8B, 0x39, 0x26, 0x8B, 0x81, 0x00, 0x10, 0, 0, 0xF4);
        TestGuest g = same(code, t -> {
            t.descriptor(7, 0x00000FFF, 0x00409210);
            t.mem.write32(0x100100, 0x11111111);
            t.mem.write32(0x100, 0x22222222);
            t.cpu.setReg(Cpu.ECX, 0x100);
            return t.run();
        });
        assertEquals(0x11111111, g.cpu.reg(Cpu.EBX));
        assertEquals(0x22222222, g.cpu.reg(Cpu.ESI));
        assertEquals(0x11111111, g.cpu.reg(Cpu.EDI));
        assertEquals(Vector.GP, g.events.get(0).vector());
        assertEquals(CODE + 23, g.events.get(0).eip());
    }
}

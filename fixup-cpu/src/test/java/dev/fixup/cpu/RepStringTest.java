package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * rep movs and rep stos over several pages: whole pages at a time where the TLB allows it, with
 * the same result as element by element (Intel: each iteration is a move, a fault leaves ECX,
 * ESI and EDI at the faulting element, a forward overlapping move repeats the pattern).
 * Hand-encoded so that it needs no GNU tools.
 */
class RepStringTest {
    static final int SRC = 0x200000, DST = 0x300000;

    private static TestGuest guest(int... code) {
        TestGuest g = new TestGuest();
        for (int i = 0; i < code.length; i++) g.mem.write8(TestGuest.CODE + i, code[i]);
        g.cpu.setEip(TestGuest.CODE);
        return g;
    }

    /** rep movsl; hlt */
    private static final int[] REP_MOVSL = {0xF3, 0xA5, 0xF4};

    @Test
    void repMovslCopiesAcrossPagesAndStopsAtAFaultWithExactRegisters() {
        TestGuest g = guest(REP_MOVSL);
        for (int i = 0; i < 3 * 4096; i += 4) g.mem.write32(SRC + 8 + i, i * 31 + 7);
        g.pte(DST + 2 * 4096, 0);                            // the third destination page is not present
        g.cpu.setReg(Cpu.ESI, SRC + 8);
        g.cpu.setReg(Cpu.EDI, DST + 12);
        g.cpu.setReg(Cpu.ECX, 3000);
        g.run();
        int done = (2 * 4096 - 12) / 4;                      // the elements that fit before the missing page
        assertEquals(Vector.PF, g.events.get(0).vector());
        assertEquals(DST + 2 * 4096, g.cpu.getCr2());
        assertEquals(3000 - done, g.cpu.reg(Cpu.ECX));
        assertEquals(SRC + 8 + 4 * done, g.cpu.reg(Cpu.ESI));
        assertEquals(DST + 12 + 4 * done, g.cpu.reg(Cpu.EDI));
        for (int i = 0; i < done; i++) assertEquals(g.mem.read32(SRC + 8 + 4 * i), g.mem.read32(DST + 12 + 4 * i), "dword " + i);
    }

    @Test
    void anOverlappingForwardMoveRepeatsThePattern() {
        TestGuest g = guest(0xF3, 0xA4, 0xF4);               // rep movsb; hlt
        g.mem.write8(SRC, 0x5A);
        g.mem.write8(SRC + 1, 0x3C);
        g.cpu.setReg(Cpu.ESI, SRC);
        g.cpu.setReg(Cpu.EDI, SRC + 2);
        g.cpu.setReg(Cpu.ECX, 5000);
        g.run();
        for (int i = 0; i < 5002; i++) assertEquals(i % 2 == 0 ? 0x5A : 0x3C, g.mem.read8(SRC + i), "byte " + i);
        assertEquals(0, g.cpu.reg(Cpu.ECX));
    }

    @Test
    void repStosFillsWithEveryPatternSize() {
        TestGuest g = guest(0xF3, 0xAB, 0x66, 0xF3, 0xAB, 0xF3, 0xAA, 0xF4);  // rep stosl; rep stosw; rep stosb; hlt
        g.cpu.setReg(Cpu.EAX, 0x12345678);
        g.cpu.setReg(Cpu.EDI, DST + 2);
        g.cpu.setReg(Cpu.ECX, 2000);
        g.cpu.run(1);
        assertEquals(DST + 8002, g.cpu.reg(Cpu.EDI));
        for (int i = 0; i < 2000; i++) assertEquals(0x12345678, g.mem.read32(DST + 2 + 4 * i));
        g.cpu.setReg(Cpu.ECX, 3000);
        g.cpu.run(1);
        for (int i = 0; i < 3000; i++) assertEquals(0x5678, g.mem.read32(DST + 8002 + 2 * i) & 0xFFFF);
        g.cpu.setReg(Cpu.ECX, 5000);
        g.cpu.run(1);
        for (int i = 0; i < 5000; i++) assertEquals(0x78, g.mem.read8(DST + 14002 + i));
        assertEquals(DST + 19002, g.cpu.reg(Cpu.EDI));
        assertEquals(0, g.mem.read8(DST + 19002));
    }
}

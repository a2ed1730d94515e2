package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The core fault-model checks with hand-encoded machine code, so they run without binutils. */
class HandEncodedTest {
    private static TestGuest guest(int... code) {
        TestGuest g = new TestGuest();
        for (int i = 0; i < code.length; i++) g.mem.write8(TestGuest.CODE + i, code[i]);
        g.cpu.setEip(TestGuest.CODE);
        return g;
    }

    @Test
    void userWriteToReadOnlyPage() {
        // mov $0x200004,%eax ; movl $1,(%eax)
        TestGuest g = guest(0xB8, 0x04, 0x00, 0x20, 0x00, 0xC7, 0x00, 0x01, 0x00, 0x00, 0x00);
        g.pte(0x200000, 5);
        g.enterUser();
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(14, g.last().vector());
        assertEquals(7, g.frame(0));
        assertEquals(TestGuest.CODE + 5, g.frame(1));
        assertEquals(0x200004, g.cpu.getCr2());
    }

    @Test
    void repMovsbProgress() {
        // mov $0x200ffe,%esi ; mov $0x300000,%edi ; mov $5,%ecx ; cld ; rep movsb
        TestGuest g = guest(0xBE, 0xFE, 0x0F, 0x20, 0x00, 0xBF, 0x00, 0x00, 0x30, 0x00, 0xB9, 0x05, 0x00, 0x00, 0x00,
                0xFC, 0xF3, 0xA4);
        g.pte(0x201000, 0);
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(TestGuest.CODE + 16, g.last().eip());
        assertEquals(3, g.cpu.reg(Cpu.ECX));
        assertEquals(0x201000, g.cpu.reg(Cpu.ESI));
        assertEquals(0x300002, g.cpu.reg(Cpu.EDI));
    }

    @Test
    void divideByZeroAndUd2() {
        TestGuest d = guest(0x31, 0xC9, 0xF7, 0xF1); // xor %ecx,%ecx ; div %ecx
        d.run();
        assertEquals(0, d.last().vector());
        assertEquals(TestGuest.CODE + 2, d.frame(0));
        TestGuest u = guest(0x90, 0x0F, 0x0B);       // nop ; ud2
        u.run();
        assertEquals(6, u.last().vector());
        assertEquals(TestGuest.CODE + 1, u.frame(0));
    }
}

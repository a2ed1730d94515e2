package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * x87 instructions inside translated blocks ({@link X87Emitter}): each program runs interpreted
 * and with every block translated on its first start, and the whole state must agree (registers,
 * EIP, flags, instruction count, exceptions, the FNSAVE image of the unit, memory results), and
 * the x87 instructions must not split the blocks. Needs GNU as (GnuAs skips without it).
 */
class X87TranslationTest {
    static final int DATA = 0x200000;

    private static TestGuest guest(int translate, String source) {
        TestGuest g = new TestGuest();
        g.cpu.setTranslateThreshold(translate);
        g.load(source);
        for (int k = 0; k < 16; k++) g.mem.write32(DATA + 0x100 + 8 * k, 0);
        return g;
    }

    private static String state(TestGuest g) {
        StringBuilder b = new StringBuilder(g.cpu + String.format(" insns=%d events=%s fpu=", g.cpu.instructionCount(), g.events));
        for (byte x : g.cpu.fpuSaveFnsave()) b.append(String.format("%02x", x));
        b.append(" mem=");
        for (int k = 0; k < 64; k++) b.append(String.format("%08x", g.mem.read32(DATA + 4 * k)));
        return b.toString();
    }

    /** Runs {@code source} interpreted and translated; returns the translated guest after checking both agree. */
    private static TestGuest same(String source) {
        TestGuest interpreted = guest(0, source), translated = guest(1, source);
        assertEquals(StopReason.HALTED, interpreted.run());
        assertEquals(StopReason.HALTED, translated.run());
        assertEquals(state(interpreted), state(translated));
        assertEquals(0, translated.cpu.translationFailures(), "every block could be translated");
        return translated;
    }

    /** A loop of loads, arithmetic, compares and stores: one block for the entry and the loop it jumps back into, none split. */
    @Test
    void anFpLoopIsOneBlock() {
        TestGuest g = same("""
                movl $0x200000, %esi
                movl $0x40000000, 4(%esi)     # 2.0 as a double
                movl $0, (%esi)
                movl $100, %ecx
                fld1
                fldz
                L: faddl (%esi)
                fmul %st(1), %st
                fsqrt
                fcoml (%esi)
                fnstsw %ax
                fstl 8(%esi)
                fistpl 16(%esi)
                fldl 8(%esi)
                decl %ecx
                jnz L
                fstpt 32(%esi)
                fninit
                hlt
                """);
        assertEquals(1, g.cpu.translatedBlocks(), "the entry block, whose jump back to L is chained: the loop needs no block of its own");
        assertEquals(6 + 100 * 10 + 3, g.cpu.instructionCount());
        assertEquals(2, g.mem.read32(DATA + 16), "fistpl: round(sqrt(x + 2)) converges to 2");
    }

    /** fnstsw %ax writes AX in the middle of a block whose EAX lives in a local. */
    @Test
    void fnstswAxMergesIntoTheRegisterLocal() {
        TestGuest g = same("movl $0x12345678, %eax\n fld1\n fchs\n ftst\n fnstsw %ax\n addl $0x10000, %eax\n"
                + " fstp %st(0)\n movl %eax, 0x200000\n hlt");
        assertEquals(0x1235_3900, g.cpu.reg(Cpu.EAX), "C0 (below zero) and TOP 7 in AX; the high half kept and added to");
    }

    /** A store that page-faults inside a block restarts at that store, the unit unchanged, the registers current. */
    @Test
    void aPageFaultInsideABlockRestartsTheStore() {
        String src = "movl $7, %ebx\n fldpi\n incl %ebx\n movl $0x201ffc, %eax\n fstpl (%eax)\n incl %ebx\n hlt";
        TestGuest interpreted = guest(0, src), translated = guest(1, src);
        for (TestGuest g : new TestGuest[] {interpreted, translated}) {
            g.pte(DATA + 0x2000, 0);
            assertEquals(StopReason.HALTED, g.run());
            assertEquals(Vector.PF, g.last().vector());
            assertEquals(8, g.cpu.reg(Cpu.EBX), "the inc before the store, not the one after");
            assertEquals(7 << 11, g.cpu.fpuStatusWord() & 0x3800, "no pop");
        }
        assertEquals(state(interpreted), state(translated));
        assertTrue(translated.cpu.translatedBlocks() > 0);
    }

    /** An unmasked division by zero inside a block: #MF at the next waiting instruction, with its EIP. */
    @Test
    void mfInsideABlockIsRaisedAtTheNextWaitingInstruction() {
        TestGuest g = same("movl $0x37B, 0x200100\n fldcw 0x200100\n movl $5, %edx\n fldz\n fld1\n fdivp %st,%st(1)\n"
                + " incl %edx\n fnstsw 0x200010\n fwait\n incl %edx\n hlt");
        assertEquals(Vector.MF, g.last().vector());
        assertEquals(6, g.cpu.reg(Cpu.EDX));
        assertEquals(3, g.cpu.fpuSiCode(), "FPE_FLTDIV");
        assertEquals(0x84, g.mem.read16(DATA + 0x10) & 0xFF, "ZE and ES stored by fnstsw");
    }
}

package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InterruptTest {
    static final int KCODE = 0x20000;

    /** A ring-0 int 0x80 handler that adds 100 to EAX and returns with iret. */
    private static TestGuest withSyscallHandler() {
        TestGuest g = new TestGuest();
        g.load("addl $100, %eax\n iret\n", KCODE);
        g.gate(0x80, KCODE, 0xE, 3);
        return g;
    }

    @Test
    void int80FromRingThreeSwitchesStacksAndIretReturns() {
        TestGuest g = withSyscallHandler();
        g.load("movl $1, %eax\n int $0x80\n done: jmp done\n");
        g.enterUser();
        g.cpu.setEflags(0x202);
        int done = TestGuest.CODE + 7;
        // Stop at the handler's first instruction to inspect the frame.
        assertEquals(StopReason.REACHED_ADDRESS, g.cpu.runUntil(KCODE, 100));
        assertEquals(0, g.cpu.getCpl());
        assertEquals(TestGuest.KSTACK_TOP - 20, g.cpu.reg(Cpu.ESP));
        assertEquals(TestGuest.KDS, g.cpu.segment(Cpu.SEG_SS).selector());
        assertEquals(done, g.frame(0), "EIP after int");
        assertEquals(TestGuest.UCS, g.frame(1));
        assertEquals(0x202, g.frame(2) & 0xFFF);
        assertEquals(TestGuest.USTACK_TOP, g.frame(3));
        assertEquals(TestGuest.UDS, g.frame(4));
        assertEquals(0, g.cpu.getEflags() & 0x200, "interrupt gate clears IF");
        ExceptionEvent e = g.last();
        assertTrue(e.software());
        assertEquals(-1, e.errorCode());
        assertEquals(3, e.cpl());

        assertEquals(StopReason.REACHED_ADDRESS, g.cpu.runUntil(done, 100));
        assertEquals(101, g.cpu.reg(Cpu.EAX));
        assertEquals(3, g.cpu.getCpl());
        assertEquals(TestGuest.USTACK_TOP, g.cpu.reg(Cpu.ESP));
        assertEquals(TestGuest.UCS, g.cpu.segment(Cpu.SEG_CS).selector());
        assertEquals(TestGuest.UDS, g.cpu.segment(Cpu.SEG_SS).selector());
        assertEquals(0x200, g.cpu.getEflags() & 0x200, "IF restored by iret");
    }

    @Test
    void intWithGateDplBelowCplIsGeneralProtection() {
        TestGuest g = new TestGuest();
        g.load("nop\n int $0x81\n");
        g.enterUser();
        g.run();
        assertEquals(2, g.events.size());
        assertEquals(0x81, g.events.get(0).vector());
        ExceptionEvent gp = g.events.get(1);
        assertEquals(13, gp.vector());
        assertEquals(0x81 * 8 + 2, gp.errorCode());
        assertEquals(TestGuest.CODE + 1, gp.eip(), "the fault points at the int instruction");
        assertEquals(0x81 * 8 + 2, g.frame(0));
        assertEquals(TestGuest.CODE + 1, g.frame(1));
    }

    @Test
    void notPresentGateIsNp() {
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.IDT + 0x40 * 8 + 4, g.mem.read32(TestGuest.IDT + 0x40 * 8 + 4) & ~0x8000);
        g.load("int $0x40\n");
        g.run();
        assertEquals(11, g.last().vector());
        assertEquals(0x40 * 8 + 2, g.frame(0));
    }

    @Test
    void privilegedInstructionsInRingThree() {
        String[] insns = {"cli", "sti", "hlt", "movl %eax, %cr3", "movl %cr0, %eax", "lgdt (0x1000)", "lidt (0x1000)",
            "ltr %ax", "invlpg (0)", "inb $0x60, %al", "outb %al, $0xe9", "clts", "wbinvd"};
        for (String insn : insns) {
            TestGuest g = new TestGuest();
            g.load("nop\n" + insn + "\n");
            g.enterUser();
            g.run();
            assertEquals(13, g.last().vector(), insn);
            assertEquals(0, g.last().errorCode(), insn);
            assertEquals(TestGuest.CODE + 1, g.frame(1), insn);
        }
    }

    @Test
    void ioAllowedInRingThreeWithIopl3() {
        TestGuest g = new TestGuest();
        g.load("movb $'h', %al\n outb %al, $0xe9\n movb $'i', %al\n outb %al, $0xe9\n int $0x80\n");
        g.enterUser();
        g.cpu.setEflags(0x3002);
        g.run();
        assertEquals(0x80, g.last().vector());
        assertEquals("hi", g.m.consoleText());
    }

    @Test
    void divideErrors() {
        TestGuest g = new TestGuest();
        g.load("movl $5, %eax\n xorl %edx, %edx\n xorl %ecx, %ecx\n divl %ecx\n");
        g.run();
        assertEquals(0, g.last().vector());
        assertEquals(-1, g.last().errorCode());
        assertEquals(TestGuest.CODE + 9, g.frame(0));
        assertEquals(5, g.cpu.reg(Cpu.EAX));

        TestGuest o = new TestGuest();
        o.load("movl $0x80000000, %eax\n movl $-1, %edx\n movl $-1, %ecx\n idivl %ecx\n");
        o.run();
        assertEquals(0, o.last().vector(), "quotient overflow");

        TestGuest q = new TestGuest();
        q.load("movl $0, %eax\n movl $2, %edx\n movl $2, %ecx\n divl %ecx\n");
        q.run();
        assertEquals(0, q.last().vector(), "quotient does not fit in 32 bits");
    }

    @Test
    void undefinedOpcodes() {
        for (String bytes : new String[] {"ud2", ".byte 0x0f, 0xff", ".byte 0xf0, 0x90" /* lock nop */, ".byte 0xf0, 0x89, 0x03" /* lock mov */,
            ".byte 0x8c, 0xf8" /* mov %?s (seg 7) */, ".byte 0x0f, 0x20, 0xc8" /* mov %cr1 */}) {
            TestGuest g = new TestGuest();
            g.load("nop\n" + bytes + "\n");
            g.run();
            assertEquals(6, g.last().vector(), bytes);
            assertEquals(TestGuest.CODE + 1, g.frame(0), bytes);
        }
    }

    @Test
    void doubleFaultWhenPageFaultGateIsNotPresent() {
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.IDT + 14 * 8 + 4, g.mem.read32(TestGuest.IDT + 14 * 8 + 4) & ~0x8000);
        g.pte(0x200000, 0);
        g.load("movl (0x200000), %eax\n");
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(2, g.events.size());
        assertEquals(14, g.events.get(0).vector());
        assertEquals(8, g.events.get(1).vector());
        assertEquals(0, g.frame(0), "#DF pushes error code 0");
        assertEquals(TestGuest.CODE, g.frame(1));
        assertEquals(TestGuest.haltedIn(8), g.cpu.getEip());
    }

    @Test
    void benignThenFaultIsDeliveredSerially() {
        // int3 whose gate is not present: #NP is delivered normally, not #DF.
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.IDT + 3 * 8 + 4, g.mem.read32(TestGuest.IDT + 3 * 8 + 4) & ~0x8000);
        g.load("int3\n");
        g.run();
        assertEquals(11, g.last().vector());
        assertEquals(3 * 8 + 2, g.frame(0));
    }

    @Test
    void tripleFaultWithEmptyIdt() {
        TestGuest g = new TestGuest();
        g.cpu.setIdtr(TestGuest.IDT, 0);
        g.load("xorl %ecx, %ecx\n divl %ecx\n");
        assertEquals(StopReason.TRIPLE_FAULT, g.run());
        // #DE's gate lies outside the IDT limit: the #GP that raises is contributory, so it becomes
        // #DF at once (the #GP itself is never delivered); #DF's gate is outside too: shutdown.
        assertEquals(2, g.events.size());
        assertEquals(0, g.events.get(0).vector());
        assertEquals(8, g.events.get(1).vector());
        assertEquals(0, g.events.get(1).errorCode());
        g.cpu.reset();
        assertFalse(g.cpu.isShutdown());
    }

    @Test
    void iretToRingThreeWithBadCodeSelectorFaults() {
        // Returning to a ring-3 frame whose CS is the kernel CS with RPL 3: DPL != RPL -> #GP(0x10).
        TestGuest g = new TestGuest();
        g.load("pushl $0x2b\n pushl $0x80000\n pushl $0x2\n pushl $0x13\n pushl $0x10000\n iret\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0x10, g.last().errorCode());
        assertEquals(TestGuest.CODE + 16, g.last().eip());
    }

    @Test
    void iretWithBadStackSelectorFaults() {
        TestGuest g = new TestGuest();
        g.load("pushl $0x1b\n pushl $0x80000\n pushl $0x2\n pushl $0x23\n pushl $0x10000\n iret\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0x18, g.last().errorCode(), "SS 0x1b: RPL 3 but kernel data DPL 0");
    }

    @Test
    void iretToUserNullsKernelDataSegments() {
        TestGuest g = new TestGuest();
        g.load("pushl $0x2b\n pushl $0x80000\n pushl $0x202\n pushl $0x23\n pushl $0x10100\n iret\n");
        g.mem.write8(0x10100, 0xEB); // jmp .
        g.mem.write8(0x10101, 0xFE);
        assertEquals(StopReason.REACHED_ADDRESS, g.cpu.runUntil(0x10100, 100));
        assertEquals(3, g.cpu.getCpl());
        assertEquals(0, g.cpu.segment(Cpu.SEG_DS).selector(), "DS held a DPL-0 selector");
        assertFalse(g.cpu.segment(Cpu.SEG_DS).usable());
        assertEquals(0x200, g.cpu.getEflags() & 0x200);
    }

    @Test
    void segmentLoadChecks() {
        TestGuest g = new TestGuest();
        g.load("movw $0x80, %ax\n movw %ax, %ds\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0x80, g.last().errorCode(), "beyond the GDT limit");

        TestGuest np = new TestGuest();
        np.descriptor(7, 0xFFFF, 0x00CF1200); // data, not present
        np.load("movw $0x38, %ax\n movw %ax, %es\n");
        np.run();
        assertEquals(11, np.last().vector());
        assertEquals(0x38, np.last().errorCode());

        TestGuest u = new TestGuest();
        u.load("movw $0x18, %ax\n movw %ax, %ds\n");
        u.enterUser();
        u.run();
        assertEquals(13, u.last().vector());
        assertEquals(0x18, u.last().errorCode(), "kernel data from ring 3");

        TestGuest nul = new TestGuest();
        nul.load("xorl %eax, %eax\n movw %ax, %ds\n movl (0x1000), %ebx\n");
        nul.run();
        assertEquals(13, nul.last().vector());
        assertEquals(0, nul.last().errorCode());
        assertEquals(TestGuest.CODE + 4, nul.last().eip(), "null DS loads fine, its use faults");
    }

    @Test
    void timerInterruptsWhenEnabled() {
        TestGuest g = new TestGuest();
        g.load("incl %ebx\n iret\n", KCODE);
        g.gate(0x20, KCODE, 0xE, 0);
        g.load("sti\n loop: incl %eax\n jmp loop\n");
        g.cpu.setTimer(100);
        g.cpu.run(10_000);
        int ticks = g.cpu.reg(Cpu.EBX);
        assertTrue(ticks >= 90 && ticks <= 100, "ticks " + ticks);
        assertTrue(g.last().external());
        assertEquals(0x20, g.last().vector());
    }

    @Test
    void hltWaitsForTimer() {
        TestGuest g = new TestGuest();
        g.load("incl %ebx\n iret\n", KCODE);
        g.gate(0x20, KCODE, 0xE, 0);
        g.load("sti\n loop: hlt\n jmp loop\n");
        g.cpu.setTimer(1000);
        g.cpu.run(100);
        assertTrue(g.cpu.reg(Cpu.EBX) >= 10, "each hlt skips to the next tick");
    }

    @Test
    void hltWithInterruptsDisabledStops() {
        TestGuest g = new TestGuest();
        g.load("cli\n hlt\n");
        assertEquals(StopReason.HALTED, g.run());
        assertTrue(g.cpu.isHalted());
        g.cpu.raiseIrq(1);
        assertEquals(StopReason.HALTED, g.run(), "IF=0: the IRQ stays pending");
    }

    @Test
    void popfRulesInRingThree() {
        TestGuest g = new TestGuest();
        // Try to set IOPL=3 and clear IF from ring 3 with IOPL 0: both ignored, no fault.
        g.load("pushl $0x3002\n popfl\n pushfl\n popl %eax\n int $0x80\n");
        g.enterUser();
        g.cpu.setEflags(0x202);
        g.run();
        assertEquals(0x80, g.last().vector());
        assertEquals(0x202, g.cpu.reg(Cpu.EAX) & 0x3202);
    }

    @Test
    void requestStopFromListener() {
        TestGuest g = new TestGuest();
        g.load("l: jmp l\n");
        g.cpu.setTimer(50);
        g.gate(0x20, TestGuest.CODE, 0xE, 0);
        g.cpu.setEflags(0x202);
        g.cpu.setExceptionListener((c, e) -> c.requestStop());
        assertEquals(StopReason.STOP_REQUESTED, g.cpu.run(1000));
        assertEquals(50, g.cpu.instructionCount());
    }

    @Test
    void timerPreemptsUserCodeThroughTheTss() {
        TestGuest g = new TestGuest();
        g.load("incl (0x300000)\n iret\n", KCODE);
        g.gate(0x20, KCODE, 0xE, 0);
        g.load("l: incl %eax\n jmp l\n");
        g.enterUser();
        g.cpu.setEflags(0x202);
        g.cpu.setTimer(1000);
        g.cpu.run(100_000);
        int ticks = g.mem.read32(0x300000);
        assertTrue(ticks >= 90 && ticks <= 100, "ticks " + ticks);
        assertEquals(3, g.last().cpl());
        assertTrue(g.last().external());
        assertEquals(-1, g.last().errorCode());
        if (g.cpu.getCpl() == 3) assertEquals(TestGuest.USTACK_TOP, g.cpu.reg(Cpu.ESP), "user stack intact after each iret");
    }

    @Test
    void singleStepTrapAfterTheInstructionFollowingPopf() {
        TestGuest g = new TestGuest();
        g.load("pushfl\n orl $0x100, (%esp)\n popfl\n nop\n nop\n");
        g.run();
        assertEquals(1, g.events.size());
        ExceptionEvent e = g.last();
        assertEquals(1, e.vector());
        assertEquals(TestGuest.CODE + 10, e.eip(), "trap after the nop (pushfl 1 + orl 7 + popfl 1 + nop 1)");
        assertEquals(TestGuest.CODE + 10, g.frame(0));
        assertTrue((g.frame(2) & 0x100) != 0, "pushed EFLAGS has TF");
        assertEquals(0, g.cpu.getEflags() & 0x100, "TF cleared in the handler");
        assertEquals(0x4000, g.cpu.get(dev.fixup.x86.Reg.DR6) & 0x4000);
    }
}

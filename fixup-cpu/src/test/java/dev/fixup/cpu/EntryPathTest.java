package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the kernel's entry and return paths rely on: segment pops that fault cleanly, pusha/popa, far transfers. */
class EntryPathTest {
    static final int KCODE = 0x20000;

    @Test
    void popOfBadSelectorFaultsAtThePopWithEspUnchanged() {
        TestGuest g = new TestGuest();
        g.load("pushl $0x2b\n pushl $0x43\n nop\n popl %ds\n popl %es\n hlt\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0x40, g.last().errorCode(), "selector index 8 is beyond the GDT");
        assertEquals(TestGuest.CODE + 5, g.last().eip()); // push imm8 is 2 bytes each, then nop
        assertEquals(TestGuest.KSTACK_TOP - 8, g.last().esp(), "nothing popped");
        // The handler's frame sits below the two pushed values.
        assertEquals(0x43, g.mem.read32(TestGuest.KSTACK_TOP - 8));
    }

    @Test
    void syscallEntryAndReturnLikeLinux() {
        TestGuest g = new TestGuest();
        // system_call: save all, call (here: add 1 to the saved eax), restore all, iret.
        g.load("pushl %eax\n pushl %es\n pushl %ds\n pushal\n"
                + " movl $0x18, %edx\n movl %edx, %ds\n movl %edx, %es\n"
                + " incl 0x28(%esp)\n"          // saved eax in the orig_eax slot (pushal 32 + ds + es)
                + " popal\n popl %ds\n popl %es\n popl %eax\n iret\n", KCODE);
        g.gate(0x80, KCODE, 0xE, 3);
        g.load("movl $41, %eax\n movl $5, %ebx\n int $0x80\n done: jmp done\n");
        g.enterUser();
        assertEquals(StopReason.REACHED_ADDRESS, g.cpu.runUntil(TestGuest.CODE + 12, 1000));
        assertEquals(42, g.cpu.reg(Cpu.EAX));
        assertEquals(5, g.cpu.reg(Cpu.EBX));
        assertEquals(TestGuest.UDS, g.cpu.segment(Cpu.SEG_DS).selector());
        assertEquals(TestGuest.UDS, g.cpu.segment(Cpu.SEG_ES).selector());
        assertEquals(3, g.cpu.getCpl());
        assertEquals(TestGuest.USTACK_TOP, g.cpu.reg(Cpu.ESP));
    }

    @Test
    void pushaIsAllOrNothing() {
        TestGuest g = new TestGuest();
        g.pte(0x200000, 0);
        g.mem.write32(0x201000, 0);
        g.load("movl $0x201010, %esp\n movl $1, %eax\n pushal\n");
        g.enterUser();
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(0x201010, g.last().esp());
        assertEquals(0x200ff0, g.cpu.getCr2());
        assertEquals(0, g.mem.read32(0x201000), "no part of the frame written");
    }

    @Test
    void farCallAndReturnSamePrivilege() {
        TestGuest g = new TestGuest();
        g.load("lcall $0x10, $f\n jmp done\n f: movl $9, %eax\n lret\n done: hlt\n");
        g.run();
        assertEquals(9, g.cpu.reg(Cpu.EAX));
        assertEquals(TestGuest.KSTACK_TOP, g.cpu.reg(Cpu.ESP));
        assertEquals(TestGuest.KCS, g.cpu.segment(Cpu.SEG_CS).selector());
    }

    @Test
    void farJumpToDataSegmentFaults() {
        TestGuest g = new TestGuest();
        g.load("ljmp $0x18, $0\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0x18, g.last().errorCode());
    }

    @Test
    void enterAndLeave() {
        TestGuest g = new TestGuest();
        g.load("movl $0x8000, %esp\n movl $0x1234, %ebp\n enter $16, $0\n movl %esp, %eax\n movl %ebp, %ebx\n leave\n hlt\n");
        g.run();
        assertEquals(0x8000 - 4 - 16, g.cpu.reg(Cpu.EAX));
        assertEquals(0x8000 - 4, g.cpu.reg(Cpu.EBX));
        assertEquals(0x8000, g.cpu.reg(Cpu.ESP));
        assertEquals(0x1234, g.cpu.reg(Cpu.EBP));
    }

    @Test
    void sixteenBitAddressingAndOperands() {
        TestGuest g = new TestGuest();
        g.mem.write16(0x1234 + 0x10, 0xBEEF);
        g.load("movl $0xffff1234, %ebx\n movl $0x10, %esi\n addr16 movw (%bx,%si), %ax\n"
                + " movl $0xffffffff, %ecx\n movw $2, %cx\n 1: loopw 1b\n hlt\n");
        g.run();
        assertEquals(0xBEEF, g.cpu.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(0xFFFF0000, g.cpu.reg(Cpu.ECX), "addr16 loop counts CX only");
    }

    @Test
    void segmentLimitViolationIsGeneralProtection() {
        TestGuest g = new TestGuest();
        g.descriptor(7, 0x00000fff, 0x00409200); // data, base 0, limit 0xfff bytes
        g.load("movw $0x38, %ax\n movw %ax, %fs\n movl %fs:0xffc, %ebx\n movl %fs:0xffd, %ecx\n");
        g.run();
        assertEquals(13, g.last().vector());
        assertEquals(0, g.last().errorCode());
        assertEquals(TestGuest.CODE + 13, g.last().eip());
    }

    @Test
    void stackSwitchFaultOnBadTssStackIsInvalidTss() {
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.TSS + 8, TestGuest.UDS); // SS0 with RPL 3: not usable for ring 0
        g.load("int $0x80\n");
        g.enterUser();
        g.run();
        assertEquals(0x80, g.events.get(0).vector());
        assertEquals(10, g.events.get(1).vector());
        assertEquals(TestGuest.UDS & 0xFFFC, g.events.get(1).errorCode());
    }
}

package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageFaultTest {
    static final int DATA = 0x200000;

    private TestGuest faultAt(String code, boolean user, int dataPte) {
        TestGuest g = new TestGuest();
        g.pte(DATA, dataPte);
        g.load(code);
        if (user) g.enterUser();
        assertEquals(StopReason.HALTED, g.run());
        return g;
    }

    @Test
    void notPresentReadInRingZero() {
        TestGuest g = faultAt("movl $0x200010, %eax\n movl $5, %ebx\n movl (%eax), %ebx\n hlt", false, 0);
        assertEquals(TestGuest.haltedIn(14), g.cpu.getEip());
        assertEquals(0x200010, g.cpu.getCr2());
        assertEquals(0, g.frame(0), "error code: not present, read, supervisor");
        assertEquals(TestGuest.CODE + 10, g.frame(1), "EIP of the faulting mov");
        assertEquals(TestGuest.KCS, g.frame(2));
        assertEquals(5, g.cpu.reg(Cpu.EBX), "destination untouched");
        ExceptionEvent e = g.last();
        assertEquals(14, e.vector());
        assertEquals(0x200010, e.cr2());
        assertEquals(TestGuest.CODE + 10, e.eip());
        assertEquals("v=0e e=0000 cr2=00200010 eip=00010000a cpl=0".replace("00010000a", String.format("%08x", TestGuest.CODE + 10)), e.toString());
    }

    @Test
    void notPresentWriteFromUser() {
        TestGuest g = faultAt("movl $0x200ffe, %eax\n movl $1, (%eax)\n", true, 0);
        assertEquals(0x200ffe, g.cpu.getCr2());
        assertEquals(6, g.frame(0));
        assertEquals(TestGuest.CODE + 5, g.frame(1));
        assertEquals(TestGuest.UCS, g.frame(2));
        assertEquals(TestGuest.USTACK_TOP, g.frame(4), "user ESP pushed on the ring-0 stack");
        assertEquals(TestGuest.UDS, g.frame(5));
        assertEquals(TestGuest.KSTACK_TOP - 24, g.cpu.reg(Cpu.ESP));
    }

    @Test
    void writeToReadOnlyPageFromUser() {
        TestGuest g = faultAt("movl $0x200004, %eax\n movl (%eax), %ebx\n movl $1, (%eax)\n", true, 5);
        assertEquals(0x200004, g.cpu.getCr2());
        assertEquals(7, g.frame(0), "protection, write, user");
        assertEquals(TestGuest.CODE + 7, g.frame(1));
    }

    @Test
    void ringZeroWriteToReadOnlyFaultsWithWriteProtect() {
        TestGuest g = faultAt("movl $0x200008, %eax\n movb $1, (%eax)\n", false, 5);
        assertEquals(3, g.frame(0), "protection, write, supervisor");
        assertEquals(0x200008, g.cpu.getCr2());
    }

    @Test
    void ringZeroWriteToReadOnlySucceedsWithoutWriteProtect() {
        TestGuest g = new TestGuest();
        g.pte(DATA, 5);
        g.cpu.setCr0(g.cpu.getCr0() & ~Cpu.CR0_WP);
        g.load("movl $0x200008, %eax\n movl $0x1234, (%eax)\n movl (%eax), %ebx\n int $3\n");
        g.run();
        assertEquals(3, g.last().vector());
        assertEquals(1, g.events.size());
        assertEquals(0x1234, g.mem.read32(0x200008));
        assertEquals(0x1234, g.cpu.reg(Cpu.EBX));
    }

    @Test
    void userAccessToSupervisorPage() {
        TestGuest g = faultAt("movl $0x200100, %eax\n movl (%eax), %ebx\n", true, 3);
        assertEquals(5, g.frame(0), "protection, read, user");
        TestGuest w = faultAt("movl $0x200100, %eax\n movl %ebx, (%eax)\n", true, 3);
        assertEquals(7, w.frame(0), "protection, write, user");
    }

    @Test
    void supervisorBitInDirectoryEntryAlsoProtects() {
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.PD, TestGuest.PT | 3); // directory entry: supervisor only
        g.load("movl (0x200000), %ebx\n", TestGuest.CODE);
        // Code itself lives in a supervisor page now: the fetch faults first.
        g.enterUser();
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(5, g.frame(0));
        assertEquals(TestGuest.CODE, g.cpu.getCr2(), "instruction fetch fault: CR2 = EIP");
    }

    @Test
    void faultEipIsFirstPrefixByte() {
        // 0x64 (fs), 0x66 (operand size) then mov: EIP must point at the fs prefix.
        TestGuest g = faultAt("movl $0x200000, %eax\n nop\n .byte 0x64, 0x66\n movw (%eax), %bx\n", false, 0);
        assertEquals(TestGuest.CODE + 6, g.frame(1));
        assertEquals(TestGuest.CODE + 6, g.last().eip());
    }

    @Test
    void pushFaultRestoresEsp() {
        TestGuest g = new TestGuest();
        g.pte(DATA, 0);
        g.load("movl $0x201000, %esp\n pushl $7\n");
        g.enterUser();
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(0x200ffc, g.cpu.getCr2());
        assertEquals(6, g.frame(0));
        assertEquals(TestGuest.CODE + 5, g.frame(1));
        assertEquals(0x201000, g.frame(4), "ESP as before the push");
    }

    @Test
    void pageFaultOnTheSameStackIsDoubleThenTripleFault() {
        TestGuest g = new TestGuest();
        g.pte(DATA, 0);
        g.load("movl $0x201000, %esp\n pushl $7\n");
        assertEquals(StopReason.TRIPLE_FAULT, g.run());
        assertEquals(14, g.events.get(0).vector());
        assertEquals(8, g.events.get(1).vector());
        assertEquals(0, g.events.get(1).errorCode());
        assertTrue(g.cpu.isShutdown());
        assertEquals(StopReason.TRIPLE_FAULT, g.cpu.run(10), "stays shut down until reset");
    }

    @Test
    void crossPageAccessFaultsOnSecondPageWithoutWritingFirst() {
        TestGuest g = new TestGuest();
        g.pte(DATA + 0x1000, 0);
        g.mem.write32(DATA + 0xFFC, 0);
        g.load("movl $0x200ffe, %eax\n movl $0xaabbccdd, (%eax)\n");
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(0x201000, g.cpu.getCr2());
        assertEquals(2, g.frame(0));
        assertEquals(0, g.mem.read32(DATA + 0xFFC), "first page untouched");
    }

    @Test
    void repMovsbKeepsProgressAtPageBoundary() {
        TestGuest g = new TestGuest();
        g.pte(DATA + 0x1000, 0);
        for (int i = 0; i < 16; i++) g.mem.write8(DATA + 0xFF8 + i, 0x40 + i);
        g.load("cld\n movl $0x200ff8, %esi\n movl $0x300000, %edi\n movl $16, %ecx\n rep movsb\n hlt\n");
        g.run();
        assertEquals(14, g.last().vector());
        assertEquals(0x201000, g.cpu.getCr2());
        assertEquals(0, g.frame(0));
        assertEquals(TestGuest.CODE + 16, g.frame(1), "EIP at the rep prefix");
        assertEquals(8, g.cpu.reg(Cpu.ECX), "eight bytes copied, eight left");
        assertEquals(0x201000, g.cpu.reg(Cpu.ESI));
        assertEquals(0x300008, g.cpu.reg(Cpu.EDI));
        for (int i = 0; i < 8; i++) assertEquals(0x40 + i, g.mem.read8(0x300000 + i));
        assertEquals(0, g.mem.read8(0x300008));
    }

    @Test
    void repMovslFaultOnDestination() {
        TestGuest g = new TestGuest();
        g.pte(0x301000, 5); // read-only destination page
        g.load("cld\n movl $0x100000, %esi\n movl $0x300ff8, %edi\n movl $4, %ecx\n rep movsl\n hlt\n");
        g.run();
        assertEquals(0x301000, g.cpu.getCr2());
        assertEquals(3, g.frame(0));
        assertEquals(2, g.cpu.reg(Cpu.ECX));
        assertEquals(0x100008, g.cpu.reg(Cpu.ESI));
        assertEquals(0x301000, g.cpu.reg(Cpu.EDI));
    }

    @Test
    void accessedAndDirtyBits() {
        TestGuest g = new TestGuest();
        g.pte(DATA, 3);
        g.pte(DATA + 0x1000, 3);
        g.load("movl (0x200000), %eax\n movl %eax, (0x201000)\n int $3\n");
        g.run();
        assertEquals(0x23, g.pteValue(DATA) & 0x63, "read: accessed, not dirty");
        assertEquals(0x63, g.pteValue(DATA + 0x1000) & 0x63, "write: accessed and dirty");
        assertTrue((g.mem.read32(TestGuest.PD) & 0x20) != 0, "directory entry accessed");
    }

    @Test
    void firstWriteToCleanCachedPageSetsDirty() {
        TestGuest g = new TestGuest();
        g.pte(DATA, 3);
        // The read fills the TLB; the write must still walk and set D.
        g.load("movl (0x200000), %eax\n movl %eax, (0x200004)\n int $3\n");
        g.run();
        assertEquals(0x63, g.pteValue(DATA) & 0x63);
    }

    @Test
    void tlbStaysStaleUntilInvlpg() {
        TestGuest g = new TestGuest();
        g.mem.write32(0x200000, 0x11111111);
        g.mem.write32(0x280000, 0x22222222);
        g.load("movl (0x200000), %eax\n"
                + "movl $0x280007, (0x5800)\n" // PTE of 0x200000 -> frame 0x280000
                + "movl (0x200000), %ebx\n"
                + "invlpg (0x200000)\n"
                + "movl (0x200000), %ecx\n int $3\n");
        g.run();
        assertEquals(0x11111111, g.cpu.reg(Cpu.EAX));
        assertEquals(0x11111111, g.cpu.reg(Cpu.EBX), "stale TLB entry still used");
        assertEquals(0x22222222, g.cpu.reg(Cpu.ECX), "after invlpg the new mapping is seen");
    }

    @Test
    void cr3ReloadFlushesTlb() {
        TestGuest g = new TestGuest();
        g.mem.write32(0x200000, 0x11111111);
        g.mem.write32(0x280000, 0x22222222);
        g.load("movl (0x200000), %eax\n movl $0x280007, (0x5800)\n movl (0x200000), %ebx\n"
                + "movl %cr3, %edx\n movl %edx, %cr3\n movl (0x200000), %ecx\n int $3\n");
        g.run();
        assertEquals(0x11111111, g.cpu.reg(Cpu.EBX));
        assertEquals(0x22222222, g.cpu.reg(Cpu.ECX));
    }

    /** 0xC0000000 -> physical 0x400000 as a 4 MB page; two of its 4 KB pieces read (two TLB slots), then the entry moved to physical 0. */
    private TestGuest largePageRemapped(String invalidate) {
        TestGuest g = new TestGuest();
        g.mem.write32(0x7f0123, 0x11111111);
        g.mem.write32(0x3f0123, 0x22222222);
        g.mem.write32(0x200000, 0x33333333);
        g.mem.write32(0x280000, 0x44444444);
        g.mem.write32(TestGuest.PD + 0x300 * 4, 0x400000 | 0x83);
        g.cpu.setCr4(0x10);
        g.load("movl (0xc03f0123), %eax\n movl (0xc0000123), %eax\n movl (0x200000), %eax\n"
                + "movl $0x83, (" + (TestGuest.PD + 0x300 * 4) + ")\n"  // the 4 MB page now maps physical 0
                + "movl $0x280007, (0x5800)\n"                             // and 0x200000 maps frame 0x280000
                + invalidate
                + "movl (0xc03f0123), %ecx\n movl (0x200000), %edx\n int $3\n");
        g.run();
        return g;
    }

    @Test
    void invlpgInALargePageDropsEveryPieceOfIt() {
        TestGuest g = largePageRemapped("invlpg (0xc0000000)\n");
        assertEquals(0x22222222, g.cpu.reg(Cpu.ECX), "another 4 KB piece of the invalidated 4 MB page sees the new entry");
    }

    @Test
    void invlpgOfASmallPageLeavesLargePagesAlone() {
        TestGuest g = largePageRemapped("invlpg (0x200000)\n");
        assertEquals(0x44444444, g.cpu.reg(Cpu.EDX), "the invalidated 4 KB page sees its new entry");
        assertEquals(0x11111111, g.cpu.reg(Cpu.ECX), "the 4 MB page's entries stay until they are invalidated");
    }

    @Test
    void largePagesWithPse() {
        TestGuest g = new TestGuest();
        g.mem.write32(0x400123, 0x5a5a5a5a);
        // 0xC0000000 -> physical 0x400000 as a 4 MB page (ring 0 only).
        g.mem.write32(TestGuest.PD + (0xC00 >> 2) * 4 * 1, 0); // keep entry 0x300 explicit below
        g.mem.write32(TestGuest.PD + 0x300 * 4, 0x400000 | 0x83);
        g.cpu.setCr4(0x10);
        g.load("movl (0xc0000123), %eax\n movl $1, (0xc0000200)\n int $3\n");
        g.run();
        assertEquals(0x5a5a5a5a, g.cpu.reg(Cpu.EAX));
        assertEquals(1, g.mem.read32(0x400200));
        assertEquals(0xE3, g.mem.read32(TestGuest.PD + 0x300 * 4) & 0xFFF, "A and D set in the 4 MB entry");
    }

    @Test
    void largePageIgnoredWithoutPse() {
        TestGuest g = new TestGuest();
        g.mem.write32(TestGuest.PD + 0x300 * 4, 0x400000 | 0x83);
        g.load("movl (0xc0000123), %eax\n int $3\n");
        g.run();
        // Without CR4.PSE the entry points at a "page table" at 0x400000 whose entries are zero.
        assertEquals(14, g.events.get(0).vector());
    }

    @Test
    void readOnlyMemorySourceWithRegisterDestinationDoesNotFault() {
        // Every ALU form whose memory operand is the source only reads it (found with gcc -O1 code in .rodata).
        String[] insns = {"xorb (%ecx), %dl", "orb (%ecx), %dl", "adcb (%ecx), %dl", "sbbb (%ecx), %dl", "subb (%ecx), %dl",
            "addw (%ecx), %dx", "andw (%ecx), %dx", "adcl (%ecx), %edx", "sbbl (%ecx), %edx", "addl (%ecx), %edx",
            "cmpl (%ecx), %edx", "xaddl %edx, %ebx", "cmpxchgl %ebx, %edx", "imull (%ecx), %edx", "btl %edx, (%ecx)"};
        for (String insn : insns) {
            TestGuest g = new TestGuest();
            g.pte(DATA, 5); // user read-only
            g.load("movl $0x200000, %ecx\n movl $1, %edx\n " + insn + "\n int $0x80\n");
            g.enterUser();
            g.run();
            assertEquals(0x80, g.last().vector(), insn);
        }
        TestGuest w = new TestGuest();
        w.pte(DATA, 5);
        w.load("movl $0x200000, %ecx\n adcb %dl, (%ecx)\n");
        w.enterUser();
        w.run();
        assertEquals(14, w.last().vector(), "memory destination still faults");
        assertEquals(7, w.last().errorCode());
    }
}

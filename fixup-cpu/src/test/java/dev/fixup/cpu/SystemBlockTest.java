package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The system instructions in translated blocks: int n, iret, far branches, sti/cli/popf, mov to CR3
 * and hlt as a block's last instruction, and the segment-register moves and cld of the kernel's
 * entry and exit paths done by the generated code. Each scenario runs interpreted (threshold 0)
 * and with every block translated at its first start (threshold 1); registers, EIP, flags, CR2,
 * segment selectors, the instruction count and every exception and interrupt delivered must agree.
 */
class SystemBlockTest {
    static final int KCODE = 0x20000, IRQ_HANDLER = 0x21000;

    /** A Linux-like system_call: save the user's segments and registers, load the kernel's, count, restore, iret. */
    static final String SYSTEM_CALL = "pushl %eax\n pushl %es\n pushl %ds\n pushal\n cld\n"
            + " movl $0x18, %edx\n movl %edx, %ds\n movl %edx, %es\n movl %es, %ecx\n"
            + " incl 0x28(%esp)\n addl %ecx, 0x18(%esp)\n"   // saved eax += 1, saved ecx += 0x18
            + " popal\n popl %ds\n popl %es\n popl %eax\n iret\n";

    private static String state(TestGuest g) {
        StringBuilder b = new StringBuilder(g.cpu.toString());
        for (int s = 0; s < 6; s++) b.append(' ').append(g.cpu.segment(s));
        return b.append(String.format(" cr2=%08x insns=%d events=%s", g.cpu.getCr2(), g.cpu.instructionCount(), g.events)).toString();
    }

    private static TestGuest run(int translate, Consumer<TestGuest> setUp, java.util.function.Function<TestGuest, Object> scenario,
            Object[] result) {
        TestGuest g = new TestGuest();
        g.cpu.setTranslateThreshold(translate);
        setUp.accept(g);
        result[0] = scenario.apply(g);
        return g;
    }

    /** Runs the scenario both ways; the translated guest, after checking that both agree. */
    private static TestGuest same(Consumer<TestGuest> setUp, java.util.function.Function<TestGuest, Object> scenario) {
        Object[] a = new Object[1], b = new Object[1];
        TestGuest interpreted = run(0, setUp, scenario, a), translated = run(1, setUp, scenario, b);
        assertEquals(a[0], b[0], "what the run returned");
        assertEquals(state(interpreted), state(translated));
        assertTrue(translated.cpu.translatedBlocks() > 0, "blocks were translated");
        assertEquals(0, translated.cpu.translationFailures(), "every block could be translated");
        return translated;
    }

    @Test
    void aSystemCallLoopRunsIntAndIretInsideBlocks() {
        int calls = 300;
        TestGuest g = same(t -> {
            t.load(SYSTEM_CALL, KCODE);
            t.gate(0x80, KCODE, 0xE, 3);
            t.load("movl $" + calls + ", %esi\n xorl %edi, %edi\n"
                    + " loop: int $0x80\n addl %eax, %edi\n decl %esi\n jnz loop\n"
                    + " int $0x81\n");                // a DPL 0 gate from ring 3: #GP, whose handler halts
            t.enterUser();
        }, TestGuest::run);
        assertEquals(calls * (calls + 1) / 2, g.cpu.reg(Cpu.EDI), "each call came back with eax + 1");
        assertEquals(calls * 0x18, g.cpu.reg(Cpu.ECX), "the kernel's es selector, moved out of es inside a block, added each call");
        ExceptionEvent last = g.last();
        assertEquals(Vector.GP, last.vector());
        assertEquals(0x81 * 8 + 2, last.errorCode());
        assertEquals(calls + 2, g.events.size(), "every int $0x80, the int $0x81 and its #GP");
        // The int and the iret are blocks' last instructions: each call makes two block runs
        // (the kernel path with its iret; the user's loop tail that goes round to the next int), none stepped.
        assertTrue(g.cpu.blockCalls >= 2L * (calls - 1), "block calls " + g.cpu.blockCalls);
    }

    @Test
    void runUntilTheHandlerStopsAfterTheIntOfABlock() {
        TestGuest g = same(t -> {
            t.load(SYSTEM_CALL, KCODE);
            t.gate(0x80, KCODE, 0xE, 3);
            t.load("loop: movl $7, %eax\n int $0x80\n jmp loop\n");
            t.enterUser();
        }, t -> {
            t.cpu.run(500);
            return t.cpu.runUntil(KCODE) + " " + t.cpu.getCpl() + " " + t.cpu.reg(Cpu.ESP);
        });
        assertEquals(KCODE, g.cpu.getEip());
        assertEquals(0, g.cpu.getCpl());
    }

    @Test
    void aSegmentLoadThatFaultsInsideABlockRestartsAtTheLoad() {
        TestGuest g = same(t -> t.load("movl $0x2b, %eax\n movl %eax, %ds\n pushl $0x2b\n pushl $0x43\n nop\n"
                + " popl %ds\n popl %es\n hlt\n"), TestGuest::run);
        assertEquals(Vector.GP, g.last().vector());
        assertEquals(0x40, g.last().errorCode(), "selector index 8 is beyond the GDT");
        assertEquals(TestGuest.CODE + 12, g.last().eip());
        assertEquals(TestGuest.KSTACK_TOP - 8, g.last().esp(), "nothing popped");
    }

    @Test
    void aSegmentPushThatFaultsKeepsEspAndTheRegistersBefore() {
        TestGuest g = same(t -> {
            t.pte(0x200000, 0);
            t.load("movl $5, %ebx\n movl $0x201000, %esp\n movl $6, %ebx\n pushl %ds\n movl $7, %ebx\n hlt\n");
            t.enterUser();
        }, TestGuest::run);
        assertEquals(Vector.PF, g.last().vector());
        assertEquals(0x201000, g.last().esp());
        assertEquals(0x200ffc, g.cpu.getCr2());
        assertEquals(6, g.cpu.reg(Cpu.EBX));
    }

    /**
     * cli, mov to CR3, sti, popf, a far jump and a far call with lret, each ending a block, in a
     * loop that a timer interrupts: every tick must land on the same instruction.
     */
    @Test
    void blockEndingSystemInstructionsUnderATimer() {
        TestGuest g = same(t -> {
            t.load("incl %edi\n iret\n", IRQ_HANDLER);
            t.gate(0x20, IRQ_HANDLER, 0xE, 0);
            t.load("movl $400, %ecx\n xorl %edi, %edi\n"
                    + " loop: cli\n movl %cr3, %eax\n movl %eax, %cr3\n sti\n pushfl\n popfl\n"
                    + " ljmp $0x10, $next\n next: lcall $0x10, $far\n decl %ecx\n jnz loop\n cli\n hlt\n"
                    + " far: addl $2, %esi\n lret\n");
            t.cpu.setTimer(97);
        }, t -> t.run());
        assertEquals(StopReason.HALTED, g.run());
        assertEquals(800, g.cpu.reg(Cpu.ESI));
        assertTrue(g.cpu.reg(Cpu.EDI) > 10, "ticks taken: " + g.cpu.reg(Cpu.EDI));
        assertEquals(g.cpu.reg(Cpu.EDI), g.events.size());
    }

    /**
     * The GDT is read afresh at each segment load: a descriptor rewritten in memory is seen by the
     * next load, and so is a new frame under the GDT's page once invlpg drops the old translation.
     */
    @Test
    void descriptorReadsFollowWritesAndRemaps() {
        TestGuest g = same(t -> {
            t.descriptor(7, 0x00000FFF, 0x00409210);                  // 0x38: base 0x100000
            t.mem.write(0x7000, t.mem.read(TestGuest.GDT, 0x1000));  // a copy of the GDT page ...
            t.mem.write32(0x7000 + 7 * 8 + 4, 0x00409230);            // ... where 0x38 has base 0x300000
            t.mem.write32(0x100010, 1);
            t.mem.write32(0x200010, 2);
            t.mem.write32(0x300010, 3);
            t.cpu.setReg(Cpu.ECX, 0x10);
            t.load("movl $0x38, %eax\n movl %eax, %ds\n movl (%ecx), %ebx\n"
                    + " movl $0x00409220, %es:0x103c\n movl %eax, %ds\n movl (%ecx), %esi\n"
                    + " movl $0x7007, %es:0x5004\n invlpg %es:0x1000\n movl %eax, %ds\n movl (%ecx), %edi\n hlt\n");
        }, TestGuest::run);
        assertEquals(1, g.cpu.reg(Cpu.EBX));
        assertEquals(2, g.cpu.reg(Cpu.ESI), "the rewritten descriptor");
        assertEquals(3, g.cpu.reg(Cpu.EDI), "the descriptor in the GDT page's new frame");
    }

    /** nop forms with a memory operand touch no memory; cld with a lock prefix is #UD, inside a block as in the interpreter. */
    @Test
    void nopsAccessNothingAndALockedCldIsInvalid() {
        TestGuest g = same(t -> {
            t.pte(0x200000, 0);
            t.load("movl $0x200000, %eax\n std\n nopl (%eax)\n nopw 0x10(%eax,%eax,1)\n movl $1, %ebx\n"
                    + " .byte 0xf0, 0xfc\n movl $2, %ebx\n hlt\n");
        }, TestGuest::run);
        assertEquals(Vector.UD, g.last().vector());
        assertEquals(1, g.cpu.reg(Cpu.EBX));
        assertEquals(Flags.DF, g.cpu.getEflags() & Flags.DF, "the locked cld changed nothing");
    }
}

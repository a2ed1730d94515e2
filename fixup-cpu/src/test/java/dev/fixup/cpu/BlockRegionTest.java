package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Blocks as regions ({@link Block}, {@link BlockGraph}): both sides of a conditional jump, forward
 * and backward targets on the page, and jumps into the middle of another instruction are in one
 * method, and the fault model, the instruction count, the timer and written code stay exact. Each
 * scenario runs interpreted (threshold 0) and translated on the first start (threshold 1), and the
 * whole visible state must agree ({@link BlockTranslationTest#same}).
 */
class BlockRegionTest {
    static final int CODE = TestGuest.CODE;

    private static TestGuest same(String source, Function<TestGuest, Object> scenario) {
        return BlockTranslationTest.same(GuestAssembler.assemble(source, CODE), scenario);
    }

    /** A loop with an if/else inside: odd counts add to EAX, even ones to EBX. */
    static final String IF_IN_LOOP = """
            movl $1000, %ecx
            xorl %eax, %eax
            xorl %ebx, %ebx
            L: testl $1, %ecx
            jz even
            addl %ecx, %eax
            jmp next
            even: addl %ecx, %ebx
            next: decl %ecx
            jnz L
            hlt
            """;

    @Test
    void aLoopWithAnIfInsideStaysInItsBlock() {
        TestGuest g = same(IF_IN_LOOP, TestGuest::run);
        assertEquals(500 * 500, g.cpu.reg(Cpu.EAX), "1 + 3 + ... + 999");
        assertEquals(500 * 501, g.cpu.reg(Cpu.EBX), "2 + 4 + ... + 1000");
        assertEquals(3 + 500 * 6 + 500 * 5 + 1, g.cpu.instructionCount(), "odd passes run the jmp too");
        assertTrue(g.cpu.blockCalls < 5, "both sides of the if stay inside the block: " + g.cpu.blockCalls + " calls");
    }

    /**
     * The straight run before a join leaves the block (at the hlt after A, which it cannot hold):
     * the count of the code after the join starts afresh, whatever the run before it had counted.
     */
    @Test
    void aJoinAfterAnExitCountsFromItsOwnEdges() {
        String source = """
                movl $50, %ecx
                xorl %eax, %eax
                L0: testl %ecx, %ecx
                jz A
                jmp L
                A: incl %eax
                incl %eax
                hlt
                L: decl %ecx
                jnz L0
                hlt
                """;
        TestGuest g = same(source, TestGuest::run);
        assertEquals(2 + 50 * 5 + 1, g.cpu.instructionCount());
        for (long n : new long[] {7, 8, 9, 10, 11, 12, 13, 100, 101, 102}) {
            assertEquals(n, same(source, t -> t.cpu.run(n)).cpu.instructionCount());
        }
    }

    /** An instruction budget ends the loop at the same instruction as the interpreter, whichever side it is on. */
    @Test
    void anInstructionBudgetEndsTheRegionExactly() {
        for (long n : new long[] {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100, 2999, 3001, 3002, 4999, 5003}) {
            TestGuest g = same(IF_IN_LOOP, t -> t.cpu.run(n));
            assertEquals(n, g.cpu.instructionCount());
        }
    }

    /**
     * Timer ticks whose handler counts them in EDI and returns: every tick lands after the same
     * instruction as in the interpreter (the events hold each interrupted EIP), for periods that
     * put ticks on either side of the if.
     */
    @Test
    void timerTicksLandOnTheSameInstructions() {
        for (int period : new int[] {3, 5, 7, 11, 13, 64, 777}) {
            TestGuest g = same(IF_IN_LOOP.replace("hlt", "cli\nhlt"), t -> {
                t.mem.write(TestGuest.HANDLERS + 0x20 * 4, new byte[] {0x47, (byte) 0xCF}); // incl %edi; iret
                t.cpu.setTimer(period);
                t.cpu.setEflags(t.cpu.getEflags() | Flags.IF);
                return t.run();
            });
            long ticks = g.events.stream().filter(e -> e.vector() == 0x20).count();
            assertEquals(ticks, g.cpu.reg(Cpu.EDI));
            assertTrue(ticks >= 5500 / period, "period " + period + ": " + ticks + " ticks");
            assertEquals(500 * 500, g.cpu.reg(Cpu.EAX));
        }
    }

    /** runUntil an address that only the second side of the if reaches stops there, with the interpreter's count. */
    @Test
    void runUntilAnInstructionOnTheOtherSideStopsThere() {
        byte[] code = GuestAssembler.assemble(IF_IN_LOOP, CODE);
        int even = CODE + 5 + 2 + 2 + 6 + 2 + 2 + 2; // mov, xor, xor, test, jz, add, jmp
        assertEquals(0x01, code[even - CODE] & 0xFF, "addl %ecx, %ebx at " + Integer.toHexString(even));
        TestGuest g = BlockTranslationTest.same(code, t -> {
            t.cpu.run(200); // the blocks are translated by now
            return t.cpu.runUntil(even) + " " + t.cpu.instructionCount();
        });
        assertEquals(even, g.cpu.getEip());
    }

    /** A loop whose side for ECX 3 runs {@code insns} with EDX pointing at an unmapped page. */
    private static TestGuest faultOnTheSecondPath(String insns) {
        return same("""
                movl $10, %ecx
                xorl %eax, %eax
                L: cmpl $3, %ecx
                jne skip
                """ + insns + """
                skip: addl $2, %eax
                decl %ecx
                jnz L
                hlt
                """, t -> {
                    t.cpu.setReg(Cpu.EDX, 0x900000);
                    return t.run();
                });
    }

    /** A load on the side of the if that runs once faults: the fault model and the count hold. */
    @Test
    void aFaultOnTheSecondPathKeepsTheFaultModel() {
        TestGuest g = faultOnTheSecondPath("pushl %ecx\nmovl (%edx), %eax\n");
        ExceptionEvent pf = g.events.get(0);
        assertEquals(Vector.PF, pf.vector());
        assertEquals(0x900000, g.cpu.getCr2());
        assertEquals(14, g.cpu.reg(Cpu.EAX), "seven passes added 2 before the fault");
        assertEquals(3, g.cpu.reg(Cpu.ECX));
        assertEquals(2 + 7 * 5 + 3 + 1, g.cpu.instructionCount(), "the push ran, the load did not; then the handler's hlt");
    }

    /** The same with an instruction the block hands to the interpreter (xadd with memory). */
    @Test
    void aFaultInAnInterpretedInstructionOnTheSecondPath() {
        TestGuest g = faultOnTheSecondPath("xaddl %eax, (%edx)\n");
        assertEquals(Vector.PF, g.events.get(0).vector());
        assertEquals(2 + 7 * 5 + 2 + 1, g.cpu.instructionCount(), "up to the jne, then the handler's hlt");
    }

    /**
     * Each pass writes the count into the immediate of an add further on in the block, on the side
     * of an if that runs on odd counts: that add must see every new value.
     */
    @Test
    void codeWrittenIntoALaterPartOfTheBlockIsSeen() {
        TestGuest g = same("""
                movl $9, %ecx
                xorl %eax, %eax
                L: movb %cl, P+2
                testl $1, %ecx
                jz Q
                P: addl $0, %eax
                Q: decl %ecx
                jnz L
                hlt
                """, TestGuest::run);
        assertEquals(9 + 7 + 5 + 3 + 1, g.cpu.reg(Cpu.EAX));
    }

    /**
     * A byte add turns the next instruction, xor %ebx,%ebx (its flags unseen: the add's are dead
     * in the code as translated), into sbb %ebx,%ebx, which reads the carry the add just made.
     */
    @Test
    void flagsOfAWriteThatRewritesTheNextInstructionAreKept() {
        TestGuest g = same("""
                clc
                movl $3, %ecx
                L: addb $0xE8, N
                N: xorl %ebx, %ebx
                movb $0x31, N
                decl %ecx
                jnz L
                hlt
                """, TestGuest::run);
        assertEquals(-1, g.cpu.reg(Cpu.EBX));
    }

    /**
     * Overlapping decodings: the jz goes to the second byte of a mov whose immediate holds
     * inc %eax; dec %ecx; jnz L. Both decodings of those bytes run, and meet again after the mov.
     */
    @Test
    void aJumpIntoTheMiddleOfAnInstruction() {
        byte[] code = {
            (byte) 0xB9, 10, 0, 0, 0,                 // 0: mov $10, %ecx
            0x31, (byte) 0xC0,                        // 5: xor %eax, %eax
            (byte) 0xF6, (byte) 0xC1, 1,              // 7: test $1, %cl
            0x74, 1,                                  // 10: jz 13
            (byte) 0xB8, 0x40, 0x49, 0x75, (byte) 0xF6, // 12: mov $0xF6754940, %eax; 13: inc %eax; 14: dec %ecx; 15: jnz 7
            0x49,                                     // 17: dec %ecx
            0x75, (byte) 0xF3,                        // 18: jnz 7
            (byte) 0xF4};                             // 20: hlt
        TestGuest g = BlockTranslationTest.same(code, TestGuest::run);
        assertEquals(0xF6754940, g.cpu.reg(Cpu.EAX), "the last pass (ECX 1) takes the mov");
        assertEquals(0, g.cpu.reg(Cpu.ECX));
        assertEquals(2 + 10 * 5 + 1, g.cpu.instructionCount());
        assertTrue(g.cpu.blockCalls < 5, "one block holds both decodings: " + g.cpu.blockCalls + " calls");
    }

    /** A call to a function further on the page and its return: the call is followed, the ret leaves. */
    @Test
    void aCallOnThePageIsFollowed() {
        TestGuest g = same("""
                movl $100, %ecx
                xorl %eax, %eax
                L: call f
                decl %ecx
                jnz L
                hlt
                f: testl $3, %ecx
                jnz 1f
                incl %eax
                1: ret
                """, t -> {
                    t.cpu.setReg(Cpu.ESP, 0x8000);
                    return t.run();
                });
        assertEquals(25, g.cpu.reg(Cpu.EAX));
    }
}

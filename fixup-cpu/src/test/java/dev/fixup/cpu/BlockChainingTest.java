package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Loops chained inside a translated block ({@link Block}): the block jumps back into itself instead
 * of returning to the run loop, and everything that must stop it still does: code written over the
 * loop, a code page mapped to other code, another address space, the timer, a stop request from
 * another thread. Each scenario runs interpreted (threshold 0) and translated on the first start
 * (threshold 1), and the whole visible state must agree.
 */
class BlockChainingTest {
    static final int CODE = TestGuest.CODE;

    /** Runs {@code scenario} on {@code source} interpreted and translated (see {@link BlockTranslationTest#same}). */
    private static TestGuest same(String source, Function<TestGuest, Object> scenario) {
        return BlockTranslationTest.same(GuestAssembler.assemble(source, CODE), scenario);
    }

    @Test
    void aLoopRunsInOneCallOfItsBlock() {
        TestGuest g = same("""
                movl $100000, %ecx
                xorl %eax, %eax
                L: addl %ecx, %eax
                decl %ecx
                jnz L
                hlt
                """, TestGuest::run);
        assertEquals(100000 * 100001 / 2, g.cpu.reg(Cpu.EAX));
        assertEquals(2 + 3 * 100000 + 1, g.cpu.instructionCount());
        assertTrue(g.cpu.blockCalls < 10, "the loop's passes stay inside the block: " + g.cpu.blockCalls + " calls");
    }

    /** A budget that ends inside the loop stops it at the same instruction as the interpreter. */
    @Test
    void anInstructionBudgetEndsAChainedLoopExactly() {
        String loop = "movl $1000, %ecx\n L: addl $3, %eax\n decl %ecx\n jnz L\n hlt\n";
        for (long n : new long[] {5, 6, 7, 8, 100, 2999, 3001, 3002}) {
            TestGuest g = same(loop, t -> t.cpu.run(n));
            assertEquals(n, g.cpu.instructionCount());
        }
    }

    /** The loop rewrites the immediate of its own first instruction each pass: every pass runs the new code. */
    @Test
    void codeWrittenOverTheLoopHeadIsSeenOnTheNextPass() {
        TestGuest g = same("""
                movl $10, %ecx
                xorl %eax, %eax
                L: addl $1, %eax
                movb %cl, L+2
                decl %ecx
                jnz L
                hlt
                """, TestGuest::run);
        assertEquals(1 + (10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2), g.cpu.reg(Cpu.EAX));
    }

    /**
     * The loop's page is mapped to another frame holding other code at the same offsets (what munmap
     * and mmap over code do, with the TLB shootdown): the run from the same EIP runs the new code.
     */
    @Test
    void aCodePageMappedToOtherCodeRunsTheNewCode() {
        String five = "movl $1000, %ecx\n L: addl $5, %eax\n decl %ecx\n jnz L\n hlt\n";
        byte[] other = GuestAssembler.assemble(five, CODE);
        int frame = 0x300000;
        TestGuest g = same("movl $1000, %ecx\n L: addl $3, %eax\n decl %ecx\n jnz L\n hlt\n", t -> {
            t.mem.write(frame, other);
            StopReason first = t.run();
            int sum = t.cpu.reg(Cpu.EAX);
            t.pte(CODE, 0); // unmapped, then mapped to the other frame
            t.cpu.invalidateTlb(CODE);
            t.mem.write32(TestGuest.PT + 4 * (CODE >>> 12), frame | 7);
            t.cpu.invalidateTlb(CODE);
            t.cpu.setReg(Cpu.EAX, 0);
            t.cpu.setEip(CODE);
            return first + " " + sum + " " + t.run();
        });
        assertEquals(5000, g.cpu.reg(Cpu.EAX));
    }

    /**
     * Two address spaces map the loop's linear page to different code (a process and the program it
     * exec'd, or the next task after a switch): reloading CR3 between runs runs each one's own code.
     */
    @Test
    void anotherAddressSpaceRunsItsOwnCode() {
        int pd2 = 0x310000, pt2 = 0x311000, frame = 0x312000;
        byte[] other = GuestAssembler.assemble("movl $1000, %ecx\n L: subl $7, %eax\n decl %ecx\n jnz L\n hlt\n", CODE);
        TestGuest g = same("movl $1000, %ecx\n L: addl $3, %eax\n decl %ecx\n jnz L\n hlt\n",
                t -> alternateAddressSpaces(t, pd2, pt2, CODE, frame, other));
        assertEquals(-7000, g.cpu.reg(Cpu.EAX));
    }

    /**
     * Makes a second address space (directory {@code pd2}, table {@code pt2}) that maps the page of
     * {@code page} to {@code frame}, holding {@code code}, and runs from CODE four times, switching CR3
     * between the two; returns each run's stop reason and EAX.
     */
    static String alternateAddressSpaces(TestGuest t, int pd2, int pt2, int page, int frame, byte[] code) {
        for (int i = 0; i < 1024; i++) t.mem.write32(pt2 + 4 * i, t.mem.read32(TestGuest.PT + 4 * i));
        t.mem.write32(pt2 + 4 * (page >>> 12), frame | 7);
        t.mem.write32(pd2, pt2 | 7);
        t.mem.write(frame, code);
        StringBuilder sums = new StringBuilder();
        for (int round = 0; round < 4; round++) {
            t.cpu.setCr3(round % 2 == 0 ? TestGuest.PD : pd2);
            t.cpu.setReg(Cpu.EAX, 0);
            t.cpu.setEip(CODE);
            sums.append(t.run()).append(' ').append(t.cpu.reg(Cpu.EAX)).append(' ');
        }
        return sums.toString();
    }

    /** A timer tick preempts a one-instruction loop (jmp to itself) at the same instruction count as the interpreter. */
    @Test
    void theTimerPreemptsATightChainedLoop() {
        TestGuest g = same("L: jmp L\n", t -> {
            t.cpu.setTimer(12345);
            t.cpu.setEflags(t.cpu.getEflags() | Flags.IF);
            return t.run();
        });
        assertEquals(1, g.events.size());
        assertEquals(0x20, g.events.get(0).vector());
        assertEquals(CODE, g.events.get(0).eip());
        assertEquals(12345 + 1, g.cpu.instructionCount(), "12,345 jumps, then the handler's hlt");
    }

    /** A stop request from another thread (a watchdog, a debugger's interrupt) ends a loop that never leaves its block. */
    @Test
    void aStopRequestFromAnotherThreadEndsAChainedLoop() throws Exception {
        TestGuest g = BlockTranslationTest.guest(1, GuestAssembler.assemble("L: jmp L\n", CODE));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            g.cpu.requestStop();
        });
        stopper.start();
        assertEquals(StopReason.STOP_REQUESTED, g.cpu.run(Long.MAX_VALUE));
        stopper.join();
        assertEquals(CODE, g.cpu.getEip());
        assertTrue(g.cpu.translatedBlocks() > 0);
    }
}

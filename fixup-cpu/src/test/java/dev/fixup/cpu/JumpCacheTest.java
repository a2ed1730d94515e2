package dev.fixup.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Going from block to block through the {@link JumpCache}: a loop calls a function on the next page,
 * so every call and every return ends a block and the next one is found by its linear address. Each
 * scenario changes what that address means between or during the calls (code written, the page
 * mapped to another frame, another address space, the translator turned off) and must give what the
 * interpreter gives: same registers, same instruction count, same exceptions.
 */
class JumpCacheTest {
    static final int CODE = TestGuest.CODE;
    /** The called function's page: the page after CODE's. */
    static final int F = CODE + 0x1000;
    /** A frame outside the identity-mapped code holding other code for F's page. */
    static final int OTHER = 0x300000;

    /** A loop of {@code n} calls to F, on the next page, which adds {@code add} to EAX. */
    private static String calls(int n, int add) {
        return "movl $" + n + ", %ecx\n L: call f\n decl %ecx\n jnz L\n hlt\n .balign 4096\n f: addl $" + add + ", %eax\n ret\n";
    }

    /** F's page of {@link #calls} with {@code add} in place of the original. */
    private static byte[] functionPage(int add) {
        byte[] all = GuestAssembler.assemble(calls(1, add), CODE);
        byte[] page = new byte[all.length - 0x1000];
        System.arraycopy(all, 0x1000, page, 0, page.length);
        return page;
    }

    private static TestGuest same(String source, Function<TestGuest, Object> scenario) {
        return BlockTranslationTest.same(GuestAssembler.assemble(source, CODE), scenario);
    }

    @Test
    void callsAndReturnsAcrossPagesKeepAnExactInstructionCount() {
        TestGuest g = same(calls(1000, 3), TestGuest::run);
        assertEquals(3000, g.cpu.reg(Cpu.EAX));
        assertEquals(1 + 1000 * 5 + 1, g.cpu.instructionCount());
        // Every call and every return enters another block: f's, and the region of the loop's tail
        // that goes on to the next call.
        assertTrue(g.cpu.blockCalls >= 2000, "every call and return enters another block: " + g.cpu.blockCalls);
    }

    /** Budgets that end before, inside and after the function's block stop at the interpreter's instruction. */
    @Test
    void aBudgetStopsBetweenCachedBlocksExactly() {
        for (long n : new long[] {2, 3, 4, 5, 6, 7, 500, 2001, 2003, 5001, 5002}) {
            TestGuest g = same(calls(1000, 3), t -> t.cpu.run(n));
            assertEquals(n, g.cpu.instructionCount());
        }
    }

    /** runUntil the function's return stops there, though the cache knows the block that follows. */
    @Test
    void runUntilStopsAtACachedBlock() {
        TestGuest g = same(calls(1000, 3), t -> {
            StringBuilder stops = new StringBuilder();
            for (int i = 0; i < 50; i++) stops.append(t.cpu.runUntil(CODE + 10, 1_000_000)).append(t.cpu.instructionCount()).append(' ');
            return stops.toString();
        });
        assertEquals(CODE + 10, g.cpu.getEip());
    }

    /** Each pass calls the function three times, then writes its immediate: the next pass runs the new code. */
    @Test
    void codeWrittenOnTheOtherPageIsSeenByTheNextCall() {
        TestGuest g = same("movl $10, %ecx\n L: call f\n call f\n call f\n movb %cl, f+2\n decl %ecx\n jnz L\n hlt\n"
                + ".balign 4096\n f: addl $1, %eax\n ret\n", TestGuest::run);
        assertEquals(3 * (1 + 10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2), g.cpu.reg(Cpu.EAX));
    }

    /** The host writes other code over the function between runs (what exec into the same frame does). */
    @Test
    void codeTheHostWritesReplacesTheCachedBlock() {
        TestGuest g = same(calls(1000, 3), t -> {
            String first = t.run() + " " + t.cpu.reg(Cpu.EAX);
            t.mem.write(F, functionPage(5));
            t.cpu.setReg(Cpu.EAX, 0);
            t.cpu.setEip(CODE);
            return first + " " + t.run();
        });
        assertEquals(5000, g.cpu.reg(Cpu.EAX));
    }

    /**
     * The guest itself maps the function's page to another frame half-way through the loop and
     * invalidates it with invlpg (munmap and mmap of code): the calls after it run the new code.
     */
    @Test
    void aPageTheGuestRemapsRunsTheNewCode() {
        String source = "movl $1000, %ecx\n L: call f\n cmpl $500, %ecx\n jne 1f\n"
                + "movl $" + (OTHER | 7) + ", " + (TestGuest.PT + 4 * (F >>> 12)) + "\n invlpg f\n"
                + "1: decl %ecx\n jnz L\n hlt\n .balign 4096\n f: addl $3, %eax\n ret\n";
        TestGuest g = same(source, t -> {
            t.mem.write(OTHER, functionPage(5));
            return t.run();
        });
        assertEquals(501 * 3 + 499 * 5, g.cpu.reg(Cpu.EAX));
    }

    /** Two address spaces map the function's page to different code; reloading CR3 between runs runs each one's own. */
    @Test
    void anotherAddressSpaceCallsItsOwnFunction() {
        int pd2 = 0x310000, pt2 = 0x311000;
        TestGuest g = same(calls(1000, 3), t -> BlockChainingTest.alternateAddressSpaces(t, pd2, pt2, F, OTHER, functionPage(-7)));
        assertEquals(-7000, g.cpu.reg(Cpu.EAX));
    }

    /** A threshold of 0 set between runs keeps every instruction in the interpreter, blocks found earlier included. */
    @Test
    void turningTranslationOffStopsCachedBlocks() {
        TestGuest g = BlockTranslationTest.guest(1, GuestAssembler.assemble(calls(1000, 3), CODE));
        g.run();
        long calls = g.cpu.blockCalls;
        assertTrue(calls > 0);
        g.cpu.setTranslateThreshold(0);
        g.cpu.setReg(Cpu.EAX, 0);
        g.cpu.setEip(CODE);
        g.run();
        assertEquals(3000, g.cpu.reg(Cpu.EAX));
        assertEquals(calls, g.cpu.blockCalls, "no block ran with translation off");
    }

    /** A host call placed on the function's page after its block was cached is called, not the block. */
    @Test
    void aHostCallPageReplacesACachedBlock() {
        TestGuest g = BlockTranslationTest.guest(1, GuestAssembler.assemble(calls(1000, 3), CODE));
        g.run();
        g.m.setHostCallPage(F, (c, offset) -> c.returnFromHostCall(c.reg(Cpu.EAX) + 100));
        g.cpu.setReg(Cpu.EAX, 0);
        g.cpu.setEip(CODE);
        g.run();
        assertEquals(100_000, g.cpu.reg(Cpu.EAX));
    }

    /** Two addresses whose hashes pick the same set both stay, each with its own block and frame. */
    @Test
    void twoAddressesOfOneSetBothStay() {
        int a = F, b = F + 1;
        while (JumpCache.index(b) != JumpCache.index(a)) b++;
        JumpCache j = new JumpCache();
        Block first = emptyBlock(), second = emptyBlock();
        j.put(a, true, 0x5000, first);
        j.put(b, true, 0x6000, second);
        int i = JumpCache.index(a);
        int wayA = j.keys[i] == j.key(a, true) ? i : i ^ 1, wayB = wayA ^ 1;
        assertEquals(j.key(a, true), j.keys[wayA]);
        assertEquals(j.key(b, true), j.keys[wayB]);
        assertEquals(first, j.blocks[wayA]);
        assertEquals(second, j.blocks[wayB]);
        assertEquals(0x5000, j.frames[wayA]);
        assertEquals(0x6000, j.frames[wayB]);
        j.clear();
        assertTrue(j.keys[wayA] != j.key(a, true) && j.keys[wayB] != j.key(b, true), "a new epoch matches no old key");
    }

    private static Block emptyBlock() {
        return new Block(new dev.fixup.x86.Insn[0], new int[0], 0, false, false) {
            @Override
            int run(Cpu c) {
                return c.eip;
            }
        };
    }
}

package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fixup.elf.ElfFile;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Sources built to hurt the assembler. Each gets GNU as's answer (recorded beside it, from GNU as 2.40
 * --32), or, where GNU as would write a file of gigabytes or run out of memory, one clear error line.
 */
class HostileInputTest {
    private static ElfFile ok(String source) throws AsmException {
        return Assembler.assemble("h.s", source);
    }

    private static List<String> errors(String source) {
        return assertThrows(AsmException.class, () -> ok(source)).diagnostics();
    }

    private static int word(ElfFile f, String section) {
        byte[] d = f.section(section).data;
        return (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16 | (d[3] & 0xff) << 24;
    }

    @Test
    void deepParenthesesAreEvaluated() throws AsmException {
        // GNU as: 2,000, 10,000 and 20,000 levels all assemble (.long 1)
        for (int depth : new int[] {2_000, 20_000}) {
            assertEquals(1, word(ok(".long " + "(".repeat(depth) + "1" + ")".repeat(depth) + "\n"), ".text"));
        }
        assertEquals(-1, word(ok(".long " + "-(".repeat(5_001) + "1" + ")".repeat(5_001) + "\n"), ".text"));
    }

    @Test
    void longChainsAreEvaluated() throws AsmException {
        // GNU as: 10,000 and 1,000,000 terms assemble
        assertEquals(1_000_000, word(ok(".long 1" + "+1".repeat(999_999) + "\n"), ".text"));
        // symbols are not folded while parsing: the evaluator walks a million-deep tree
        assertEquals(100_000, word(ok("one = 1\n.long one" + "+one".repeat(99_999) + "\n"), ".text"));
    }

    @Test
    void unbalancedParenthesesAreErrors() {
        assertEquals(List.of("h.s:1: error: missing ')'"), errors(".long ((1)\n"));
    }

    @Test
    void hundredEquatesInAChainAreNoLoop() throws AsmException {
        // GNU as accepts s0 = s1 + 1 ... s100 = 0 and stores 100
        String src = IntStream.range(0, 100).mapToObj(i -> "s" + i + " = s" + (i + 1) + " + 1\n").collect(Collectors.joining())
                + "s100 = 0\n.long s0\n";
        assertEquals(100, word(ok(src), ".text"));
    }

    @Test
    void aRealLoopIsStillFound() {
        assertEquals(List.of("h.s:3: error: symbol definition loop encountered at `a'"), errors("a = b\nb = a\n.long a\n"));
    }

    @Test
    void secondElseIsRefused() {
        // GNU as: duplicate ".else" / here is the previous ".else" / here is the previous ".if"
        List<String> expected = List.of("h.s:5: error: duplicate \".else\"", "h.s:3: error: here is the previous \".else\"",
                "h.s:1: error: here is the previous \".if\"");
        assertEquals(expected, errors(".if 1\n.long 1\n.else\n.long 2\n.else\n.long 3\n.endif\n"));
        assertEquals(expected, errors(".if 0\n.long 1\n.else\n.long 2\n.else\n.long 3\n.endif\n"));
        assertEquals(List.of("h.s:3: error: \".elseif\" after \".else\"", "h.s:2: error: here is the previous \".else\"",
                "h.s:1: error: here is the previous \".if\""), errors(".if 1\n.else\n.elseif 1\n.endif\n"));
    }

    @Test
    void hugeLocalLabelIsAnError() {
        // GNU as: "local label too large near 9999999999999999999:" (it reads label numbers into an int)
        assertEquals(List.of("h.s:1: error: local label too large near 9999999999999999999:"), errors("99999999999999999999:\n"));
    }

    @Test
    void largestLocalLabelIsAccepted() throws AsmException {
        ok("2147483647:\n jmp 2147483647b\n");
    }

    @Test
    void p2alignBeyond31IsClampedWithAWarning() {
        // GNU as warns "alignment too large: 31 assumed" and pads the file to 2 GiB; Fixup stops at its limit
        assertEquals(List.of("h.s:1: Warning: alignment too large: 31 assumed",
                "h.s:1: error: alignment 2147483648 is beyond Fixup's limit of 268435456"), errors(".p2align 32\n"));
    }

    @Test
    void hugeAlignmentsAreClearErrors() {
        // GNU as accepts both, and writes object files of 2 GiB and 1 GiB
        assertEquals(List.of("h.s:1: error: alignment 2147483648 is beyond Fixup's limit of 268435456"), errors(".p2align 31\n"));
        assertEquals(List.of("h.s:1: error: alignment 1073741824 is beyond Fixup's limit of 268435456"), errors(".align 0x40000000\n"));
    }

    @Test
    void hugeFillsAreClearErrors() {
        // GNU as writes a 4 GiB .text for .space 0xffffffff, 2 GiB for the .fill and the .org
        String limit = "h.s:1: error: section `.text' would grow beyond 268435456 bytes, Fixup's limit for an object";
        assertEquals(List.of(limit), errors(".space 0xffffffff\n"));
        assertEquals(List.of(limit), errors(".fill 0x7fffffff,1,0\n"));
        assertEquals(List.of(limit), errors(".fill 0x7fffffffffffffff,8,0\n"));
        assertEquals(List.of(limit), errors(".org 0x7fffffff\n"));
        assertEquals(List.of(limit.replace(":1:", ":2:")), errors(".space 0x8000000\n.space 0x8000001\n"));
        // many alignments, each within the limit, together beyond it
        assertEquals("h.s:4: error: section `.text' would grow beyond 268435456 bytes, Fixup's limit for an object",
                errors(".byte 1\n.balign 0x10000000\n.byte 1\n.balign 0x10000000\n").get(0));
    }

    @Test
    void hugeBssIsAClearError() {
        // GNU as makes a .bss of 0xfffffff0 bytes (NOBITS: nothing in the file); Fixup's sections stop at 256 MiB
        assertEquals(List.of("h.s:2: error: section `.bss' would grow beyond 268435456 bytes, Fixup's limit for an object"),
                errors(".bss\n.skip 0xfffffff0\n"));
    }

    @Test
    void largeBssTakesNoMemory() throws AsmException {
        ElfFile f = ok(".bss\n.skip 0x0fff0001\n.lcomm buf, 0x10\n");
        assertEquals(0x0fff0018, f.section(".bss").size); // GNU as: 0x0fff0018 too
    }

    @Test
    void doublingMacroIsAClearError() {
        // GNU as: "out of memory allocating 1073741808 bytes after a total of 60571648 bytes" (after 19 s)
        List<String> d = errors(".macro m a\n m \\a\\a\n.endm\n m x\n");
        assertEquals("h.s:2: error: expansion of macro `m' is longer than 4194304 characters, Fixup's limit", d.get(0));
    }
}

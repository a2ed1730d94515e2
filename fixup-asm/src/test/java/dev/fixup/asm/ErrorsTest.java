package dev.fixup.asm;

import dev.fixup.testkit.HostTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every diagnostic, in GNU as's wording; where GNU as is installed, its own message is checked too. */
class ErrorsTest {
    record Case(String source, String expected) {
        @Override public String toString() { return source.replace("\n", "|"); }
    }

    static List<Case> errors() {
        return List.of(
                new Case("\tmovl %eax, %ebx x", "t.S:1: error: junk `x' after register"),
                new Case("\t.foo 1", "t.S:1: error: unknown pseudo-op: `.foo'"),
                new Case("x:\nnop\nx:", "t.S:3: error: symbol `x' is already defined"),
                new Case("\tmovl %foo, %eax", "t.S:1: error: bad register name `%foo'"),
                new Case("\tjmp 1b", "t.S:1: error: backward ref to unknown label \"1:\""),
                new Case("\tnop\n\tjmp 1f", "t.S:2: error: local label `\"1\" (instance number 1 of a fb label)' is not defined"),
                new Case("\tbogus %eax", "t.S:1: error: no such instruction: `bogus %eax'"),
                new Case("\t.long 1 2", "t.S:1: error: junk at end of line, first unrecognized character is `2'"),
                new Case("\t.align 3", "t.S:1: error: alignment not a power of 2"),
                new Case("\tmovl $1, (%eax,%ebx,3)", "t.S:1: error: expecting scale factor of 1, 2, 4, or 8: got `3'"),
                new Case("\t.section", "t.S:1: error: missing name"),
                new Case("\t.endif", "t.S:1: error: \".endif\" without \".if\""),
                new Case("\t.else", "t.S:1: error: \".else\" without matching \".if\""),
                new Case("\t.if 1\n\tnop", "t.S:1: error: here is the start of the unterminated conditional"),
                new Case("\t.macro m\nnop", "t.S:1: error: unexpected end of file in macro `m' definition"),
                new Case("\t.err", "t.S:1: error: .err encountered"),
                new Case("\t.error \"custom\"", "t.S:1: error: custom"),
                new Case("\t.long undefined_a * 2", "t.S:1: error: invalid operands (*UND* and *ABS* sections) for `*'"),
                new Case("\t.data\n\t.long a - b\na:\n\t.text\nb:", "t.S:2: error: can't resolve .data - b"),
                new Case("\t.equiv e, 1\n\t.equiv e, 2", "t.S:2: error: symbol `e' is already defined"),
                new Case("\tmovl $1, %eax,", "t.S:1: error: expecting operand after ','; got nothing"),
                new Case("\tmovl", "t.S:1: error: number of operands mismatch for `mov'"),
                new Case("\tmovb $1, %eax", "t.S:1: error: `%eax' not allowed with `movb'"),
                new Case("\t.type x, @bogus", "t.S:1: error: unrecognized symbol type \"bogus\""),
                new Case("\tmovl 4(%eax, %ecx", "t.S:1: error: unbalanced parenthesis in operand 1."),
                new Case("\tloop faraway\n.fill 300,1,0\nfaraway:", "t.S:1: error: value of 300 too large for field of 1 byte at 00000001"),
                new Case("\tjmp *$1", "t.S:1: error: immediate operand illegal with absolute jump"),
                new Case("\t.bss\n\t.long 1", "t.S:2: error: attempt to store non-zero value in section `.bss'"),
                new Case("\t.section .x, \"q\"", "t.S:1: error: bad .section directive: want a,w,x,M,S,G,T in string"),
                new Case("\t.cfi_def_cfa_offset 8", "t.S:1: error: CFI instruction used without previous .cfi_startproc"),
                new Case("\t.cfi_startproc\n\tnop", "t.S:2: error: open CFI at the end of file; missing .cfi_endproc directive"));
    }

    static List<Case> warnings() {
        return List.of(
                new Case("\t.byte 300", "t.S:1: Warning: value 0x12c truncated to 0x2c"),
                new Case("\t.word 70000", "t.S:1: Warning: value 0x11170 truncated to 0x1170"),
                new Case("\t.popsection", "t.S:1: Warning: .popsection without corresponding .pushsection; ignored"),
                new Case("\t.previous", "t.S:1: Warning: .previous without corresponding .section; ignored"),
                new Case("\t.endm", "t.S:1: Warning: .endm encountered without preceding .macro"),
                new Case("\t.endr", "t.S:1: Warning: .endr encountered without preceding .rept, .irp, or .irpc"),
                new Case("\t.warning \"warned\"", "t.S:1: Warning: warned"),
                new Case("\t.long 1/0", "t.S:1: Warning: division by zero"),
                new Case("\t.ascii \"abc", "t.S:1: Warning: unterminated string; newline inserted"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void error(Case c) throws Exception {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble("t.S", c.source));
        assertTrue(e.diagnostics().contains(c.expected), "expected " + c.expected + " in " + e.diagnostics());
        for (String d : e.diagnostics()) assertTrue(d.matches("t\\.S:\\d+: (error|Warning|\\s+Info): .*"), d);
        gnuSays(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warnings")
    void warning(Case c) throws Exception {
        Assembler a = new Assembler();
        a.run("t.S", c.source);
        assertTrue(a.warnings().contains(c.expected), "expected " + c.expected + " in " + a.warnings());
        gnuSays(c);
    }

    /** When GNU as is here, it must print the same message (modulo "Error" vs "error" and line-less messages). */
    private static void gnuSays(Case c) throws Exception {
        if (!GnuAs.available()) return;
        Path dir = Files.createTempDirectory("fixup-err");
        Path src = dir.resolve("t.S");
        Files.writeString(src, c.source + "\n");
        String out = HostTools.run(dir, "as", "--32", "-o", dir.resolve("t.o").toString(), "t.S").out();
        String message = c.expected.substring(c.expected.indexOf(": ", c.expected.indexOf(':') + 1) + 2);
        message = message.substring(message.indexOf(": ") + 2);
        assertTrue(out.contains(message), "GNU as says:\n" + out + "\nwe say: " + c.expected);
        for (Path f : List.of(src, dir.resolve("t.o"))) Files.deleteIfExists(f);
        Files.delete(dir);
    }

    @Test
    void allErrorsAreCollected() {
        AsmException e = assertThrows(AsmException.class,
                () -> Assembler.assemble("many.S", "\t.foo\n\tnop\n\tmovl %bad, %eax\n\t.long 1 2\n"));
        List<String> expected = new ArrayList<>(List.of(
                "many.S:1: error: unknown pseudo-op: `.foo'",
                "many.S:3: error: bad register name `%bad'",
                "many.S:4: error: junk at end of line, first unrecognized character is `2'"));
        assertEquals(expected, e.diagnostics());
    }

    @Test
    void errorsInMacrosNameTheBodyLineAndEveryInvocation() {
        String src = ".macro m a\n nop\n .long 1 2\n.endm\n m 1\n.macro outer\n m 2\n.endm\n outer\n.rept 2\n .bar\n.endr\n";
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble("me.S", src));
        assertEquals(List.of(
                "me.S:3: error: junk at end of line, first unrecognized character is `2'",
                "me.S:5:  Info: macro invoked from here",
                "me.S:3: error: junk at end of line, first unrecognized character is `2'",
                "me.S:7:  Info: macro invoked from here",
                "me.S:9:   Info: macro invoked from here",
                "me.S:11: error: unknown pseudo-op: `.bar'",
                "me.S:11: error: unknown pseudo-op: `.bar'"), e.diagnostics());
    }

    @Test
    void neverAStackTrace() {
        String[] nasty = {"\u0000", "(((((", "\t.long ((1)", "$", "%", "\t.section ,", "1:1:1:", "\t.macro", "\t.rept x",
                "\tmovl (,%eax,), %ebx", "'", "\"", "\t.fill 1,2,", "\t.set", "\t= 3", ". = -1", "\t.org 5\n\t.org 1"};
        for (String s : nasty) {
            try {
                Assembler.assemble("n.S", s);
            } catch (AsmException e) {
                for (String d : e.diagnostics()) {
                    assertTrue(d.startsWith("n.S:"), d);
                    assertTrue(!d.contains("Exception") && !d.contains("internal error"), s + " -> " + d);
                }
            }
        }
    }
}

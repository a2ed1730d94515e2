package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.elf.ElfWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Structure-aware fuzzing of the assembler: generated sources of directives, expressions, labels,
 * conditionals, repetitions, macros and instructions, with sizes and counts that are either small or
 * hostile. Every source must give an object or "file:line:" diagnostics, never an internal error.
 * The suite runs a fixed budget (junit-platform.properties; more on demand with
 * -Djqwik.tries.default=N); a failing source is written to target/fuzz-crashes/, and once
 * fixed belongs in src/test/resources/fuzz-regressions/, which every run replays.
 */
class SourceFuzzTest {
    private static final Path REGRESSIONS = Path.of("src/test/resources/fuzz-regressions");

    @Property
    void generatedSourcesNeverReachAnInternalError(@ForAll("sources") String source) throws IOException {
        check(source);
    }

    @TestFactory
    Stream<DynamicTest> keptCrashesStayFixed() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(REGRESSIONS)) {
            files = s.filter(p -> p.toString().endsWith(".s")).sorted().toList();
        }
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(Files.readString(p))));
    }

    private static void check(String source) throws IOException {
        List<String> diagnostics = List.of();
        long t0 = System.nanoTime();
        try {
            ElfWriter.write(new Assembler().limitExpansions(100_000).run("f.s", source));
        } catch (AsmException e) {
            diagnostics = e.diagnostics();
            assertFalse(diagnostics.isEmpty());
        } catch (RuntimeException | StackOverflowError e) {
            keep(source);
            throw new AssertionError("escaped: " + e + "\n--- source:\n" + source, e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > 5_000) System.err.println("slow (" + ms + " ms):\n" + source);
        for (String d : diagnostics) {
            if (d.contains("internal error")) keep(source);
            assertTrue(d.startsWith("f.s:"), d);
            assertFalse(d.contains("internal error"), d + "\n--- source:\n" + source);
        }
    }

    private static void keep(String source) throws IOException {
        Path dir = Files.createDirectories(Path.of("target/fuzz-crashes"));
        Files.writeString(dir.resolve(Integer.toHexString(source.hashCode()) + ".s"), source);
    }

    // ------------------------------------------------------------------ the generator

    @Provide
    Arbitrary<String> sources() {
        return statement(true).list().ofMinSize(1).ofMaxSize(30).map(l -> String.join("\n", l) + "\n");
    }

    private static Arbitrary<String> symbol() {
        return Arbitraries.of("a", "b", "c", "sym", ".Lx", "s0", "s1", "m", "_start", "\"q x\"");
    }

    /** Mostly small; sometimes at the edges of 32 and 64 bits, where sizes and counts go wrong. */
    private static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 40).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("0x7fffffff", "0xffffffff", "0x80000000", "0x100000000", "0x10000000",
                        "0xffffffffffffffff", "9223372036854775807", "077", "0b101", "'a", "'\\n", "4294967296",
                        "99999999999999999999", "31", "32", "64", "-1")));
    }

    private static Arbitrary<String> expression() {
        Arbitrary<String> leaf = Arbitraries.frequencyOf(
                Tuple.of(5, number()), Tuple.of(3, symbol()), Tuple.of(1, Arbitraries.of(".", "1b", "1f", "2f", "0b")));
        return Arbitraries.recursive(() -> leaf, e -> Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(e, Arbitraries.of("+", "-", "*", "/", "%", "<<", ">>", "|", "&", "^", "!",
                        "==", "!=", "<>", "<", ">", "<=", ">=", "&&", "||"), e).as((l, op, r) -> l + op + r)),
                Tuple.of(2, e.map(x -> "(" + x + ")")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("-", "~", "!", "+"), e).as((op, x) -> op + x)),
                Tuple.of(1, e.map(x -> "((((" + x + "))))"))), 0, 6);
    }

    private static Arbitrary<String> simpleStatement() {
        Arbitrary<String> e = expression();
        return Arbitraries.oneOf(
                symbol().map(s -> s + ":"),
                Arbitraries.integers().between(0, 3).map(n -> n + ":"),
                Combinators.combine(Arbitraries.of(".long", ".byte", ".word", ".quad", ".int"), e, e).as((d, x, y) -> d + " " + x + ", " + y),
                Combinators.combine(Arbitraries.of(".space", ".skip", ".zero"), number()).as((d, n) -> d + " " + n),
                Combinators.combine(number(), number(), number()).as((a, b, c) -> ".fill " + a + "," + b + "," + c),
                Combinators.combine(Arbitraries.of(".align", ".balign", ".p2align", ".balignw", ".p2alignl"), number(), number())
                        .as((d, n, m) -> d + " " + n + ",," + m),
                e.map(x -> ".org " + x),
                Combinators.combine(symbol(), e).as((s, x) -> s + " = " + x),
                Combinators.combine(Arbitraries.of(".set", ".equ", ".equiv"), symbol(), e).as((d, s, x) -> d + " " + s + ", " + x),
                Arbitraries.of(".text", ".data", ".bss", ".previous", ".popsection", ".pushsection .foo", ".section .rodata,\"a\"",
                        ".section __ex_table,\"a\"", ".section .fixup,\"ax\"", ".section .m,\"aMS\",@progbits,1", ".else", ".endif",
                        ".endm", ".endr", ".exitm", ".cfi_startproc", ".cfi_endproc", ".cfi_def_cfa_offset 8", ".end"),
                Combinators.combine(Arbitraries.of(".globl", ".weak", ".local", ".hidden"), symbol()).as((d, s) -> d + " " + s),
                symbol().map(s -> ".type " + s + ", @function"),
                Combinators.combine(symbol(), e).as((s, x) -> ".size " + s + ", " + x),
                Combinators.combine(symbol(), number(), number()).as((s, n, a) -> ".comm " + s + ", " + n + ", " + a),
                Combinators.combine(symbol(), number()).as((s, n) -> ".lcomm " + s + ", " + n),
                Arbitraries.of(".ascii \"ab\\n\"", ".asciz \"x\"", ".string \"\\377\\x41\"", ".ident \"t\""),
                Combinators.combine(Arbitraries.of("jmp", "je", "call", "loop", "jecxz"), e).as((i, x) -> i + " " + x),
                Combinators.combine(e, Arbitraries.of("%eax", "%bl", "(%ebx)", "4(%esp,%ecx,4)")).as((x, r) -> "movl $" + x + ", " + r),
                e.map(x -> "movl " + x + "(%ebp), %eax"),
                Arbitraries.of("nop", "ret", "1: movl (%esi), %eax", "jmp 1b", "jne 1f", "pushl %ebp"),
                Combinators.combine(symbol(), e).as((s, x) -> "m " + s + ", " + x),
                // line information, LEB128, position-independent code, groups, includes
                Arbitraries.of(".file 1 \"a.c\"", ".file 0 \"/d\" \"a.c\"", ".file 2 \"x/b.h\"", ".loc 1 2 3", ".loc 1 0",
                        ".loc 2 7 view .LVU1", ".loc 1 9 1 is_stmt 0 view -0", ".loc 1 3 discriminator 2", ".loc 9 1",
                        ".section .text.g,\"axG\",@progbits,g,comdat", ".section .t2,\"axG\",@progbits,sym",
                        ".include \"no-such-file.s\"", ".include \"a\\000b\"", "call sym@PLT", "jmp b@PLT", "addl $_GLOBAL_OFFSET_TABLE_, %ebx",
                        "movl a@GOT(%ebx), %eax", ".long c@GOTOFF", "leal .Lx@GOTOFF+4(%ebx), %eax", ".long a@bogus"),
                Combinators.combine(Arbitraries.of(".uleb128", ".sleb128"), e).as((d, x) -> d + " " + x));
    }

    /** A statement, or (at the top) a block: .if/.else, .rept, .irp, a macro definition and use. */
    private static Arbitrary<String> statement(boolean blocks) {
        if (!blocks) return simpleStatement();
        Arbitrary<String> body = simpleStatement().list().ofMaxSize(5).map(l -> String.join("\n", l));
        Arbitrary<String> e = expression();
        return Arbitraries.frequencyOf(
                Tuple.of(10, simpleStatement()),
                Tuple.of(1, Combinators.combine(Arbitraries.of(".if", ".ifne", ".ifeq", ".ifgt", ".ifdef a", ".ifndef b", ".ifb", ".ifc a,"),
                        e, body, body, Arbitraries.of("", ".else\n", ".elseif 1\n", ".else\n.else\n"))
                        .as((d, x, t, f, extra) -> d + " " + x + "\n" + t + "\n.else\n" + f + "\n" + extra + ".endif")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("0", "1", "3", "100", "-1", "0x7fffffff"), body)
                        .as((n, b) -> ".rept " + n + "\n" + b + "\n.endr")),
                Tuple.of(1, Combinators.combine(symbol(), body).as((v, b) -> ".irp " + v + ", 1, 2, x\n" + b + "\n.endr")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("m a, b", "m a=1, b:req", "m a:vararg", "m a"), body,
                        Arbitraries.of("\\a", "\\b", "\\@", "m \\a\\a", "m \\a", ".exitm"))
                        .as((h, b, use) -> ".macro " + h + "\n" + b + "\n" + use + "\n.endm")));
    }
}

package dev.fixup.link;

import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Structure-aware fuzzing of the linker-script parser and layout: scripts are generated from the
 * grammar (statements, output sections, input specs, expressions of random shape and depth, PHDRS),
 * then optionally damaged. Every script must link or fail with a LinkException; any other
 * exception fails the test. The budget here is fixed (400 tries, a few seconds); run N times
 * longer with {@code -Dfixup.fuzz.scale=N}. Inputs that once broke the linker live in
 * src/test/resources/script-regressions and are replayed every time.
 */
class LinkerScriptFuzzTest {
    @Property(tries = 400)
    void generatedScriptsLinkOrFailCleanly(@ForAll long seed, @ForAll boolean damage) {
        for (int k = 0; k < Integer.getInteger("fixup.fuzz.scale", 1); k++) {
            String script = new ScriptGen(new Random(seed + k)).script();
            if (damage) script = damage(script, new Random(~(seed + k)));
            linkOrLinkException(script);
        }
    }

    @Test void regressionInputsFailOrLinkCleanly() throws Exception {
        Path dir = Path.of(getClass().getResource("/script-regressions").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) { files = s.sorted().toList(); }
        assertFalse(files.isEmpty());
        for (Path f : files) linkOrLinkException(Files.readString(f));
    }

    private static void linkOrLinkException(String script) {
        try {
            new Linker().add("x.o", LinkerRobustnessTest.object()).script(LinkerScript.parse("f.lds", script)).link();
        } catch (LinkException e) {
            for (String line : e.errors()) assertFalse(line.isBlank(), "an error line says something");
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("script:\n" + (script.length() > 2000 ? script.substring(0, 2000) + "..." : script), e);
        }
    }

    private static String damage(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(3);
        String tokens = "{}();:=.*?,/\"-+<>!~&|0x";
        for (int i = 0; i < n && b.length() > 0; i++) {
            int p = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(p);
                case 1 -> b.insert(p, tokens.charAt(r.nextInt(tokens.length())));
                default -> b.setLength(p); // truncated
            }
        }
        return b.toString();
    }

    /** Generates scripts from the grammar of ld's script language (the part this linker reads). */
    static final class ScriptGen {
        private final Random r;
        private static final String[] SYMS = {"a", "b", "_start", "d", "c", "__start___ex_table", "nosuch", "."};
        private static final String[] SECS = {".text", ".data", ".bss", "__ex_table", ".rodata", ".fixup", "COMMON"};
        private static final String[] OPS = {"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||"};

        ScriptGen(Random r) { this.r = r; }

        String script() {
            StringBuilder b = new StringBuilder();
            if (r.nextInt(3) == 0) b.append("ENTRY(").append(pick(SYMS)).append(")\n");
            if (r.nextInt(4) == 0) b.append("PHDRS { text PT_LOAD FILEHDR PHDRS; data PT_LOAD FLAGS(").append(expr(2)).append("); }\n");
            b.append("SECTIONS {\n");
            for (int i = r.nextInt(8); i > 0; i--) b.append("  ").append(r.nextInt(3) == 0 ? assignment() : outputSection()).append('\n');
            b.append("}\n");
            if (r.nextBoolean()) b.append(assignment()).append('\n');
            return b.toString();
        }

        private String outputSection() {
            StringBuilder b = new StringBuilder(pick(SECS));
            if (r.nextInt(3) == 0) b.append(' ').append(expr(3));
            if (r.nextInt(6) == 0) b.append(" (NOLOAD)");
            b.append(" :");
            if (r.nextInt(4) == 0) b.append(" AT(").append(expr(2)).append(')');
            if (r.nextInt(5) == 0) b.append(" ALIGN(").append(expr(1)).append(')');
            b.append(" {");
            for (int i = r.nextInt(4); i > 0; i--) {
                switch (r.nextInt(5)) {
                    case 0 -> b.append(' ').append(assignment());
                    case 1 -> b.append(" LONG(").append(expr(2)).append(")");
                    case 2 -> b.append(" KEEP(*(").append(pick(SECS)).append("))");
                    case 3 -> b.append(" *(SORT(").append(pick(SECS)).append(") ").append(pick(SECS)).append(')');
                    default -> b.append(" *(").append(pick(SECS)).append(')');
                }
            }
            b.append(" }");
            if (r.nextInt(5) == 0) b.append(" =0x90");
            return b.toString();
        }

        private String assignment() {
            String lhs = pick(SYMS);
            String op = r.nextInt(4) == 0 ? pick(new String[]{"+=", "-=", "|=", "<<="}) : "=";
            String a = lhs + " " + op + " " + expr(4) + ";";
            return r.nextInt(4) == 0 ? "PROVIDE(" + a.substring(0, a.length() - 1) + ");" : a;
        }

        /** An expression; sometimes very long or very deep, since those are what broke the parser. */
        String expr(int depth) {
            int shape = r.nextInt(40);
            if (shape == 0) return "(".repeat(1 + r.nextInt(800)) + leaf() + ")".repeat(1 + r.nextInt(800)); // balanced or not
            if (shape == 1) return String.join(pick(OPS), java.util.Collections.nCopies(1 + r.nextInt(5000), leaf()));
            if (depth <= 0 || r.nextInt(3) == 0) return leaf();
            return switch (r.nextInt(6)) {
                case 0 -> "(" + expr(depth - 1) + ")";
                case 1 -> pick(new String[]{"-", "~", "!"}) + expr(depth - 1);
                case 2 -> expr(depth - 1) + " ? " + expr(depth - 1) + " : " + expr(depth - 1);
                case 3 -> pick(new String[]{"ALIGN", "MAX", "MIN"}) + "(" + expr(depth - 1) + ", " + expr(depth - 1) + ")";
                default -> expr(depth - 1) + " " + pick(OPS) + " " + expr(depth - 1);
            };
        }

        private String leaf() {
            return switch (r.nextInt(8)) {
                case 0 -> ".";
                case 1 -> pick(SYMS);
                case 2 -> "SIZEOF(" + pick(SECS) + ")";
                case 3 -> "ADDR(" + pick(SECS) + ")";
                case 4 -> "DEFINED(" + pick(SYMS) + ")";
                case 5 -> "0x" + Long.toHexString(r.nextLong() & 0xffffffffL);
                case 6 -> r.nextInt(16) + (r.nextBoolean() ? "K" : "");
                default -> "ALIGN(" + (1 << r.nextInt(13)) + ")";
            };
        }

        private String pick(String[] a) { return a[r.nextInt(a.length)]; }
    }
}

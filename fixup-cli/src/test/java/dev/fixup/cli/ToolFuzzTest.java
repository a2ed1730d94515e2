package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.elf.ElfFields;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The tools end to end on damaged inputs, through the same entry point as the command line:
 * objdump (every view, both syntaxes), ld and run on ELF files with fields set to hostile
 * values. Each run ends in output or one-line errors; none may reach the top-level handler
 * (an "internal error"). Fixed budget per run; {@code -Dfixup.fuzz.scale=N} runs N times as many.
 */
class ToolFuzzTest {
    private static final List<String> SEEDS = List.of("gnu.o", "gnu.exe");

    @Property(tries = 150)
    void objdumpAndLdOnDamagedFiles(@ForAll @IntRange(min = 0, max = 1) int seed, @ForAll long random) throws IOException {
        for (int k = 0; k < Integer.getInteger("fixup.fuzz.scale", 1); k++) {
            Random r = new Random(random + k);
            byte[] b = mutate(seed(SEEDS.get(seed)), r);
            Path f = Files.createTempFile("fuzz", ".o");
            try {
                Files.write(f, b);
                noInternalError(b, "objdump", "-x", "-s", "-D", "--extable", f.toString());
                noInternalError(b, "objdump", "-dr", "-M", "intel", f.toString());
                Path out = Files.createTempFile("fuzz", ".out");
                noInternalError(b, "ld", "-o", out.toString(), f.toString());
                Files.deleteIfExists(out);
            } finally {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * objdump -l and -S on gcc -g output whose DWARF (.debug_line, .debug_info, .debug_abbrev, the
     * range lists and string tables) has bytes set to hostile values: each run ends in a listing or a
     * one-line error naming the field.
     */
    @Property(tries = 150)
    void objdumpLineNumbersOnDamagedDwarf(@ForAll long random) throws IOException {
        byte[] seed = seed("gnu-g.o");
        List<int[]> debug = new java.util.ArrayList<>();            // [offset, size] of each .debug_* section
        try {
            for (dev.fixup.elf.Section s : dev.fixup.elf.ElfReader.read(seed).sections)
                if (s.name.startsWith(".debug_") && s.size > 0) debug.add(new int[] {s.offset, s.size});
        } catch (dev.fixup.elf.ElfFormatException e) {
            throw new AssertionError(e);
        }
        for (int k = 0; k < Integer.getInteger("fixup.fuzz.scale", 1); k++) {
            Random r = new Random(random + k);
            byte[] b = seed.clone();
            int[] values = {0, 0xff, 0x7f, 0x80, 1, 2, 5, r.nextInt(256)};
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                int[] s = debug.get(r.nextInt(debug.size()));
                b[s[0] + r.nextInt(s[1])] = (byte) values[r.nextInt(values.length)];
            }
            Path f = Files.createTempFile("fuzz", ".o");
            try {
                Files.write(f, b);
                noInternalError(b, "objdump", "-d", "-S", "-l", f.toString());
            } finally {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Inputs that once reached the handler (found by the property above), replayed on every run. */
    @Test void keptCrashesStayFixed() throws Exception {
        Path dir = Path.of("src/test/resources/cli-fuzz/regressions");
        List<Path> files;
        try (var s = Files.list(dir)) { files = s.filter(p -> p.toString().endsWith(".elf")).sorted().toList(); }
        assertFalse(files.isEmpty());
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            noInternalError(b, "objdump", "-x", "-s", "-D", "--extable", p.toString());
            noInternalError(b, "objdump", "-dr", "-M", "intel", p.toString());
            Path out = Files.createTempFile("fuzz", ".out");
            noInternalError(b, "ld", "-o", out.toString(), p.toString());
            Files.deleteIfExists(out);
        }
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            List<ElfFields.Field> fields = ElfFields.of(b);
            if (fields.isEmpty()) break;
            ElfFields.Field f = fields.get(r.nextInt(fields.size()));
            int[] values = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, b.length, b.length - 1, 0xffff, 1, 0xc0000000, r.nextInt()};
            ElfFields.set(b, f, values[r.nextInt(values.length)]);
        }
        if (r.nextInt(8) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
        return b;
    }

    private static void noInternalError(byte[] input, String... args) throws IOException {
        int before = InternalErrorHandler.count();
        String[] r = ObjdumpTest.fixup(args);
        if (InternalErrorHandler.count() != before || r[0].equals(String.valueOf(InternalErrorHandler.STATUS))) {
            Path dir = Files.createDirectories(Path.of("target/fuzz-crashes"));
            Path kept = dir.resolve(Integer.toHexString(java.util.Arrays.hashCode(input)) + ".elf");
            Files.write(kept, input);
            throw new AssertionError(String.join(" ", args) + " reached the internal-error handler (input kept in " + kept + "):\n" + r[2]);
        }
        for (String line : r[2].split("\n")) assertFalse(line.startsWith("\tat "), "a stack trace:\n" + r[2]);
    }

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = ToolFuzzTest.class.getResourceAsStream("/cli-fuzz/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The handler itself: one line naming the tool, a hint, its own status; the trace only on request. */
    @Test void anUnexpectedExceptionBecomesOneInternalErrorLine() {
        java.io.StringWriter err = new java.io.StringWriter();
        int before = InternalErrorHandler.count();
        int status = InternalErrorHandler.report("objdump", new IllegalStateException("broken\ninvariant"), new java.io.PrintWriter(err));
        assertEquals(70, status);
        assertEquals(before + 1, InternalErrorHandler.count());
        String[] lines = err.toString().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("fixup objdump: internal error: java.lang.IllegalStateException: broken invariant"), lines[0]);
        assertTrue(lines[0].contains("please report it") && lines[0].contains("FIXUP_STACK_TRACE=1"), lines[0]);

        System.setProperty(InternalErrorHandler.TRACE_PROPERTY, "true");
        try {
            err = new java.io.StringWriter();
            InternalErrorHandler.report("ld", new StackOverflowError(), new java.io.PrintWriter(err));
            assertTrue(err.toString().contains("\tat "), "the stack trace when asked for");
        } finally {
            System.clearProperty(InternalErrorHandler.TRACE_PROPERTY);
        }
    }

    /** Errors (not only exceptions) escaping a tool reach the handler too, and the status is distinct from a tool's failure. */
    @Test void statusesOfOrdinaryFailuresAreNotTheInternalErrorStatus() throws IOException {
        Path dir = Files.createTempDirectory("fuzz");
        String[] r = ObjdumpTest.fixup("objdump", "-h", dir.toString());
        assertEquals("1", r[0]);
        assertEquals("fixup objdump: '" + dir + "' is a directory\n", r[2]);
        assertNotEquals(String.valueOf(InternalErrorHandler.STATUS), r[0]);
        r = ObjdumpTest.fixup("objdump", "-h", "/dev/zero");
        assertEquals("fixup objdump: '/dev/zero' is not an ordinary file\n", r[2]);
        r = ObjdumpTest.fixup("run", "/dev/zero");
        assertEquals("fixup run: '/dev/zero' is not an ordinary file\n", r[2]);
        Files.delete(dir);
    }
}

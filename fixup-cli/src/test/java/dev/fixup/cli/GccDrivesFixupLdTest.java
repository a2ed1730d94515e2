package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gcc drives `fixup ld` as it drives GNU ld: `gcc -m32 -static -B DIR`, where DIR/ld runs fixup ld,
 * so fixup ld gets collect2's command line (crt1.o, crti.o, crtbeginT.o, -L..., --start-group -lgcc
 * -lgcc_eh -lc --end-group, crtend.o, crtn.o, -plugin ..., --build-id ...). The same programs are
 * linked by GNU ld with the layout rules ours follows (-z noseparate-code -z norelro), run natively,
 * and compared. Skips with a message without a working gcc -m32.
 */
class GccDrivesFixupLdTest {
    @TempDir Path dir;
    private Path tools;

    record Run(int status, String out) {}

    static Run exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("timeout: " + cmd); }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @BeforeEach void gccAndALdThatRunsFixup() throws Exception {
        Path probe = dir.resolve("probe.c");
        Files.writeString(probe, "int main(void) { return 0; }\n");
        Run r;
        try { r = exec(dir, List.of("gcc", "-m32", "-static", "-o", "probe", "probe.c")); }
        catch (IOException e) { r = new Run(127, e.getMessage()); }
        assumeTrue(r.status() == 0, "gcc -m32 -static does not work here (needs gcc-multilib): skipping\n" + r.out());
        tools = Files.createDirectories(dir.resolve("fixup-tools"));
        Path ld = tools.resolve("ld");
        Files.writeString(ld, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.fixup.cli.Main ld \"$@\"\n");
        assertTrue(ld.toFile().setExecutable(true));
    }

    private static final String GLIBC_PROGRAM = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <errno.h>
            static __thread int counter = 5;
            static int cmp(const void *a, const void *b) { return *(const int *) a - *(const int *) b; }
            int main(int argc, char **argv) {
                int v[] = {5, 3, 9, 1, 7};
                qsort(v, 5, sizeof v[0], cmp);
                char *s = malloc(64);
                strcpy(s, "static glibc");
                counter += argc;
                errno = 0;
                double d = strtod("2.5", NULL);
                printf("%s %d %d %d %zu %.2f %d %s\\n", s, v[0], v[4], counter, strlen(s), d * 3, errno, argv[0] != NULL ? "ok" : "?");
                free(s);
                return 3;
            }
            """;

    @Test void aStaticGlibcProgramRunsAsTheGnuLinkedOneAndIsLaidOutAsGnuLdLaysItOut() throws Exception {
        Files.writeString(dir.resolve("prog.c"), GLIBC_PROGRAM);
        Run fx = exec(dir, List.of("gcc", "-m32", "-static", "-O1", "-B", tools + "/", "prog.c", "-o", "prog-fixup"));
        assertEquals(0, fx.status(), fx.out());
        Run gnu = exec(dir, List.of("gcc", "-m32", "-static", "-O1", "-Wl,-z,noseparate-code,-z,norelro", "prog.c", "-o", "prog-gnu"));
        assertEquals(0, gnu.status(), gnu.out());

        Run a = exec(dir, List.of("./prog-fixup")), b = exec(dir, List.of("./prog-gnu"));
        assertEquals("static glibc 1 9 6 12 7.50 0 ok\n", b.out());
        assertEquals(b, a, "the fixup-linked program runs natively as the GNU-linked one");

        // Every allocated section at GNU ld's address with GNU ld's size: notes, IRELATIVE
        // relocations, code, .rodata with its merged strings and constants, unwind tables, TLS,
        // the GOT, data and bss.
        ElfFile f = read("prog-fixup"), g = read("prog-gnu");
        assertEquals(describe(g), describe(f));
        assertEquals(g.entry, f.entry);
        // every symbol of the table (locals, globals, thread-local offsets) has GNU ld's value
        List<String> theirs = symbolsIn(g, 0, 1L << 32);
        assertTrue(theirs.size() > 2000, "glibc's symbols: " + theirs.size());
        assertEquals(List.of(), difference(theirs, symbolsIn(f, 0, 1L << 32)));
        // and the same bytes: GOT words and IFUNC slots in ld's order, strings merged as ld merges them
        assertSameContents(g, f);
    }

    @Test void gcSectionsDropsWhatGnuLdDrops() throws Exception {
        Files.writeString(dir.resolve("prog.c"), GLIBC_PROGRAM);
        Run fx = exec(dir, List.of("gcc", "-m32", "-static", "-O1", "-Wl,--gc-sections", "-B", tools + "/", "prog.c", "-o", "gc-fixup"));
        assertEquals(0, fx.status(), fx.out());
        Run gnu = exec(dir, List.of("gcc", "-m32", "-static", "-O1", "-Wl,--gc-sections,-z,noseparate-code,-z,norelro", "prog.c", "-o", "gc-gnu"));
        assertEquals(0, gnu.status(), gnu.out());
        assertEquals(exec(dir, List.of("./gc-gnu")), exec(dir, List.of("./gc-fixup")));
        ElfFile f = read("gc-fixup"), g = read("gc-gnu");
        // the same sections kept (.gcc_except_table stays for the FDEs of the functions that stay), at the same addresses
        assertEquals(describe(g), describe(f));
        assertEquals(List.of(), difference(symbolsIn(g, 0, 1L << 32), symbolsIn(f, 0, 1L << 32)));
        assertSameContents(g, f);
    }

    static Stream<Arguments> examplesAtEveryLevel() {
        return Stream.of("-O0", "-O1", "-O2", "-O3").flatMap(level ->
                Stream.of("crc32", "sort", "vm", "arith64", "printf").map(program -> Arguments.of(program, level)));
    }

    @ParameterizedTest(name = "{0} {1}") @MethodSource("examplesAtEveryLevel")
    void theCExamplesLinkExactlyAsGnuLdLinksThem(String program, String level) throws Exception {
        Path src = Examples.root().resolve("examples/c");
        List<String> flags = List.of("gcc", "-m32", level, "-static", "-nostdlib", "-ffreestanding", "-fno-pic", "-fno-stack-protector",
                "-fno-asynchronous-unwind-tables", "-no-pie", "-I" + src.resolve("runtime"));
        List<String> sources = List.of(src.resolve(program + ".c").toString(), src.resolve("runtime/start.S").toString(),
                src.resolve("runtime/sys.c").toString(), src.resolve("runtime/string.c").toString(), src.resolve("runtime/print.c").toString(), "-lgcc");
        List<String> fx = new ArrayList<>(flags), gnu = new ArrayList<>(flags);
        fx.addAll(List.of("-B", tools + "/", "-o", "p-fixup"));
        fx.addAll(sources);
        gnu.addAll(List.of("-Wl,-z,noseparate-code,-z,norelro", "-o", "p-gnu"));
        gnu.addAll(sources);
        Run a = exec(dir, fx), b = exec(dir, gnu);
        assertEquals(0, a.status(), a.out());
        assertEquals(0, b.status(), b.out());
        ElfFile f = read("p-fixup"), g = read("p-gnu");
        assertEquals(describe(g), describe(f));
        assertEquals(List.of(), difference(symbolsIn(g, 0, 1L << 32), symbolsIn(f, 0, 1L << 32)));
        assertEquals(g.entry, f.entry);
        // and the same bytes: code (gaps filled with ld's NOPs), strings, unwind tables, data; only the build ID differs
        assertSameContents(g, f);
    }

    /** Every allocated section with contents holds the same bytes (but the build ID, a hash of each whole file). */
    private static void assertSameContents(ElfFile gnu, ElfFile fixup) {
        for (Section x : gnu.sections)
            if (x.isAlloc() && x.type != dev.fixup.elf.Elf.SHT_NOBITS && !x.name.equals(".note.gnu.build-id"))
                org.junit.jupiter.api.Assertions.assertArrayEquals(x.data, fixup.section(x.name).data, x.name);
    }

    /** What only one side has, marked "gnu:" or "fixup:" (empty when the lists are equal). */
    private static List<String> difference(List<String> gnu, List<String> fixup) {
        List<String> r = new ArrayList<>();
        List<String> a = new ArrayList<>(gnu), b = new ArrayList<>(fixup);
        for (String x : gnu) if (!b.remove(x)) r.add("gnu: " + x);
        for (String x : fixup) if (!a.remove(x)) r.add("fixup: " + x);
        return r.size() > 40 ? r.subList(0, 40) : r;
    }

    private ElfFile read(String name) throws Exception { return ElfReader.read(Files.readAllBytes(dir.resolve(name))); }

    private static List<String> describe(ElfFile f) {
        List<String> r = new ArrayList<>();
        for (Section s : f.sections) if (s.isAlloc()) r.add(String.format("%s %08x %x", s.name, s.addr, s.size));
        return r;
    }

    /** "name value" for every named symbol with a value in [lo, hi), sorted (locals included). */
    private static List<String> symbolsIn(ElfFile f, long lo, long hi) {
        List<String> r = new ArrayList<>();
        for (Symbol s : f.symbols) {
            long v = Integer.toUnsignedLong(s.value);
            if (s.name.isEmpty() || s.type() == dev.fixup.elf.Elf.STT_FILE || s.shndx == 0 || v < lo || v >= hi) continue;
            r.add(s.name + " " + Long.toHexString(v));
        }
        r.sort(null);
        return r;
    }
}

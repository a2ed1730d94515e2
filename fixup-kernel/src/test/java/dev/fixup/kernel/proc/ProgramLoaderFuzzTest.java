package dev.fixup.kernel.proc;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.elf.ElfFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Structure-aware fuzzing of the program loader: real executables (one linked by GNU ld, one by
 * Fixup's linker) with fields of the ELF header and program headers set to values that cross the
 * loader's checks (segments overlapping, past the file, in kernel space, wrapping, misaligned,
 * huge; odd entry points and counts), now and then truncated or with code bytes flipped. Each
 * mutant is executed: the loader refuses it (ENOEXEC, with a reason) or the program runs and ends
 * with a status or a signal, as on Linux; no host exception, no oops. Fixed budget per run;
 * {@code -Dfixup.fuzz.scale=N} runs N times as many. A failing program is written to
 * target/fuzz-crashes/; once fixed it belongs in src/test/resources/loader-fuzz/regressions/.
 */
class ProgramLoaderFuzzTest {
    private static byte[] gnu, ours;

    private static synchronized List<byte[]> seeds() throws Exception {
        if (gnu == null) {
            try (InputStream in = ProgramLoaderFuzzTest.class.getResourceAsStream("/loader-fuzz/gnu.exe")) { gnu = in.readAllBytes(); }
            try (InputStream in = ProgramLoaderFuzzTest.class.getResourceAsStream("/fuzz-seeds/gnu.S")) {
                ours = Tools.program(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return List.of(gnu, ours);
    }

    @Property(tries = 120)
    void mutatedExecutablesLoadOrAreRefused(@ForAll @IntRange(min = 0, max = 1) int seed, @ForAll long random) throws Exception {
        for (int k = 0; k < Integer.getInteger("fixup.fuzz.scale", 1); k++) {
            check(mutate(seeds().get(seed), new Random(random + k)));
        }
    }

    @TestFactory
    Stream<DynamicTest> keptCrashesStayFixed() throws IOException {
        Path dir = Path.of("src/test/resources/loader-fuzz/regressions");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) { files = s.filter(p -> p.toString().endsWith(".elf")).sorted().toList(); }
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(Files.readAllBytes(p))));
    }

    /** Header and program-header fields, the fields the loader reads; the rest of the file now and then. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<ElfFields.Field> fields = ElfFields.of(b).stream()
                    .filter(f -> f.name().startsWith("ehdr") || f.name().startsWith("phdr")).toList();
            if (fields.isEmpty()) break;
            ElfFields.Field f = fields.get(r.nextInt(fields.size()));
            ElfFields.set(b, f, value(b, f, r));
        }
        if (r.nextInt(10) == 0) b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        if (r.nextInt(4) == 0) for (int i = r.nextInt(8); i >= 0 && b.length > 0; i--) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        return b;
    }

    private static int value(byte[] b, ElfFields.Field f, Random r) {
        int old = 0;
        for (int k = 0; k < f.width(); k++) old |= (b[f.offset() + k] & 0xff) << (8 * k);
        return switch (r.nextInt(14)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> 0xc0000000;                       // kernel space
            case 3 -> 0xbffff000;                       // the top user page
            case 4 -> 0xfffff000;                       // wraps
            case 5 -> b.length;
            case 6 -> old + 1;
            case 7 -> old - 0x1000;
            case 8 -> old + 0x1000;
            case 9 -> old * 2;
            case 10 -> Integer.MAX_VALUE;
            case 11 -> r.nextInt(0x100) << 12;          // a page address low in memory
            case 12 -> 0x6474e551;                      // PT_GNU_STACK
            default -> r.nextInt();
        };
    }

    private static void check(byte[] program) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        KernelConfig c = new KernelConfig();
        c.ramBytes = 16 << 20;
        c.stdout = c.stderr = c.klog = c.traceOut = new PrintStream(sink);
        c.stdin = new ByteArrayInputStream(new byte[0]);
        c.maxInstructions = 20_000;
        try {
            int status = Kernel.run(c, Tools.kernel(), program, new String[] {"fuzz"}, new String[0]);
            assertTrue(status >= 0 && status <= 255, "status " + status);
            String log = sink.toString();
            assertFalse(log.contains("Oops") || log.contains("panic") || log.contains("BUG"), log);
        } catch (ProgramLoader.ExecFormatException e) {
            assertFalse(e.getMessage().isBlank());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; program kept in " + keep(program), e);
        } catch (Throwable e) {
            throw new AssertionError("the host saw " + e + "; program kept in " + keep(program), e);
        }
    }

    private static Path keep(byte[] program) throws IOException {
        Path dir = Files.createDirectories(Path.of("target/fuzz-crashes"));
        Path p = dir.resolve("loader-" + Integer.toHexString(Arrays.hashCode(program)) + ".elf");
        Files.write(p, program);
        return p;
    }
}

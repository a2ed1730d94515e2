package dev.fixup.elf;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Structure-aware fuzzing of the ELF reader: real files (an object and an executable from GNU as
 * and ld, and one from our writer) with one to four fields of their headers, symbols, relocations
 * or string tables set to values chosen to cross each check (0, all ones, the file's length,
 * off by one, sign boundaries), sometimes also truncated or with random bytes flipped. Every
 * input must read or fail with an ElfFormatException, and what reads must symbolize without
 * error. Fixed budget per run; {@code -Dfixup.fuzz.scale=N} runs N times as many. An input that
 * fails is written to target/fuzz-crashes/; once fixed it belongs in
 * src/test/resources/fuzz-regressions/, which every run replays.
 */
class ElfReaderFuzzTest {
    private static final List<byte[]> SEEDS = List.of(seed("gnu.o"), seed("gnu.exe"), ElfReaderErrorsTest.valid());

    @Property(tries = 3000)
    void mutatedFilesReadOrFailWithAFieldMessage(@ForAll @IntRange(min = 0, max = 2) int seed, @ForAll long random) throws IOException {
        for (int k = 0; k < Integer.getInteger("fixup.fuzz.scale", 1); k++) {
            byte[] b = mutate(SEEDS.get(seed), new Random(random + k));
            check(b);
        }
    }

    @TestFactory
    Stream<DynamicTest> keptCrashesStayFixed() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz-regressions");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) { files = s.filter(p -> p.toString().endsWith(".elf")).sorted().toList(); }
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(Files.readAllBytes(p))));
    }

    /** One to four field changes, and now and then a truncation or a few flipped bytes. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            List<ElfFields.Field> fields = ElfFields.of(b);
            if (fields.isEmpty()) break;
            ElfFields.Field f = fields.get(r.nextInt(fields.size()));
            ElfFields.set(b, f, interesting(b, f, r));
        }
        if (r.nextInt(8) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
        if (r.nextInt(8) == 0) for (int i = r.nextInt(4); i >= 0 && b.length > 0; i--) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        return b;
    }

    private static int interesting(byte[] b, ElfFields.Field f, Random r) {
        int old = 0;
        for (int k = 0; k < f.width(); k++) old |= (b[f.offset() + k] & 0xff) << (8 * k);
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> b.length;
            case 5 -> b.length - 1 - r.nextInt(64);
            case 6 -> old + 1;
            case 7 -> old - 1;
            case 8 -> old * 2;
            case 9 -> 0xffff - r.nextInt(16);
            case 10 -> r.nextInt(64);
            default -> r.nextInt();
        };
    }

    private static void check(byte[] b) throws IOException {
        try {
            ElfFile f = ElfReader.read(b);
            AddressSymbolizer s = new AddressSymbolizer(f);
            for (Symbol sym : f.symbols) {
                s.name(sym.value);
                if (sym.shndx < f.sections.size()) s.name(sym.shndx, sym.value);
            }
            s.name(f.entry);
        } catch (ElfFormatException e) {
            assertFalse(e.getMessage().isBlank());
        } catch (RuntimeException | StackOverflowError e) {
            Path dir = Files.createDirectories(Path.of("target/fuzz-crashes"));
            Path kept = dir.resolve(Integer.toHexString(java.util.Arrays.hashCode(b)) + ".elf");
            Files.write(kept, b);
            throw new AssertionError("the reader let " + e + " escape; input kept in " + kept, e);
        }
    }

    private static byte[] seed(String name) {
        try (InputStream in = ElfReaderFuzzTest.class.getResourceAsStream("/fuzz-seeds/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing fuzz seed " + name, e);
        }
    }
}

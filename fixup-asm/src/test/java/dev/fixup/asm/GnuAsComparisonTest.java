package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle test: every .S file of the repository (found under the system property fixup.root) and of
 * the test corpus assembles to the same section contents, symbols and relocations as with GNU as --32.
 * Our object goes through ElfWriter and ElfReader, so the bytes we would write are what is compared.
 */
class GnuAsComparisonTest {

    static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        String root = System.getProperty("fixup.root");
        if (root != null) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(p -> p.toString().endsWith(".S"))
                        .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                        .filter(p -> !p.toString().contains("fixup-asm/src/test/resources/errors/"))
                        .sorted().forEach(out::add);
            }
        }
        Path corpus = Path.of("src/test/resources/corpus");
        if (root == null && Files.isDirectory(corpus)) {
            try (Stream<Path> s = Files.list(corpus)) {
                s.filter(p -> p.toString().endsWith(".S")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> sameAsGnuAs() throws IOException {
        List<Path> files = sources();
        assertTrue(files.size() >= 8, "expected the test corpus and the repository's .S files, found " + files);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> compare(p)));
    }

    static void compare(Path p) throws Exception {
        assumeTrue(GnuAs.available(), "GNU as (as --32) is not installed: skipping the comparison with GNU as");
        String[] err = new String[1];
        ElfFile gnu = GnuAs.assemble(p, err);
        ElfFile ours;
        try {
            ours = ElfReader.read(ElfWriter.write(Assembler.assemble(p.getFileName().toString(), Files.readString(p))));
        } catch (AsmException e) {
            if (gnu == null) return; // both reject it
            fail(p + ": GNU as accepts it but we report:\n" + e.getMessage());
            return;
        }
        if (gnu == null) fail(p + ": GNU as rejects it but we accept it:\n" + err[0]);
        List<String> diffs = GnuAs.compare(gnu, ours);
        assertEquals("", String.join("\n", diffs), p + " differs from GNU as");
    }
}

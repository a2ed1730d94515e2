package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A second oracle: what gcc -m32 -fno-pic -S emits (at -O0, -O2 and -Os; with its default .cfi_*
 * directives, so .eh_frame too, and without them) assembles to the same object with Fixup as with GNU as.
 * Skipped without gcc or as.
 */
class GccOutputTest {

    static boolean gccAvailable() {
        try {
            Process p = new ProcessBuilder("gcc", "-m32", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> gccOutputAssemblesLikeGnuAs() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/c"))) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        return sources.stream().flatMap(c -> Stream.of("-O0", "-O2", "-Os", "-O2 -fno-asynchronous-unwind-tables")
                .map(opt -> DynamicTest.dynamicTest(c.getFileName() + " " + opt, () -> compare(c, opt))));
    }

    private static void compare(Path c, String opt) throws Exception {
        assumeTrue(gccAvailable() && GnuAs.available(), "gcc -m32 or GNU as is not installed: skipping");
        Path s = Files.createTempFile("fixup-gcc", ".s");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-m32", "-fno-pic", "-S", "-o", s.toString(), c.toString()));
            cmd.addAll(List.of(opt.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String msg = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            assumeTrue(p.exitValue() == 0, "gcc -m32 cannot compile here (multilib missing?): " + msg);
            String[] err = new String[1];
            ElfFile gnu = GnuAs.assemble(s, err);
            ElfFile ours = ElfReader.read(ElfWriter.write(Assembler.assemble(c.getFileName() + ".s", Files.readString(s))));
            assertEquals("", String.join("\n", GnuAs.compare(gnu, ours)), c + " " + opt);
        } finally {
            Files.deleteIfExists(s);
        }
    }
}

package dev.fixup.asm;

import dev.fixup.testkit.HostTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A second oracle: what gcc -m32 -S emits assembles to the same object with Fixup as with GNU as: the
 * test sources with -fno-pic (at -O0, -O2 and -Os; with its default .cfi_* directives, so .eh_frame too,
 * and without them), and every C file of the repository as gcc compiles it by default. Skipped without
 * gcc or as.
 */
class GccOutputTest {

    static boolean gccAvailable() {
        return HostTools.has("gcc") && HostTools.run(null, "gcc", "-m32", "--version").ok();
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

    /**
     * Every C file of the repository, as gcc -m32 -S compiles it by default (position-independent: @GOTOFF,
     * @PLT, _GLOBAL_OFFSET_TABLE_, __x86.get_pc_thunk in COMDAT groups) at -O0..-O3, with and without -g
     * (.file/.loc with location views, .uleb128 of label differences, the .debug_* sections).
     */
    @TestFactory
    Stream<DynamicTest> repositoryCFilesAtEveryLevelAssembleLikeGnuAs() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".c") && !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .sorted().toList();
        }
        return sources.stream().flatMap(c -> Stream.of("-O0", "-O1", "-O2", "-O3", "-O0 -g", "-O1 -g", "-O2 -g", "-O3 -g")
                .map(opt -> DynamicTest.dynamicTest(root.relativize(c) + " " + opt,
                        () -> compare(c, opt + " -I" + root.resolve("examples/c/runtime") + " -I" + root.resolve("examples/proc"), false))));
    }

    private static void compare(Path c, String opt) throws Exception { compare(c, opt, true); }

    private static void compare(Path c, String opt, boolean noPic) throws Exception {
        assumeTrue(gccAvailable() && GnuAs.available(), "gcc -m32 or GNU as is not installed: skipping");
        Path s = Files.createTempFile("fixup-gcc", ".s");
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("gcc", "-m32", "-S", "-o", s.toString(), c.toString()));
            if (noPic) cmd.add("-fno-pic");
            cmd.addAll(List.of(opt.split(" ")));
            HostTools.Result gcc = HostTools.run(null, cmd);
            assumeTrue(gcc.ok(), "gcc -m32 cannot compile here (multilib missing?): " + gcc.out());
            String[] err = new String[1];
            ElfFile gnu = GnuAs.assemble(s, err);
            ElfFile ours = ElfReader.read(ElfWriter.write(Assembler.assemble(c.getFileName() + ".s", Files.readString(s))));
            List<String> diffs = GnuAs.compare(gnu, ours);
            assertEquals("", String.join("\n", diffs), c + " " + opt);
        } finally {
            Files.deleteIfExists(s);
        }
    }
}

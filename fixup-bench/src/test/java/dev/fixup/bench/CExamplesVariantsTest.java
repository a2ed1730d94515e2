package dev.fixup.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same programs built at other optimisation levels, which make gcc pick other instruction
 * forms (e.g. -O1 reads .rodata with `xor mem,%dl`); small work sizes. Same check as
 * {@link CExamplesTest}: stdout and exit status equal to qemu-i386's.
 */
class CExamplesVariantsTest {
    static final Map<String, String> FLAGS = Map.of("O1", "-O1", "Os", "-Os", "O3", "-O3 -march=i686 -funroll-loops");

    @TempDir
    static Path buildDir;
    static final Map<String, List<Path>> built = new HashMap<>();

    @BeforeAll
    static void build() throws Exception {
        String gcc = CPrograms.whyGccUnusable();
        assumeTrue(gcc == null, () -> "skipping the examples/c variants: " + gcc);
        String qemu = CPrograms.whyQemuUnusable();
        assumeTrue(qemu == null, () -> "skipping the examples/c variants: " + qemu);
        for (Map.Entry<String, String> e : FLAGS.entrySet())
            built.put(e.getKey(), CPrograms.build(buildDir.resolve(e.getKey()), e.getValue()));
    }

    @ParameterizedTest(name = "-{0} {1} {2}")
    @CsvSource({
            "O1, crc32, 2", "O1, sort, 3000", "O1, vm, 10", "O1, arith64, 500", "O1, printf, 0",
            "Os, crc32, 2", "Os, sort, 3000", "Os, vm, 10", "Os, arith64, 500", "Os, printf, 0",
            "O3, crc32, 2", "O3, sort, 3000", "O3, vm, 10", "O3, arith64, 500", "O3, printf, 0",
    })
    void sameAsQemu(String level, String name, String arg) throws Exception {
        Path prog = built.get(level).get(CPrograms.ALL.indexOf(name));
        List<String> argv = List.of(arg);
        GuestRun want = QemuRunner.run(prog, argv, 60);
        GuestRun got = FixupRunner.run(prog, argv);
        String what = name + " -" + level + " " + argv + " under fixup (stderr/klog: " + got.stderr().strip() + ")";
        assertEquals(want.text(), got.text(), what + ": stdout differs from qemu-i386");
        assertEquals(want.status(), got.status(), what + ": exit status differs from qemu-i386");
    }
}

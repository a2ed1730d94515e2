package dev.fixup.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/c built by gcc -m32 -O2 against our runtime: each program must print the same bytes
 * and exit with the same status under Fixup (in-process kernel) as under qemu-i386.
 * Each program runs with its default work size (no argument) and with small and edge-case sizes;
 * all are small enough that the whole class stays well under a minute.
 */
class CExamplesTest {
    @TempDir
    static Path buildDir;
    static List<Path> programs;

    @BeforeAll
    static void build() throws Exception {
        String gcc = CPrograms.whyGccUnusable();
        assumeTrue(gcc == null, () -> "skipping the examples/c comparison: " + gcc);
        String qemu = CPrograms.whyQemuUnusable();
        assumeTrue(qemu == null, () -> "skipping the examples/c comparison: " + qemu);
        programs = CPrograms.build(buildDir.resolve("c"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "none", value = {
            "printf, none",
            "crc32, none",
            "sort, none",
            "vm, none",
            "arith64, none",
            "crc32, 3",
            "crc32, 0",
            "sort, 6000",
            "sort, 1",
            "sort, 2",
            "vm, 12",
            "vm, 1",
            "arith64, 1500",
            "arith64, 0",
    })
    void sameAsQemu(String name, String arg) throws Exception {
        Path prog = programs.get(CPrograms.ALL.indexOf(name));
        List<String> argv = arg == null ? List.of() : List.of(arg);
        GuestRun want = QemuRunner.run(prog, argv, 60);
        GuestRun got = FixupRunner.run(prog, argv);
        String what = name + " " + argv + " under fixup (stderr/klog: " + got.stderr().strip() + ")";
        assertEquals(want.text(), got.text(), what + ": stdout differs from qemu-i386");
        assertEquals(want.status(), got.status(), what + ": exit status differs from qemu-i386");
        assertTrue(want.stdout().length > 0, "the program printed nothing under qemu");
    }
}

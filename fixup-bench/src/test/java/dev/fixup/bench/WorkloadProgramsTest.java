package dev.fixup.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The benchmark's own workload programs (fixup-bench/src/main/c, gcc -m32 -static -O2) at small
 * sizes: under Fixup (in-process kernel) each prints the same and exits the same as natively. The
 * page-fault program exercises demand-zero, copy-on-write after fork and stack-growth faults.
 */
class WorkloadProgramsTest {
    @TempDir static Path dir;
    static Path faults, syscalls;

    @BeforeAll
    static void build() throws Exception {
        String gcc = CPrograms.whyGccUnusable();
        assumeTrue(gcc == null, () -> "skipping the workload programs: " + gcc);
        Path src = BenchInputs.sourceDir();
        for (String name : List.of("faults", "syscalls")) {
            CPrograms.Result r = CPrograms.exec(dir, List.of("gcc", "-m32", "-static", "-O2", "-o", dir.resolve(name).toString(),
                    src.resolve(name + ".c").toString()), 120);
            assumeTrue(r.status() == 0, () -> "gcc -m32 -static (glibc) failed: " + r.output());
        }
        faults = dir.resolve("faults");
        syscalls = dir.resolve("syscalls");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "faults, zero 2 4",
            "faults, cow 2 2",
            "faults, stack 2 2",
            "syscalls, getpid 500",
            "syscalls, pipe 300",
            "syscalls, zero 20",
    })
    void sameAsNative(String program, String args) throws Exception {
        Path prog = program.equals("faults") ? faults : syscalls;
        List<String> argv = List.of(args.split(" "));
        Measurement want = ProcessMeasure.run(concat(prog.toString(), argv), null, dir, 60);
        GuestRun got = FixupRunner.run(prog, argv, null, 64);
        assertEquals(0, want.status(), "native run failed: " + want.stderrTail());
        assertEquals(want.status(), got.status(), "exit status under Fixup (klog: " + got.stderr().strip() + ")");
        assertTrue(Arrays.equals(want.stdoutDigest(), ProcessMeasure.sha256(got.stdout())),
                "stdout under Fixup differs from native: " + got.text());
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> l = new java.util.ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }
}

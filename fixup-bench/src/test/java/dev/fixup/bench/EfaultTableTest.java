package dev.fixup.bench;

import dev.fixup.kernel.KernelConfig.UaccessMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/efault/efault_table.c under Fixup against the same binary run natively: every row
 * (syscall x pointer argument x bad pointer) must give what native Linux gives, -EFAULT in most,
 * with the same side effects (file offset and contents, descriptors, handlers, masks, limits).
 */
class EfaultTableTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "uaccess={0}")
    @EnumSource(UaccessMode.class)
    void everySyscallWithAPointerAgreesWithNativeLinux(UaccessMode mode) throws Exception {
        String gcc = CPrograms.whyGccUnusable();
        assumeTrue(gcc == null, () -> "skipping the EFAULT table: " + gcc);
        Path program = EfaultTable.build(dir);
        String nativeRun = EfaultTable.whyNativeUnusable(program, dir);
        assumeTrue(nativeRun == null, () -> "skipping the EFAULT table: " + nativeRun);

        List<EfaultTable.Row> rows = EfaultTable.compare(program, dir, mode);
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        EfaultTable.print(rows, new PrintStream(table, true, StandardCharsets.UTF_8));
        String text = table.toString(StandardCharsets.UTF_8);
        System.out.print("uaccess=" + mode + "\n" + text);

        List<EfaultTable.Row> wrong = rows.stream().filter(r -> !r.same()).toList();
        assertEquals(List.of(), wrong, text);
        long efault = rows.stream().filter(r -> r.got().startsWith("-14")).count();
        assertTrue(efault >= 200, "rows with -EFAULT: " + efault + "\n" + text);
        assertTrue(rows.stream().map(EfaultTable.Row::syscall).distinct().count() >= 30, text);
    }

    /** The comparison can fail: a row whose side effect differs is not same(). */
    @Test
    void aDifferingRowIsReported() {
        EfaultTable.Row r = new EfaultTable.Row("read", "buf", "hole", "-14 off=3 size=10 data=same", "-14 off=7 size=10 data=same");
        assertTrue(!r.same());
        EfaultTable.Row w = new EfaultTable.Row("wait4", "status", "hole", "-14 child=reaped", "-14 child=still-waitable");
        assertTrue(!w.same(), "a zombie left behind differs from native");
    }
}

package dev.fixup.bench;

import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelConfig.UaccessMode;
import dev.fixup.kernel.KernelImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's guest workloads run to a clean exit in both modes (each checks its syscalls' results). */
class UaccessBenchmarkTest {
    @Test
    void everyWorkloadRunsUnderBothModes() throws Exception {
        KernelImage image = KernelBuilder.build();
        for (UaccessBenchmark.Workload w : UaccessBenchmark.WORKLOADS) {
            for (UaccessMode mode : UaccessMode.values()) {
                assertTrue(UaccessBenchmark.run(image, mode, UaccessBenchmark.program(w, 20, 50)) > 0, w.name() + " " + mode);
            }
        }
    }

    /** A failing syscall in the loop is not timed as if it had worked. */
    @Test
    void aFailingWorkloadIsAnError() throws Exception {
        UaccessBenchmark.Workload bad = new UaccessBenchmark.Workload("bad", 1, "write to fd 99",
                "\tmovl $4, %eax\n\tmovl $99, %ebx\n\tmovl %esp, %ecx\n\tmovl $1, %edx\n\tint $0x80\n\ttestl %eax, %eax\n\tjs fail\n");
        KernelImage image = KernelBuilder.build();
        assertThrows(IllegalStateException.class, () -> UaccessBenchmark.run(image, UaccessMode.EXTABLE, UaccessBenchmark.program(bad, 1, 3)));
    }
}

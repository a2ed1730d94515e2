package dev.fixup.cli;

import dev.fixup.kernel.KernelBuilder;
import dev.fixup.kernel.KernelImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fixup kernel}: build vmlinux from the guest sources with our own assembler and linker. */
@Command(name = "kernel", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Build the kernel image (vmlinux) that `fixup run` boots, and write it out.")
final class KernelCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "FILE", required = true, description = "Output file, e.g. vmlinux.") Path output;

    @Override public Integer call() {
        ToolFiles.write(output, buildKernel().bytes);
        return 0;
    }

    /** Builds (or reuses) vmlinux; a failure here is a bug in the guest sources or the toolchain. */
    static KernelImage buildKernel() {
        try {
            return KernelBuilder.build();
        } catch (RuntimeException e) {
            throw new ToolException("cannot build the kernel: " + e.getMessage());
        }
    }
}

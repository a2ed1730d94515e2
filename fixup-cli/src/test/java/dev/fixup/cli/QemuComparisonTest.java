package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user program must print the same and exit the same under Fixup and under qemu-i386. Each example
 * is built twice, by our tools and by GNU as/ld, and each binary runs on both machines.
 */
class QemuComparisonTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"efault", "segv", "stack-grow"})
    void sameOutputAndStatusAsQemu(String name) throws Exception {
        Oracle.require("qemu-i386");
        Path ours = dir.resolve(name + ".fixup");
        Files.write(ours, RunCommand.loadProgram(Examples.example(name + ".S")));
        ours.toFile().setExecutable(true);
        Oracle.Result qemu = Oracle.run(List.of("qemu-i386", ours.toString()), dir);
        Examples.Run run = Examples.run(name + ".S", false);
        assertEquals(qemu.stdout(), run.stdout(), "stdout of our binary, Fixup vs qemu-i386");
        assertEquals(qemu.status(), run.status(), "exit status, Fixup vs qemu-i386");
    }

    @ParameterizedTest
    @ValueSource(strings = {"efault", "segv", "stack-grow"})
    void gnuBuiltBinaryRunsTheSameOnFixup(String name) throws Exception {
        Oracle.require("qemu-i386");
        Oracle.require("as");
        Oracle.require("ld");
        Path object = dir.resolve(name + ".o"), exe = dir.resolve(name);
        assertEquals(0, Oracle.run(List.of("as", "--32", Examples.example(name + ".S").toString(), "-o", object.toString()), dir).status());
        assertEquals(0, Oracle.run(List.of("ld", "-m", "elf_i386", "-static", object.toString(), "-o", exe.toString()), dir).status());
        Oracle.Result qemu = Oracle.run(List.of("qemu-i386", exe.toString()), dir);
        Examples.Run run = Examples.runBinary(exe);
        assertEquals(qemu.stdout(), run.stdout());
        assertEquals(qemu.status(), run.status());
    }
}

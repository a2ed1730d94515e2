package dev.fixup.cpu;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.elf.ElfFile;
import dev.fixup.link.LinkException;
import dev.fixup.link.Linker;
import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Qemu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test guest code is written in GNU assembler syntax and built with Fixup's own assembler and
 * linker, so the CPU's fault-model tests run on any machine; qemu-i386 is needed only where it
 * is the oracle.
 */
final class GuestAssembler {
    private GuestAssembler() {}

    /** Assembles {@code source} linked so that .text starts at {@code origin}; the bytes of .text. */
    static byte[] assemble(String source, int origin) {
        ElfFile exe = link(source, origin);
        return exe.section(".text").data.clone();
    }

    /** A static Linux executable with .text at 0x200000 and entry _start, as qemu-i386 runs it. */
    static byte[] linkElf(String source) {
        try {
            return new Linker().add("t.o", object(source)).sectionStart(".text", 0x200000).entry("_start").link().bytes();
        } catch (LinkException e) {
            throw new AssertionError("fixup ld: " + e.getMessage(), e);
        }
    }

    /** Runs the source as a static Linux program under qemu-i386 (the test skips without it); its stdout. */
    static byte[] runUnderQemu(String source, String name) throws IOException {
        HostTools.require("qemu-i386");
        Path dir = Files.createTempDirectory("fixup-cpu-" + name);
        try {
            Path exe = dir.resolve(name);
            Files.write(exe, linkElf(source));
            exe.toFile().setExecutable(true);
            Process p = new ProcessBuilder("qemu-i386", exe.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("qemu-i386 timed out");
            }
            if (p.exitValue() != 0) throw new AssertionError("qemu-i386 exited with " + p.exitValue());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            HostTools.deleteTree(dir);
        }
    }

    private static ElfFile link(String source, int origin) {
        try {
            return new Linker().add("t.o", object(source)).sectionStart(".text", origin & 0xffffffffL).link().elf();
        } catch (LinkException e) {
            throw new AssertionError("fixup ld: " + e.getMessage(), e);
        }
    }

    private static ElfFile object(String source) {
        try {
            return Assembler.assemble("t.s", source + "\n");
        } catch (AsmException e) {
            throw new AssertionError("fixup as: " + e.getMessage(), e);
        }
    }
}

package dev.fixup.kernel.module;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Tools;

import dev.fixup.asm.Assembler;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Loadable modules end to end: the examples of examples/modules loaded into a booted kernel and
 * driven by user programs through their /dev nodes. The C ones need gcc -m32 and skip without it.
 */
class ModulesTest {
    static final Path DIR = Tools.root().resolve("examples/modules");
    static final String MODULE_CFLAGS = "-m32 -c -O2 -ffreestanding -fno-pic -fno-stack-protector";
    static final String USER_CFLAGS = "-m32 -O2 -static -nostdlib -ffreestanding -fno-pic -fno-stack-protector "
            + "-fno-asynchronous-unwind-tables -no-pie";

    /** A booted kernel with its output captured: program stdout and the kernel log apart. */
    static final class Machine {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        final Kernel kernel;

        Machine() throws Exception {
            KernelConfig c = Tools.config(out, new ByteArrayOutputStream(), klog);
            c.trace = java.util.EnumSet.noneOf(KernelConfig.TraceClass.class);
            c.maxInstructions = 200_000_000;
            kernel = Kernel.boot(c, Tools.kernel());
        }

        int run(byte[] program) { return kernel.exec(program, new String[] {"test"}, new String[] {"PATH=/bin"}); }

        String stdout() { String s = out.toString(StandardCharsets.UTF_8); out.reset(); return s; }

        String klog() { return klog.toString(StandardCharsets.UTF_8); }
    }

    static byte[] asmModule(String name) throws Exception {
        return Assembler.assembleToBytes(name + ".S", Files.readString(DIR.resolve(name + ".S")));
    }

    private static String exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    /** gcc -m32 -c of examples/modules/NAME.c; skips the test when gcc cannot build for i386 here. */
    static byte[] gccModule(String name) throws Exception {
        Path t = Files.createTempDirectory("fixup-module");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(MODULE_CFLAGS.split(" ")));
        cmd.addAll(List.of("-I" + DIR.toAbsolutePath(), DIR.resolve(name + ".c").toAbsolutePath().toString(), "-o", name + ".o"));
        try {
            exec(t, cmd);
        } catch (IOException e) {
            Assumptions.abort("gcc -m32 -c cannot build modules here (gcc-multilib missing?): skipping\n" + e.getMessage());
        }
        return Files.readAllBytes(t.resolve(name + ".o"));
    }

    /** examples/modules/NAME.c as a static program on the examples' runtime. */
    static byte[] gccProgram(String name) throws Exception {
        Path rt = Tools.root().resolve("examples/c/runtime").toAbsolutePath();
        Path t = Files.createTempDirectory("fixup-module-user");
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(USER_CFLAGS.split(" ")));
        cmd.addAll(List.of("-I" + rt, "-o", name, DIR.resolve(name + ".c").toAbsolutePath().toString()));
        for (String f : List.of("start.S", "sys.c", "string.c", "print.c")) cmd.add(rt.resolve(f).toString());
        cmd.add("-lgcc");
        try {
            exec(t, cmd);
        } catch (IOException e) {
            Assumptions.abort("gcc -m32 cannot build user programs here: skipping\n" + e.getMessage());
        }
        return Files.readAllBytes(t.resolve(name));
    }

    @Test
    void getUserAsmModuleFixesItsOwnFaults() throws Exception {
        Machine m = new Machine();
        m.kernel.modules().load(asmModule("get_user_asm"), "", "get_user_asm.o");
        assertTrue(m.klog().contains("get_user_asm: /dev/get_user_asm registered"), m.klog());
        assertEquals(1, m.kernel.exceptionTable().moduleTables().size());
        int st = m.run(Tools.program(Files.readString(DIR.resolve("get_user_asm_test.S"))));
        assertEquals("AFF\n", m.stdout(), m.klog());
        assertEquals(0, st);
        m.kernel.modules().unload("get_user_asm");
        assertTrue(m.kernel.exceptionTable().moduleTables().isEmpty());
        // the device is gone with its module
        st = m.run(Tools.program(Files.readString(DIR.resolve("get_user_asm_test.S"))));
        assertEquals("???\n", m.stdout());
    }

    @Test
    void seedCopyUserModuleCountsExactlyAndReturnsEfault() throws Exception {
        byte[] module = gccModule("seed_copy_user");
        byte[] program = gccProgram("seed_copy_user_test");
        Machine m = new Machine();
        m.kernel.modules().load(module, "", null);
        assertTrue(m.klog().contains("seed_copy_user: /dev/seed_copy ready, 8192 bytes at c"), m.klog());
        int st = m.run(program);
        assertEquals(Files.readString(DIR.resolve("seed_copy_user_test.out")), m.stdout(), m.klog());
        assertEquals(0, st);
        m.kernel.modules().unload("seed_copy_user");
        assertTrue(m.klog().contains("seed_copy_user: gone"));
    }

    @Test
    void moduleWithoutFixupOopsesNamingItselfAndTheKernelGoesOn() throws Exception {
        byte[] module = gccModule("no_fixup");
        byte[] program = gccProgram("no_fixup_test");
        Machine m = new Machine();
        m.kernel.modules().load(module, "", null);
        int st = m.run(program);
        assertEquals(128 + 11, st, m.klog());
        assertEquals("good buffer: 6\n", m.stdout());
        String klog = m.klog();
        if (Boolean.getBoolean("fixup.showOops")) System.out.print(klog);
        assertTrue(klog.contains("Unable to handle kernel NULL pointer dereference at virtual address 00000000"), klog);
        assertTrue(klog.matches("(?s).*EIP is at careless_write\\+0x[0-9a-f]+/0x[0-9a-f]+ \\[no_fixup\\].*"), klog);
        // the next program runs on the same machine, and the module can still be unloaded
        assertEquals(0, m.run(Tools.program(".globl _start\n_start: movl $1, %eax\n xorl %ebx, %ebx\n int $0x80\n")));
        m.kernel.modules().unload("no_fixup");
    }
}

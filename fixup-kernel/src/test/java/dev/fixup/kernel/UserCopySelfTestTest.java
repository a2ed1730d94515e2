package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The usercopy self-test passes under both --uaccess modes, and fails, naming the case, on a
 * kernel whose get_user repair code is broken (so its checks can fail).
 */
class UserCopySelfTestTest {
    private record Outcome(int status, List<String> lines, String klog) {}

    private static Outcome run(KernelConfig.UaccessMode mode, java.util.function.Consumer<Kernel> mutate) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, log, log);
        c.trace = java.util.EnumSet.noneOf(KernelConfig.TraceClass.class);
        c.maxInstructions = 0;
        c.uaccess = mode;
        Kernel k = Kernel.boot(c, Tools.kernel());
        mutate.accept(k);
        int status = k.selfTests.run("usercopy");
        c.stdout.flush();
        return new Outcome(status, Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")), log.toString(StandardCharsets.UTF_8));
    }

    private static void assertAllPass(Outcome o) {
        List<String> fails = o.lines.stream().filter(l -> l.startsWith("FAIL")).toList();
        assertEquals(List.of(), fails, o.klog);
        assertEquals(0, o.status);
        long passes = o.lines.stream().filter(l -> l.startsWith("PASS")).count();
        assertTrue(passes > 100, "cases run: " + passes);
        String total = o.lines.get(o.lines.size() - 1);
        assertTrue(total.matches("usercopy \\(uaccess=\\w+\\): " + passes + " cases, " + passes + " passed, 0 failed"), total);
    }

    @Test
    void passesWithTheExceptionTable() throws Exception {
        Outcome o = run(KernelConfig.UaccessMode.EXTABLE, k -> {});
        assertAllPass(o);
        assertTrue(o.lines.contains("PASS copy_from_user n=4097, the hole at every offset, guard byte after `to`"));
        assertTrue(o.lines.contains("PASS exit path resets addr_limit to USER_DS (CVE-2010-4258)"));
    }

    @Test
    void passesWithVerifyArea() throws Exception {
        Outcome o = run(KernelConfig.UaccessMode.VERIFY, k -> {});
        assertAllPass(o);
        assertTrue(o.lines.contains("PASS kernel copy in (verify) n=9, the hole at every offset"));
    }

    /** bad_get_user without its `xorl %edx, %edx`: get_user fails but leaves garbage in its value. */
    @Test
    void failsWhenGetUserNoLongerZeroesItsValue() throws Exception {
        Outcome o = run(KernelConfig.UaccessMode.EXTABLE, k -> {
            int pa = Layout.pa(k.image.symbol("bad_get_user"));
            assertEquals(0x31, k.ram.read8(pa), "xorl %edx, %edx");
            assertEquals(0xd2, k.ram.read8(pa + 1));
            k.ram.write8(pa, 0x90);
            k.ram.write8(pa + 1, 0x90);
        });
        assertEquals(1, o.status);
        assertTrue(o.lines.stream().anyMatch(l -> l.startsWith("FAIL illegal get_user size 4 from NULL: value (must be zeroed)")), String.join("\n", o.lines));
        assertTrue(o.lines.contains("PASS legitimate copy_from_user of a page"), "the other cases still pass");
        assertTrue(o.lines.get(o.lines.size() - 1).matches("usercopy \\(uaccess=extable\\): \\d+ cases, \\d+ passed, [1-9]\\d* failed"));
    }

    /** The syscall is not there for ordinary programs. */
    @Test
    void theSelfTestSyscallIsEnosysOtherwise() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, out, out);
        byte[] p = Tools.program("\t.text\n\t.globl _start\n_start:\n\tmovl $999, %eax\n\tint $0x80\n"
                + "\tnegl %eax\n\tmovl %eax, %ebx\n\tmovl $1, %eax\n\tint $0x80\n");
        assertEquals(Errno.ENOSYS, Kernel.boot(c, Tools.kernel()).exec(p, new String[] {"p"}, new String[0]));
        assertThrows(IllegalArgumentException.class, () -> Kernel.selfTest(c, Tools.kernel(), "nosuch"));
    }
}

package dev.fixup.kernel;

import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import dev.fixup.asm.Assembler;
import dev.fixup.link.LinkInput;
import dev.fixup.link.Linker;

import java.util.List;

/**
 * In-kernel self-tests ({@code fixup run --selftest NAME}). A self-test needs a real task: a
 * current process with an address space, a kernel stack holding addr_limit, and a CPU inside a
 * syscall, because the user-access routines find all of that through %esp and CR3. So the kernel
 * runs a tiny program whose one syscall (999, fixup_selftest) enters the Java test; the test's
 * failure count comes back in eax and becomes the program's exit status.
 *
 * <p>The syscall answers -ENOSYS unless a self-test was asked for, so ordinary programs cannot
 * reach it.
 */
final class SelfTests extends SyscallGroup {
    static final int NR_SELFTEST = 999;
    /** Every self-test there is. */
    static final List<String> NAMES = List.of("usercopy");

    /** The program: syscall 999, then exit(failures ? 1 : 0). */
    private static final String PROGRAM = String.join("\n",
            "\t.text",
            "\t.globl _start",
            "_start:",
            "\tmovl $" + NR_SELFTEST + ", %eax",
            "\tint $0x80",
            "\txorl %ebx, %ebx",
            "\ttestl %eax, %eax",
            "\tsetne %bl",
            "\tmovl $1, %eax",
            "\tint $0x80",
            "");

    /** The self-test the next syscall 999 runs; null when none was asked for. */
    private String requested;

    SelfTests(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(NR_SELFTEST, "fixup_selftest", "", x -> {
            if (requested == null) return -Errno.ENOSYS;
            String name = requested;
            requested = null;
            return runInCurrentTask(name);
        });
    }

    /** Runs the named self-test in a fresh task on this kernel: 0 when every case passed, else 1. */
    int run(String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown self-test '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        requested = name;
        try {
            byte[] elf = Linker.link(List.of(new LinkInput("selftest.o", Assembler.assemble("selftest.S", PROGRAM))), null, null).bytes();
            return k.exec(elf, new String[] {"selftest-" + name}, new String[0]);
        } catch (dev.fixup.link.LinkException | dev.fixup.asm.AsmException e) {
            throw new IllegalStateException("self-test program: " + e.getMessage(), e);
        } finally {
            requested = null;
        }
    }

    private int runInCurrentTask(String name) {
        SelfTestReport report = new SelfTestReport(k.cfg.stdout);
        new UserCopySelfTest(k, ua, report).run();
        report.total(name + " (uaccess=" + k.cfg.uaccess.name().toLowerCase(java.util.Locale.ROOT) + ")");
        return report.failed();
    }
}

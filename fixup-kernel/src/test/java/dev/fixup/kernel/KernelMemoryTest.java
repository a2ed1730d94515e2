package dev.fixup.kernel;

import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The user can never read or write kernel memory: not directly (SIGSEGV), not through a system
 * call (EFAULT, and no kernel byte reaches the user), not with a range that wraps or crosses
 * 0xc0000000, not by mapping, unmapping or protecting kernel space; and not by the addr_limit
 * bugs behind CVE-2010-4258, where KERNEL_DS left set by a kernel path that oopsed, exited or
 * returned to user mode let a later user access (clear_child_tid at exit, a signal frame) write
 * kernel memory.
 */
class KernelMemoryTest {
    /**
     * examples/proc/kmem.c natively and under Fixup. Its "both:" lines must match the native run
     * (a 32-bit program on x86_64, where 0xc0000000 and up is unmapped user space, gets SIGSEGV
     * and EFAULT there too). Its "i386:" lines are Linux i386's answers with the 3G/1G split,
     * which the host cannot give (its 32-bit user space reaches 4 GB): each comes from the
     * kernel's checks, given beside it.
     */
    @Test
    void kernelAddressesAreOutOfReachAsOnLinux() throws Exception {
        Path exe = GuestC.build("kmem");
        GuestC.Result fixup = GuestC.fixupWithRam(16 << 20, exe);
        GuestC.Result host = GuestC.host(null, exe);
        assertEquals(0, fixup.status(), fixup.stdout());
        assertEquals(lines(host.stdout(), "both:"), lines(fixup.stdout(), "both:"), "Fixup and native Linux differ");
        String out = fixup.stdout();
        long segv = out.lines().filter(l -> l.matches("both: (read|write) [0-9a-f]{8}: signal 11 code 1 addr ok")).count();
        assertEquals(14, segv, "every direct access to kernel memory is SIGSEGV (SEGV_MAPERR) at its address:\n" + out);
        assertTrue(out.contains("both: writev of 3 good bytes then K = -14\n"), "import_iovec checks every segment first:\n" + out);
        assertTrue(out.contains("both: the pipe holds -11 bytes: other\n"), out);
        assertTrue(out.contains("both: write to /dev/full = -28\n"), "/dev/full: ENOSPC\n" + out);
        assertTrue(out.contains("both: read from /dev/full = 1, byte 0\n"), out);
        for (String line : List.of(
                "i386: write 16 bytes from 0xbffffff8, across the boundary = -14",   // access_ok: the end passes TASK_SIZE
                "i386: the pipe then holds = -11",                                  // and nothing was written
                "i386: write 0xffffffff bytes to /dev/null = -14",                  // vfs_write's access_ok: buf + count wraps
                "i386: mmap fixed at 0xc0000000 = -12",                             // get_unmapped_area: addr > TASK_SIZE - len
                "i386: mmap fixed at 0xbffff000, 2 pages = -12",
                "i386: mmap fixed_noreplace at 0xc0000000 = -12",
                "i386: mmap with the hint 0xc0000000 lands below it: yes",           // a hint past TASK_SIZE is ignored
                "i386: mmap 0xc0001000 bytes = -12",                                // len > TASK_SIZE
                "i386: mprotect 0xc0000000 = -12",                                  // no vma there
                "i386: mprotect 0xfffff000, 2 pages (wraps) = -12",                 // end <= start
                "i386: munmap 0xc0000000 = -22",                                    // start > TASK_SIZE - len
                "i386: munmap 0xbffff000, 2 pages = -22",
                "i386: madvise 0xc0000000 = -12",                                   // no vma there
                "i386: mremap from 0xc0000000 = -14",                               // vma_lookup finds none
                "i386: mremap to 0xc0000000 = -22",                                 // new_addr > TASK_SIZE - new_len
                "i386: mremap to 0xbffff000, 2 pages = -22",
                "i386: brk to 0xc0001000 keeps the break: yes",                     // check_brk_limits: get_unmapped_area fails
                "i386: brk to 0xffffffff keeps the break: yes",
                "i386: the page at 0xc0100000 still faults: both: read c0100000: signal 11 code 1 addr ok")) {
            assertTrue(out.contains(line + "\n"), "missing \"" + line + "\" in:\n" + out);
        }
    }

    private static List<String> lines(String out, String prefix) {
        List<String> l = new ArrayList<>();
        for (String s : out.split("\n")) if (s.startsWith(prefix)) l.add(s);
        return l;
    }

    // ---- addr_limit (CVE-2010-4258)

    /** What a probe (syscall 1001) saw and did. */
    private static final class Probe {
        boolean kernelDsWorked;
        byte[] before;
    }

    private record Outcome(int status, String klog, Kernel kernel) {}

    private static Outcome run(String asm, Consumer<Kernel> probe) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.trace = java.util.EnumSet.noneOf(KernelConfig.TraceClass.class);
        c.debugSyscalls = true;
        Kernel k = Kernel.boot(c, Tools.kernel());
        k.testProbe = probe;
        int st = k.exec(Tools.program(asm), new String[] {"cve"}, new String[0]);
        return new Outcome(st, klog.toString(StandardCharsets.UTF_8), k);
    }

    /**
     * A kernel address no program may write: the middle of the last page of the 16 MB of RAM the
     * runs have (free: the frame allocator hands out low frames first). Probes fill its page with
     * a pattern first, so that a write of zeros or of a signal frame would show.
     */
    private static final int TARGET = Layout.va((16 << 20) - 2048);

    private static byte[] fillTargetPage(Kernel kk) {
        byte[] pattern = new byte[Layout.PAGE_SIZE];
        Arrays.fill(pattern, (byte) 0xA5);
        kk.ram.write(Layout.pa(TARGET) & Layout.PAGE_MASK, pattern);
        return pattern;
    }

    /**
     * A CLONE_VM|CLONE_VFORK child with CLONE_CHILD_CLEARTID pointing at tid, whose syscall 1001
     * sets KERNEL_DS, then oopses or exits (see {@link #setKernelDs}); the parent exits with the low byte of its word at `word` (0x44 unless cleared).
     */
    private static String cloneChild(String tid, String afterProbe) {
        return "\t.data\nword:\t.long 0x11223344\n\t.bss\n\t.lcomm stack, 4096\n\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $120, %eax\n\tmovl $(0x100|0x4000|0x200000|17), %ebx\n\tmovl $stack+4096, %ecx\n"
                + "\txorl %edx, %edx\n\txorl %esi, %esi\n\tmovl $" + tid + ", %edi\n\tint $0x80\n"
                + "\ttestl %eax, %eax\n\tjnz parent\n"
                + "\tmovl $1001, %eax\n\tint $0x80\n" + afterProbe
                + "\tmovl $1, %eax\n\tmovl $99, %ebx\n\tint $0x80\n"
                + "parent:\n\tmovzbl word, %ebx\n\tmovl $1, %eax\n\tint $0x80\n";
    }

    /** The probe sets KERNEL_DS, then, in the same call, oopses (an unchecked read of NULL) or exits. */
    private static Consumer<Kernel> setKernelDs(Probe p, boolean oops) {
        return kk -> {
            p.before = fillTargetPage(kk);
            kk.current.setFs(kk.ram, Layout.KERNEL_DS);
            p.kernelDsWorked = kk.uaccess.accessOk(TARGET, 4);
            if (oops) kk.callGuest(kk.image.symbol("unchecked_get_user_4"), 0);
            throw kk.exit(kk.current, Signal.exited(0));
        };
    }

    @Test
    void clearChildTidStillClearsAUserWordAtExit() throws Exception {
        Probe p = new Probe();
        Outcome o = run(cloneChild("word", ""), setKernelDs(p, true));
        assertTrue(o.klog.contains("Unable to handle kernel NULL pointer dereference"), o.klog);
        assertEquals(0, o.status, "the child's clear_child_tid zeroed the parent's word:\n" + o.klog);
    }

    @Test
    void anOopsUnderKernelDsDoesNotLetClearChildTidWriteTheKernel() throws Exception {
        Probe p = new Probe();
        Outcome o = run(cloneChild(Integer.toString(TARGET), ""), setKernelDs(p, true));
        assertTrue(p.kernelDsWorked, "KERNEL_DS was in force in the child before the oops");
        assertTrue(o.klog.contains("Unable to handle kernel NULL pointer dereference"), o.klog);
        assertEquals(0x44, o.status, "the parent's word is untouched");
        assertArrayEquals(p.before, page(o.kernel), "the kernel word at clear_child_tid is untouched");
    }

    @Test
    void anExitUnderKernelDsDoesNotLetClearChildTidWriteTheKernel() throws Exception {
        Probe p = new Probe();
        Outcome o = run(cloneChild(Integer.toString(TARGET), ""), setKernelDs(p, false));
        assertTrue(p.kernelDsWorked);
        assertEquals(0x44, o.status);
        assertArrayEquals(p.before, page(o.kernel));
        assertEquals("", o.klog);
    }

    /**
     * KERNEL_DS still set on the way back to user mode, with a signal to deliver and the user
     * stack pointer aimed at the kernel: the frame would be written there. The return path resets
     * addr_limit first and kills the task, as Linux's addr_limit_user_check does.
     */
    @Test
    void aSignalFrameIsNeverWrittenWithKernelDs() throws Exception {
        Probe p = new Probe();
        int[] at = new int[1];
        String asm = "\t.data\nact:\t.long handler, 0x04000000, restorer, 0, 0\n\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $174, %eax\n\tmovl $10, %ebx\n\tmovl $act, %ecx\n\txorl %edx, %edx\n\tmovl $8, %esi\n\tint $0x80\n"
                + "\tmovl %esp, %ebp\n\tmovl $KTOP, %esp\n\tmovl $1001, %eax\n\tint $0x80\n"
                + "\tmovl %ebp, %esp\n\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"
                + "handler:\tret\nrestorer:\tmovl $173, %eax\n\tint $0x80\n";
        Outcome o = run(asm.replace("KTOP", Integer.toString(TARGET)), kk -> {
            p.before = fillTargetPage(kk);
            kk.current.setFs(kk.ram, Layout.KERNEL_DS);
            p.kernelDsWorked = kk.uaccess.accessOk(TARGET - 1024, 1024);
            kk.signals.send(kk.current, Signal.SIGUSR1, SigInfo.kernel(Signal.SIGUSR1));
            at[0] = 1;
        });
        assertEquals(1, at[0]);
        assertTrue(p.kernelDsWorked);
        assertEquals(128 + Signal.SIGKILL, o.status, o.klog);
        assertTrue(o.klog.contains("Invalid address limit on user-mode return"), o.klog);
        assertArrayEquals(p.before, page(o.kernel), "no signal frame in kernel memory");
    }

    private static byte[] page(Kernel k) { return k.ram.read(Layout.pa(TARGET) & Layout.PAGE_MASK, Layout.PAGE_SIZE); }
}

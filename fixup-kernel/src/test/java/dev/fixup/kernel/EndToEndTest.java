package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** User programs on the kernel: bad pointers come back as -EFAULT through the exception table. */
class EndToEndTest {
    /** A program: the body, then exit(0); `result` stores %eax of the last syscall in a word printed at exit. */
    private static String prog(String body, String data) {
        return "\t.text\n\t.globl _start\n_start:\n" + body
                + "\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"
                + "\t.data\n\t.align 4\n" + data + "\n\t.bss\n\t.align 4096\nbuf:\t.skip 8192\n";
    }

    /** The lines of the syscall trace for one syscall name. */
    private static String line(String trace, String prefix) {
        for (String l : trace.split("\n")) if (l.startsWith(prefix)) return l;
        fail("no trace line starting with " + prefix + " in:\n" + trace);
        return null;
    }

    @Test
    void writeWithAGoodPointerPrints() throws Exception {
        Tools.Run r = Tools.run(Tools.program(prog(
                "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $msg, %ecx\n\tmovl $6, %edx\n\tint $0x80\n",
                "msg:\t.ascii \"hello\\n\"")), false);
        assertEquals(0, r.status());
        assertEquals("hello\n", r.stdout());
        assertTrue(r.trace().contains("syscall: write(1, 0x"), r.trace());
        assertFalse(r.trace().contains("extable:"), r.trace());
    }

    @Test
    void writeFromNullFaultsAndIsFixedUp() throws Exception {
        Tools.Run r = Tools.run(Tools.program(prog(
                "\tmovl $4, %eax\n\tmovl $1, %ebx\n\txorl %ecx, %ecx\n\tmovl $5, %edx\n\tint $0x80\n", "")), false);
        assertEquals(0, r.status());
        assertEquals("", r.stdout());
        String t = r.trace();
        assertEquals("syscall: write(1, 0x00000000, 5) = -14", line(t, "syscall: write"));
        assertTrue(Pattern.compile("fault: v=0e e=0000 cr2=00000000 eip=c01[0-9a-f]{5} cpl=0").matcher(t).find(), t);
        Matcher m = Pattern.compile("extable: eip=(c01[0-9a-f]{5}) <__copy_user_zeroing\\+0x[0-9a-f]+> -> fixup=(c01[0-9a-f]{5}) <__fixup_start\\+0x[0-9a-f]+>").matcher(t);
        assertTrue(m.find(), t);
        // The fault line names the same EIP the fixup line repairs.
        assertTrue(t.contains("eip=" + m.group(1) + " cpl=0"), t);
    }

    @Test
    void kernelAddressesAreRefusedByAccessOkWithoutAFault() throws Exception {
        Tools.Run r = Tools.run(Tools.program(prog(
                "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $0xc0000000, %ecx\n\tmovl $1, %edx\n\tint $0x80\n"
                + "\tmovl $122, %eax\n\tmovl $0xc0000000, %ebx\n\tint $0x80\n"
                + "\tmovl $5, %eax\n\tmovl $0xc0000000, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $0xbfffffff, %ecx\n\tmovl $2, %edx\n\tint $0x80\n"
                + "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $0xffffffff, %ecx\n\tmovl $4, %edx\n\tint $0x80\n", "")), false);
        String t = r.trace();
        assertEquals("syscall: write(1, 0xc0000000, 1) = -14", line(t, "syscall: write(1, 0xc0000000"));
        assertEquals("syscall: uname(0xc0000000) = -14", line(t, "syscall: uname"));
        assertEquals("syscall: open(0xc0000000, 0x0) = -14", line(t, "syscall: open"));
        assertEquals("syscall: write(1, 0xbfffffff, 2) = -14", line(t, "syscall: write(1, 0xbfffffff"));
        assertEquals("syscall: write(1, 0xffffffff, 4) = -14", line(t, "syscall: write(1, 0xffffffff"));
        assertFalse(t.contains("cpl=0"), "no kernel-mode fault at all:\n" + t);
        assertFalse(t.contains("extable:"), t);
    }

    @Test
    void readIntoAReadOnlyPageAndUnameIntoProtNoneFail() throws Exception {
        String mmap = "\tmovl $192, %eax\n\txorl %ebx, %ebx\n\tmovl $4096, %ecx\n\tmovl $PROT, %edx\n"
                + "\tmovl $0x22, %esi\n\tmovl $-1, %edi\n\txorl %ebp, %ebp\n\tint $0x80\n";
        Tools.Run r = Tools.run(Tools.program(prog(
                mmap.replace("PROT", "1") + "\tmovl %eax, ro\n"
                + "\tmovl ro, %eax\n\tmovl (%eax), %eax\n"                      // touch it: the page is present
                + mmap.replace("PROT", "0") + "\tmovl %eax, none\n"
                + "\tmovl $5, %eax\n\tmovl $zero, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl %eax, %ebx\n\tmovl $3, %eax\n\tmovl ro, %ecx\n\tmovl $16, %edx\n\tint $0x80\n"
                + "\tmovl $122, %eax\n\tmovl none, %ebx\n\tint $0x80\n",
                "ro:\t.long 0\nnone:\t.long 0\nzero:\t.asciz \"/dev/zero\"")), false);
        String t = r.trace();
        assertEquals(0, r.status(), t);
        assertEquals("syscall: read(3, 0x40000000, 16) = -14", line(t, "syscall: read"));
        // Present and read-only: a protection fault on a kernel write, which only CR0.WP makes happen.
        assertTrue(t.contains("fault: v=0e e=0003 cr2=40000000"), t);
        assertEquals("syscall: uname(0x40001000) = -14", line(t, "syscall: uname"));
        assertTrue(t.contains("fault: v=0e e=0002 cr2=40001000"), t);
    }

    @Test
    void userNullDereferenceIsSigsegv() throws Exception {
        Tools.Run r = Tools.run(Tools.example("segv.S"), false);
        assertEquals(139, r.status());
        assertEquals("about to dereference NULL\n", r.stdout());
        assertTrue(r.trace().contains("fault: v=0e e=0004 cr2=00000000"), r.trace());
        assertFalse(r.trace().contains("extable:"));
    }

    @Test
    void stackGrowsBelowEsp() throws Exception {
        Tools.Run r = Tools.run(Tools.example("stack-grow.S"), false);
        assertEquals(0, r.status(), r.trace());
        assertEquals("user stack grew by 256 KB\nread() into 64 KB below esp: 16 bytes\n", r.stdout());
    }

    @Test
    void userAccessFarBelowEspIsSigsegv() throws Exception {
        // 64 KB below esp, below the stack vma: "address + 32 < esp" makes it a bad access.
        Tools.Run r = Tools.run(Tools.program(prog("\tmovl $1, -0x10000(%esp)\n", "")), false);
        assertEquals(139, r.status(), r.trace());
    }

    @Test
    void efaultExamplePrintsMinus14ForEveryBadPointer() throws Exception {
        Tools.Run r = Tools.run(Tools.example("efault.S"), false);
        assertEquals(0, r.status(), r.trace());
        String out = r.stdout();
        assertTrue(out.startsWith("hello, kernel\nwrite(1, greeting, 14) = 14\n"), out);
        for (String l : out.split("\n")) {
            if (l.contains("NULL") || l.contains("0xc0000000") || l.contains("0xbfffffff") || l.contains("hole")
                    || l.contains("PROT_NONE") || l.contains("read-only")) {
                assertTrue(l.endsWith(" = -14"), l);
            }
        }
        assertTrue(out.contains("uname(utsname) = 0\n"), out);
    }

    @Test
    void debugSyscallOopsesAndTheKernelGoesOn() throws Exception {
        byte[] oops = Tools.example("oops.S");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.debugSyscalls = true;
        Kernel k = Kernel.boot(c, Tools.kernel());
        assertEquals(139, k.exec(oops, new String[] {"oops"}, new String[0]));
        String log = klog.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("Unable to handle kernel paging request at virtual address 0badc0de\n printing eip:\n"), log);
        int eip = k.image().symbol("unchecked_get_user_4") + 4;
        assertTrue(log.contains(String.format(" printing eip:\n%08x\n*pde = 00000000\nOops: 0000\nCPU:    0\nEIP:    0010:[<%08x>]\n", eip, eip)), log);
        assertTrue(log.contains("Process oops (pid: 1, stackpage="), log);
        assertTrue(log.contains("\nCode: 8b 00 c3 "), log);
        // The same machine runs the next program.
        byte[] hello = Tools.program(prog("\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $msg, %ecx\n\tmovl $3, %edx\n\tint $0x80\n",
                "msg:\t.ascii \"ok\\n\""));
        assertEquals(0, k.exec(hello, new String[] {"hello"}, new String[0]));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("ok\n"));
    }

    @Test
    void debugSyscallIsOffByDefault() throws Exception {
        Tools.Run r = Tools.run(Tools.program(prog("\tmovl $1000, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n", "")), false);
        assertEquals("syscall: fixup_unchecked_read(0x00000000) = -38", line(r.trace(), "syscall: fixup"));
        assertEquals("", r.klog());
    }

    @Test
    void panicOnOopsHaltsTheMachine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.debugSyscalls = true;
        c.panicOnOops = true;
        Kernel k = Kernel.boot(c, Tools.kernel());
        assertThrows(Kernel.KernelPanic.class, () -> k.exec(Tools.example("oops.S"), new String[] {"oops"}, new String[0]));
        assertTrue(klog.toString(StandardCharsets.UTF_8).contains("Kernel panic: Fatal exception"));
        assertThrows(IllegalStateException.class, () -> k.exec(Tools.example("oops.S"), new String[] {"oops"}, new String[0]));
    }

    @Test
    void exitStatusAndUnknownSyscalls() throws Exception {
        Tools.Run r = Tools.run(Tools.program("\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $9999, %eax\n\tint $0x80\n\tmovl %eax, %ebx\n\tnegl %ebx\n"       // -ENOSYS -> 38
                + "\tmovl $252, %eax\n\tint $0x80\n"), false);
        assertEquals(38, r.status());
    }

    @Test
    void brkGetpidUnameAndGettimeofday() throws Exception {
        Tools.Run r = Tools.run(Tools.program(prog(
                "\tmovl $45, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"
                + "\tleal 8192(%eax), %ebx\n\tmovl $45, %eax\n\tint $0x80\n"
                + "\tmovl $1, -4(%eax)\n"                                      // the new heap is usable
                + "\tmovl $20, %eax\n\tint $0x80\n"
                + "\tmovl $122, %eax\n\tmovl $buf, %ebx\n\tint $0x80\n"
                + "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $buf, %ecx\n\tmovl $5, %edx\n\tint $0x80\n"
                + "\tmovl $78, %eax\n\tmovl $buf, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl $78, %eax\n\tmovl $4, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n", "")), false);
        assertEquals(0, r.status(), r.trace());
        assertEquals("Linux", r.stdout());
        assertEquals("syscall: getpid() = 1", line(r.trace(), "syscall: getpid"));
        assertEquals("syscall: gettimeofday(0x00000004, 0x00000000) = -14", line(r.trace(), "syscall: gettimeofday(0x00000004"));
        assertEquals("syscall: gettimeofday(", line(r.trace(), "syscall: gettimeofday(0x0").substring(0, 22));
    }

    @Test
    void openFromTheFileTree() throws Exception {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("root");
        java.nio.file.Files.writeString(root.resolve("hello.txt"), "from the host\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.root = root;
        byte[] p = Tools.program(prog(
                "\tmovl $5, %eax\n\tmovl $name, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl %eax, %ebx\n\tmovl $3, %eax\n\tmovl $buf, %ecx\n\tmovl $100, %edx\n\tint $0x80\n"
                + "\tmovl %eax, %edx\n\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $buf, %ecx\n\tint $0x80\n"
                + "\tmovl $5, %eax\n\tmovl $missing, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl $5, %eax\n\tmovl $empty, %ebx\n\txorl %ecx, %ecx\n\tint $0x80\n"
                + "\tmovl $6, %eax\n\tmovl $3, %ebx\n\tint $0x80\n"
                + "\tmovl $6, %eax\n\tmovl $3, %ebx\n\tint $0x80\n",
                "name:\t.asciz \"/hello.txt\"\nmissing:\t.asciz \"/nope\"\nempty:\t.asciz \"\""));
        assertEquals(0, Kernel.run(c, Tools.kernel(), p, new String[] {"t"}, new String[0]));
        String t = trace.toString(StandardCharsets.UTF_8);
        assertEquals("from the host\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(t.contains(") = -2\nsyscall: open("), "missing file: ENOENT\n" + t);
        assertTrue(t.contains("syscall: close(3) = 0\nsyscall: close(3) = -9"), t);
    }

    @Test
    void verifyModeRefusesBadPointersBeforeTouchingThem() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.uaccess = KernelConfig.UaccessMode.VERIFY;
        byte[] p = Tools.program(prog(
                "\tmovl $4, %eax\n\tmovl $1, %ebx\n\txorl %ecx, %ecx\n\tmovl $5, %edx\n\tint $0x80\n"
                + "\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $msg, %ecx\n\tmovl $3, %edx\n\tint $0x80\n",
                "msg:\t.ascii \"ok\\n\""));
        assertEquals(0, Kernel.run(c, Tools.kernel(), p, new String[] {"v"}, new String[0]));
        String t = trace.toString(StandardCharsets.UTF_8);
        assertEquals("syscall: write(1, 0x00000000, 5) = -14", line(t, "syscall: write(1, 0x00000000"));
        assertFalse(t.contains("cr2=00000000"), "verify_area found no vma: no fault\n" + t);
        assertEquals("ok\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readFromTheTerminal() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), trace = new ByteArrayOutputStream(), klog = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(out, trace, klog);
        c.stdin = new java.io.ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8));
        byte[] p = Tools.program(prog(
                "\tmovl $3, %eax\n\txorl %ebx, %ebx\n\tmovl $buf, %ecx\n\tmovl $100, %edx\n\tint $0x80\n"
                + "\tmovl %eax, %edx\n\tmovl $4, %eax\n\tmovl $1, %ebx\n\tmovl $buf, %ecx\n\tint $0x80\n", ""));
        assertEquals(0, Kernel.run(c, Tools.kernel(), p, new String[] {"cat"}, new String[0]));
        assertEquals("typed\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitResetsAddrLimit() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(o, o, o);
        Kernel k = Kernel.boot(c, Tools.kernel());
        int[] kstack = new int[1];
        k.testProbe = kk -> {
            kk.current.setFs(kk.ram, Layout.KERNEL_DS);
            kstack[0] = kk.current.kstack;
        };
        byte[] p = Tools.program("\t.text\n\t.globl _start\n_start:\n\tmovl $1001, %eax\n\tint $0x80\n"
                + "\tmovl $1, %eax\n\tint $0x80\n");
        k.exec(p, new String[] {"fs"}, new String[0]);
        assertEquals(Layout.USER_DS, k.ram.read32(kstack[0]), "do_exit put USER_DS back before the task went away");
    }

    @Test
    void badProgramsAreRefusedWithAReason() throws Exception {
        KernelConfig c = Tools.config(new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> Kernel.run(c, Tools.kernel(), "not elf".getBytes(), new String[] {"x"}, new String[0]));
        assertTrue(e.getMessage().startsWith("not a valid ELF file: "), e.getMessage());
        byte[] obj = dev.fixup.asm.Assembler.assembleToBytes("o.S", "\tnop\n");
        e = assertThrows(IllegalArgumentException.class, () -> Kernel.run(c, Tools.kernel(), obj, new String[] {"x"}, new String[0]));
        assertEquals("not an executable (e_type 1)", e.getMessage());
    }

    @Test
    void mprotectToNoneAndBackKeepsThePage() throws Exception {
        Tools.Run r = Tools.run(Tools.program("\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $192, %eax\n\txorl %ebx, %ebx\n\tmovl $4096, %ecx\n\tmovl $3, %edx\n"
                + "\tmovl $0x22, %esi\n\tmovl $-1, %edi\n\txorl %ebp, %ebp\n\tint $0x80\n"
                + "\tmovl %eax, %esi\n\tmovl $42, (%esi)\n"
                + "\tmovl $125, %eax\n\tmovl %esi, %ebx\n\tmovl $4096, %ecx\n\txorl %edx, %edx\n\tint $0x80\n"
                + "\tmovl $122, %eax\n\tmovl %esi, %ebx\n\tint $0x80\n"
                + "\tmovl $125, %eax\n\tmovl %esi, %ebx\n\tmovl $4096, %ecx\n\tmovl $3, %edx\n\tint $0x80\n"
                + "\tmovl (%esi), %ebx\n\tmovl $1, %eax\n\tint $0x80\n"), false);
        assertEquals(42, r.status(), r.trace());
        assertEquals("syscall: uname(0x40000000) = -14", line(r.trace(), "syscall: uname"));
        assertTrue(r.trace().contains("syscall: mprotect(0x40000000, 4096, 0) = 0"), r.trace());
    }
}

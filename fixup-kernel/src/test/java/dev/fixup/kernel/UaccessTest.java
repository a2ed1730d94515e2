package dev.fixup.kernel;

import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.PageDirectory;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The guest user-access routines of uaccess.S called from Java inside a live task (syscall 1001),
 * against their exact results (bytes not copied, -EFAULT, zero-filled tails) and a copy that
 * faults at every offset of small and page-sized ranges.
 */
class UaccessTest {
    private static final long PAGE = 0x50000000L, HOLE = PAGE + 4096;

    /** Runs checks inside a syscall of a small task that has one RW page at PAGE and a hole after it. */
    private static void inTask(Consumer<Kernel> checks) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        KernelConfig c = Tools.config(o, new ByteArrayOutputStream(), o);
        c.trace = java.util.EnumSet.noneOf(KernelConfig.TraceClass.class);
        c.maxInstructions = 0;
        Kernel k = Kernel.boot(c, Tools.kernel());
        List<Throwable> failures = new ArrayList<>();
        boolean[] ran = new boolean[1];
        k.testProbe = kk -> {
            ran[0] = true;
            try {
                kk.current.mm.mmap(PAGE, 4096, 3, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED);
                checks.accept(kk);
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        byte[] p = Tools.program("\t.text\n\t.globl _start\n_start:\n\tmovl $1001, %eax\n\tint $0x80\n"
                + "\tmovl %eax, %ebx\n\tmovl $1, %eax\n\tint $0x80\n");
        assertEquals(0, k.exec(p, new String[] {"probe"}, new String[0]), o.toString());
        assertTrue(ran[0], "the probe syscall ran");
        if (!failures.isEmpty()) {
            if (failures.get(0) instanceof AssertionError e) throw e;
            throw new AssertionError(failures.get(0));
        }
    }

    /** Bytes copied by rep movsl + rep movsb when the first `readable` bytes are accessible. */
    private static int expectedCopied(int n, int readable) {
        int dwords = n / 4;
        if (readable >= 4 * dwords) return Math.min(n, readable);
        return 4 * (readable / 4);
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed + 31 * i + 1);
        return b;
    }

    /** Every small size and both sides of a page, and for each, how many bytes before the hole the copy may touch. */
    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 4095, 4096, 4097};

    private static boolean interesting(int n, int ok) {
        return ok <= Math.min(n, 4096) && (n <= 9 || ok <= 8 || ok >= n - 8 || ok >= 4088);
    }

    @Test
    void copyFromUserFaultingAtEveryOffset() throws Exception {
        inTask(k -> {
            int copyFromUser = k.image.symbol("copy_from_user");
            int kbuf = k.frames.allocContiguous(4), kva = Layout.va(kbuf);   // 16 KB: data + guard
            for (int n : SIZES) {
                for (int readable = 0; readable <= 4096; readable++) {
                    if (!interesting(n, readable)) continue;
                    int src = (int) (HOLE - readable);
                    byte[] data = pattern(readable, n);
                    if (readable > 0) assertEquals(0, k.uaccess.copyToUser(src, data, 0, readable));
                    k.ram.fill(kbuf, n + 1, 0x5a);
                    int left = k.callGuest(copyFromUser, kva, src, n);
                    int copied = expectedCopied(n, readable);
                    assertEquals(n - copied, left, "copy_from_user n=" + n + " readable=" + readable);
                    for (int i = 0; i < copied; i++) assertEquals(data[i] & 0xff, k.ram.read8(kbuf + i));
                    for (int i = copied; i < n; i++) assertEquals(0, k.ram.read8(kbuf + i), "zero-filled tail at " + i);
                    assertEquals(0x5a, k.ram.read8(kbuf + n), "guard byte after the destination");
                }
            }
        });
    }

    @Test
    void copyToUserAndClearUserFaultingAtEveryOffset() throws Exception {
        inTask(k -> {
            int copyToUser = k.image.symbol("copy_to_user"), clearUser = k.image.symbol("clear_user");
            int kbuf = k.frames.allocContiguous(2), kva = Layout.va(kbuf);
            for (int n : SIZES) {
                for (int writable = 0; writable <= 4096; writable++) {
                    if (!interesting(n, writable)) continue;
                    int dst = (int) (HOLE - writable);
                    byte[] data = pattern(n, 7 * n);
                    k.ram.write(kbuf, data);
                    int copied = expectedCopied(n, writable);
                    assertEquals(n - copied, k.callGuest(copyToUser, dst, kva, n), "copy_to_user n=" + n + " writable=" + writable);
                    int[] nc = new int[1];
                    if (copied > 0) {
                        byte[] back = k.uaccess.copyFromUser(dst, Math.min(copied, UserAccess.CHUNK), nc);
                        for (int i = 0; i < back.length; i++) assertEquals(data[i], back[i]);
                    }
                    assertEquals(n - copied, k.callGuest(clearUser, dst, n), "clear_user n=" + n + " writable=" + writable);
                }
            }
        });
    }

    @Test
    void accessOkBoundaries() throws Exception {
        inTask(k -> {
            UserAccess ua = k.uaccess;
            assertTrue(ua.accessOk(0xbfffffff, 1));
            assertFalse(ua.accessOk(0xbfffffff, 2));
            assertTrue(ua.accessOk(0xc0000000, 0));
            assertFalse(ua.accessOk(0xc0000000, 1));
            assertFalse(ua.accessOk(0xffffffff, 1));
            assertFalse(ua.accessOk(0xffffffff, 4));
            // The guest's checks agree with Java's: no fault, just the refusal.
            assertArrayEquals(new int[] {-Errno.EFAULT, 0}, ua.getUser(2, 0xbfffffff));
            assertArrayEquals(new int[] {-Errno.EFAULT, 0}, ua.getUser(4, 0xfffffffe));
            assertArrayEquals(new int[] {-Errno.EFAULT, 0}, ua.getUser(1, 0xc0000000));
            assertEquals(0, ua.getUser(1, 0xbfffffff)[0], "the last user byte: the stack's top page");
            assertEquals(-Errno.EFAULT, ua.putUser(4, 0xbffffffd, 1));
            assertEquals(5, k.callGuest(k.image.symbol("copy_to_user"), 0xbfffffff, ua.bounce, 5));
            assertEquals(0, k.callGuest(k.image.symbol("copy_to_user"), 0xc0000000, ua.bounce, 0));
        });
    }

    @Test
    void getUserAndPutUser() throws Exception {
        inTask(k -> {
            UserAccess ua = k.uaccess;
            int a = (int) PAGE + 100;
            assertEquals(0, ua.putUser(4, a, 0x11223344));
            assertArrayEquals(new int[] {0, 0x11223344}, ua.getUser(4, a));
            assertArrayEquals(new int[] {0, 0x3344}, ua.getUser(2, a));
            assertArrayEquals(new int[] {0, 0x44}, ua.getUser(1, a));
            assertEquals(0, ua.putUser(1, a, 0x99));
            assertArrayEquals(new int[] {0, 0x11223399}, ua.getUser(4, a));
            // Faults: x = 0 on failure; nothing written.
            assertArrayEquals(new int[] {-Errno.EFAULT, 0}, ua.getUser(4, 0));
            assertArrayEquals(new int[] {-Errno.EFAULT, 0}, ua.getUser(4, (int) HOLE - 2), "straddles the hole");
            assertEquals(-Errno.EFAULT, ua.putUser(4, (int) HOLE - 2, -1));
            assertArrayEquals(new int[] {0, 0}, ua.getUser(2, (int) HOLE - 2), "nothing was written");
            assertEquals(-Errno.EFAULT, ua.putUser(2, 0, 1));
        });
    }

    @Test
    void strncpyAndStrnlenFromUser() throws Exception {
        inTask(k -> {
            UserAccess ua = k.uaccess;
            int s = (int) HOLE - 6;
            ua.copyToUser(s, "abc\0xy".getBytes(), 0, 6);
            assertEquals(3, ua.strncpyFromUser(s, 10));
            assertEquals(2, ua.strncpyFromUser(s, 2), "no NUL in count bytes: count");
            assertEquals(0, ua.strncpyFromUser(s, 0));
            assertEquals(-Errno.EFAULT, ua.strncpyFromUser(s + 4, 10), "runs into the hole");
            assertEquals(-Errno.EFAULT, ua.strncpyFromUser(0xc0000000, 10));
            assertEquals(4, ua.strnlenUser(s, 10), "length + 1");
            assertEquals(3, ua.strnlenUser(s, 2), "n + 1 when too long");
            assertEquals(1, ua.strnlenUser(s, 0));
            assertEquals(0, ua.strnlenUser(s + 4, 10), "fault");
            assertEquals(0, ua.strnlenUser(0xc0000000, 10), "at addr_limit");
            assertEquals(-Errno.EFAULT, ua.getname(0));
            assertEquals(-Errno.ENOENT, ua.getname(s + 3));
            assertEquals("abc", ua.getname(s));
            assertEquals(-Errno.EFAULT, ua.getname(0xc0000000));
            byte[] longName = new byte[4096];
            java.util.Arrays.fill(longName, (byte) 'a');
            ua.copyToUser((int) PAGE, longName, 0, 4096);
            assertEquals(-Errno.ENAMETOOLONG, ua.getname((int) PAGE), "4096 bytes without a NUL");
            assertEquals(-Errno.EFAULT, ua.getname((int) PAGE + 1), "one more byte would be in the hole");
        });
    }

    @Test
    void kernelDsLetsTheRoutinesReachKernelMemory() throws Exception {
        inTask(k -> {
            UserAccess ua = k.uaccess;
            int kernelAddr = k.image.symbol("gdt_table");
            int[] left = new int[1];
            ua.copyFromUser(kernelAddr, 8, left);
            assertEquals(8, left[0], "USER_DS refuses kernel addresses");
            k.current.setFs(k.ram, Layout.KERNEL_DS);
            ua.copyFromUser(kernelAddr + 16, 8, left);
            assertEquals(0, left[0], "KERNEL_DS allows them");
            assertEquals("abc", ua.getname(write(k, "abc")), "getname under KERNEL_DS takes a kernel name");
            k.current.setFs(k.ram, Layout.USER_DS);
        });
    }

    @Test
    void vmallocFaultCopiesTheMissingKernelEntryFromTheMasterDirectory() throws Exception {
        inTask(k -> {
            PageDirectory pgd = k.current.mm.pgd;
            int index = 769;                                    // kernel virtual 0xc0400000-0xc07fffff
            int master = k.masterPgd.pde(index);
            pgd.setPde(index, 0);
            k.flushTlb();
            k.ram.write32(0x400010, 0x12345678);
            k.current.setFs(k.ram, Layout.KERNEL_DS);
            int[] left = new int[1];
            byte[] got = k.uaccess.copyFromUser(0xc0400010, 4, left);
            k.current.setFs(k.ram, Layout.USER_DS);
            assertEquals(0, left[0], "the kernel-mode not-present fault was repaired by vmalloc_fault");
            assertEquals(0x78, got[0] & 0xff);
            assertEquals(master, pgd.pde(index));
        });
    }

    private static int write(Kernel k, String s) {
        int va = k.uaccess.bounce + 2048;
        k.ram.write(Layout.pa(va), (s + "\0").getBytes());
        return va;
    }
}

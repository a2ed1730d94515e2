package dev.fixup.kernel;

import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.Vma;
import dev.fixup.kernel.proc.Limits;

/**
 * The Java side of uaccess.S. Java syscalls never read or write user memory themselves: they call
 * the guest routines, which copy between the user address and a kernel bounce buffer. So a bad
 * pointer faults inside guest code, and the exception table repairs it, exactly as in Linux.
 */
public final class UserAccess {
    /** Size of the kernel bounce buffer; longer transfers go in chunks. */
    public static final int CHUNK = Layout.PAGE_SIZE;

    private final Kernel k;
    private final int copyFromUser, copyToUser, clearUser, strncpyFromUser, strnlenUser;
    private final int[] getUser = new int[5], putUser = new int[5];
    /** Kernel virtual address of the bounce buffer. */
    public final int bounce;
    private static final byte[] NOTHING = new byte[0];

    UserAccess(Kernel k, KernelImage img, int bouncePhys) {
        this.k = k;
        copyFromUser = img.symbol("copy_from_user");
        copyToUser = img.symbol("copy_to_user");
        clearUser = img.symbol("clear_user");
        strncpyFromUser = img.symbol("strncpy_from_user");
        strnlenUser = img.symbol("strnlen_user");
        for (int n : new int[] {1, 2, 4}) {
            getUser[n] = img.symbol("__get_user_" + n);
            putUser[n] = img.symbol("__put_user_" + n);
        }
        bounce = Layout.va(bouncePhys);
    }

    /** access_ok(addr, size): addr + size must not wrap and must not pass the task's addr_limit. */
    public boolean accessOk(int addr, int size) {
        long end = Layout.u(addr) + Layout.u(size);
        return end <= Layout.u(k.current.addrLimit(k.ram));
    }

    /**
     * Copies n user bytes (n <= CHUNK) into the bounce buffer. Returns the bytes copied (which
     * precede the fault, if any); the rest of the buffer is zero, as copy_from_user leaves it.
     */
    public byte[] copyFromUser(int src, int n, int[] notCopied) {
        if (!verify(src, n, false)) {
            // Refused before any copy: copy_from_user's contract still zero-fills `to`.
            k.ram.fill(Layout.pa(bounce), n, 0);
            notCopied[0] = n;
            return NOTHING;
        }
        int left = k.callGuest(copyFromUser, bounce, src, n);
        notCopied[0] = left;
        return k.ram.read(Layout.pa(bounce), n - left);
    }

    /** Copies data to user address dst through the bounce buffer: the bytes NOT copied. */
    public int copyToUser(int dst, byte[] data, int off, int n) {
        if (!verify(dst, n, true)) return n;
        k.ram.write(Layout.pa(bounce), data, off, n);
        return k.callGuest(copyToUser, dst, bounce, n);
    }

    /** All n bytes at user address src (any length), or null when any of them cannot be read. */
    public byte[] read(int src, int n) {
        byte[] out = new byte[n];
        int[] notCopied = new int[1];
        for (int done = 0; done < n; done += CHUNK) {
            int len = Math.min(CHUNK, n - done);
            byte[] part = copyFromUser(src + done, len, notCopied);
            if (notCopied[0] != 0) return null;
            System.arraycopy(part, 0, out, done, len);
        }
        return out;
    }

    /** Writes all of data at user address dst; false when any byte could not be written. */
    public boolean write(int dst, byte[] data) {
        for (int done = 0; done < data.length; done += CHUNK) {
            int len = Math.min(CHUNK, data.length - done);
            if (copyToUser(dst + done, data, done, len) != 0) return false;
        }
        return true;
    }

    int clearUser(int dst, int n) {
        if (!verify(dst, n, true)) return n;
        return k.callGuest(clearUser, dst, n);
    }

    /**
     * A read of a source of zeros (/dev/zero, /dev/full) into n user bytes at dst, whose
     * access_ok the caller checked: one clear_user over the whole buffer, as Linux's read_zero
     * does (its rep stos runs a page at a time, not a byte or a bounce buffer at a time). The
     * bytes cleared, or -EFAULT when the first one could not be.
     */
    public int readZeros(int dst, int n) {
        int cleared = n - clearUser(dst, n);
        return cleared > 0 || n == 0 ? cleared : -Errno.EFAULT;
    }

    /** strncpy_from_user into the bounce buffer: length, count, or -EFAULT. */
    public int strncpyFromUser(int src, int count) {
        if (!verify(src, 1, false)) return -Errno.EFAULT;
        return k.callGuest(strncpyFromUser, bounce, src, count);
    }

    int strnlenUser(int s, int n) { return k.callGuest(strnlenUser, s, n); }

    /** get_user(x, p) for 1, 2 or 4 bytes: {err, value}; value 0 on failure. */
    public int[] getUser(int size, int addr) {
        if (!verify(addr, size, false)) return new int[] {-Errno.EFAULT, 0};
        long r = k.callGuestRegs(getUser[size], addr, 0);
        return new int[] {(int) r, (int) (r >>> 32)};
    }

    public int putUser(int size, int addr, int value) {
        if (!verify(addr, size, true)) return -Errno.EFAULT;
        return (int) k.callGuestRegs(putUser[size], addr, value);
    }

    /**
     * getname(): a path name from user memory, as Linux's fs/namei.c reads it. Names at or above TASK_SIZE are refused
     * under USER_DS; the copy is capped at TASK_SIZE - name near the top of user space, and a name
     * that fills the cap is too long.
     */
    public Object getname(int name) {
        long len = Layout.PAGE_SIZE;
        long addr = Layout.u(name);
        if (addr >= Layout.TASK_SIZE) {
            if (k.current.addrLimit(k.ram) != Layout.KERNEL_DS) return -Errno.EFAULT;
        } else if (Layout.TASK_SIZE - addr < Layout.PAGE_SIZE) {
            len = Layout.TASK_SIZE - addr;
        }
        int r = strncpyFromUser(name, (int) len);
        if (r > 0) {
            if (r < len) return new String(k.ram.read(Layout.pa(bounce), r), java.nio.charset.StandardCharsets.UTF_8);
            return -Errno.ENAMETOOLONG;
        }
        return r == 0 ? -Errno.ENOENT : r;
    }

    /**
     * --uaccess=verify: the seed's older design, verify_area() walking the vma list before every
     * copy. With the table design (the default) this always says yes and the MMU decides.
     */
    private boolean verify(int addr, int size, boolean write) {
        if (k.cfg.uaccess != KernelConfig.UaccessMode.VERIFY || size == 0) return true;
        if (!accessOk(addr, size)) return false;
        // Kernel memory under set_fs(KERNEL_DS) has no vmas to check: verify_area let KERNEL_DS
        // through, and the MMU (and the table) still catch what is not mapped.
        if (Layout.u(addr) >= Layout.TASK_SIZE) return true;
        Mm mm = k.current.mm;
        long a = Layout.u(addr), end = a + Layout.u(size);
        while (a < end) {
            Vma v = mm.findVma(a);
            if (v == null) return false;
            if (v.start > a) {
                if (!v.has(Vma.VM_GROWSDOWN) || !Limits.expandStack(k.current, v, a)) return false;
            }
            if (!v.has(write ? Vma.VM_WRITE : Vma.VM_READ)) return false;
            a = v.end;
        }
        return true;
    }
}

package dev.fixup.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The system calls (Linux i386 numbers): eax = number, ebx ecx edx esi edi ebp = arguments, the
 * result or -errno back in eax. Every user pointer is touched through {@link UserAccess}, so bad
 * pointers come back as -EFAULT by way of the exception table (SPEC §6).
 */
final class Syscalls {
    static final int EXIT = 1, READ = 3, WRITE = 4, OPEN = 5, CLOSE = 6, GETPID = 20, BRK = 45,
            GETTIMEOFDAY = 78, MUNMAP = 91, UNAME = 122, MPROTECT = 125, MMAP2 = 192, EXIT_GROUP = 252;
    /** Debug only (KernelConfig.debugSyscalls): read a user dword with no exception-table entry. */
    static final int FIXUP_UNCHECKED_READ = 1000;
    /** Unit tests only (Kernel.testProbe set): run Java checks inside a syscall of a live task. */
    static final int TEST_PROBE = 1001;

    private final Kernel k;
    private final UserAccess ua;

    Syscalls(Kernel k, UserAccess ua) {
        this.k = k;
        this.ua = ua;
    }

    /** Runs the syscall saved in regs; the caller stores the result in the task's eax. */
    int dispatch(PtRegs regs) {
        int nr = regs.get(PtRegs.ORIG_EAX);
        int a = regs.get(PtRegs.EBX), b = regs.get(PtRegs.ECX), c = regs.get(PtRegs.EDX);
        int d = regs.get(PtRegs.ESI), e = regs.get(PtRegs.EDI), f = regs.get(PtRegs.EBP);
        if (nr == EXIT || nr == EXIT_GROUP) {
            k.tracer.syscall(nr, new int[] {a}, null);
            throw k.exit(k.current, a & 0xFF);
        }
        int r;
        try {
            r = call(nr, a, b, c, d, e, f);
        } catch (IOException ex) {
            r = -Errno.EIO;
        }
        k.tracer.syscall(nr, new int[] {a, b, c, d, e, f}, r);
        return r;
    }

    private int call(int nr, int a, int b, int c, int d, int e, int f) throws IOException {
        switch (nr) {
            case READ: return read(a, b, c);
            case WRITE: return write(a, b, c);
            case OPEN: return open(a, b);
            case CLOSE: return close(a);
            case GETPID: return k.current.pid;
            case BRK: return (int) k.current.mm.brk(Layout.u(a));
            case GETTIMEOFDAY: return gettimeofday(a, b);
            case MUNMAP: return k.current.mm.munmap(Layout.u(a), Layout.u(b));
            case UNAME: return uname(a);
            case MPROTECT: return k.current.mm.mprotect(Layout.u(a), Layout.u(b), c);
            case MMAP2: return mmap2(a, b, c, d, e, f);
            case FIXUP_UNCHECKED_READ:
                if (!k.cfg.debugSyscalls) return -Errno.ENOSYS;
                return k.callGuest(k.image.symbol("unchecked_get_user_4"), a);
            case TEST_PROBE:
                if (k.testProbe == null) return -Errno.ENOSYS;
                k.testProbe.accept(k);
                return 0;
            default: return -Errno.ENOSYS;
        }
    }

    /** read: access_ok first; then file -> bounce buffer -> user, chunk by chunk. */
    private int read(int fd, int buf, int count) throws IOException {
        OpenFile file = k.current.file(fd);
        if (file == null || !file.readable) return -Errno.EBADF;
        if (count < 0) return -Errno.EINVAL;
        if (!ua.accessOk(buf, count)) return -Errno.EFAULT;
        byte[] chunk = new byte[UserAccess.CHUNK];
        int done = 0;
        while (done < count) {
            int n = file.read(chunk, Math.min(count - done, chunk.length));
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            int copied = n - ua.copyToUser(buf + done, chunk, 0, n);
            file.pos += copied;
            done += copied;
            if (copied < n) return done > 0 ? done : -Errno.EFAULT;
            if (file instanceof OpenFile.Tty) break;         // a terminal returns what it has
        }
        return done;
    }

    /** write: access_ok first; user -> bounce buffer -> file. Only copied bytes reach the file. */
    private int write(int fd, int buf, int count) throws IOException {
        OpenFile file = k.current.file(fd);
        if (file == null || !file.writable) return -Errno.EBADF;
        if (count < 0) return -Errno.EINVAL;
        if (!ua.accessOk(buf, count)) return -Errno.EFAULT;
        int done = 0;
        int[] notCopied = new int[1];
        while (done < count) {
            int n = Math.min(count - done, UserAccess.CHUNK);
            byte[] data = ua.copyFromUser(buf + done, n, notCopied);
            if (data.length > 0) {
                int w = file.write(data, data.length);
                if (w < 0) return done > 0 ? done : w;
                file.pos += w;
                done += w;
            }
            if (notCopied[0] > 0) return done > 0 ? done : -Errno.EFAULT;
        }
        return done;
    }

    private int open(int path, int flags) {
        Object name = ua.getname(path);
        if (name instanceof Integer err) return err;
        Object file = k.fs.open((String) name, flags);
        if (file instanceof Integer err) return err;
        int fd = k.current.allocFd((OpenFile) file);
        return fd;
    }

    private int close(int fd) throws IOException {
        OpenFile file = k.current.file(fd);
        if (file == null) return -Errno.EBADF;
        k.current.files[fd] = null;
        file.close();
        return 0;
    }

    /** struct new_utsname: six fields of 65 bytes. */
    private int uname(int buf) {
        String[] fields = {"Linux", "fixup", "2.4.37-fixup", "#1 Fixup", "i686", "(none)"};
        byte[] u = new byte[6 * 65];
        for (int i = 0; i < fields.length; i++) {
            byte[] s = fields[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, u, 65 * i, s.length);
        }
        return ua.copyToUser(buf, u, 0, u.length) != 0 ? -Errno.EFAULT : 0;
    }

    private int gettimeofday(int tv, int tz) {
        if (tv != 0) {
            long micros = System.currentTimeMillis() * 1000;
            byte[] t = new byte[8];
            put32(t, 0, (int) (micros / 1_000_000));
            put32(t, 4, (int) (micros % 1_000_000));
            if (ua.copyToUser(tv, t, 0, 8) != 0) return -Errno.EFAULT;
        }
        if (tz != 0 && ua.copyToUser(tz, new byte[8], 0, 8) != 0) return -Errno.EFAULT;
        return 0;
    }

    /** mmap2: anonymous mappings only (a file-backed mmap needs a page cache: ENODEV for now). */
    private int mmap2(int addr, int len, int prot, int flags, int fd, int pgoff) {
        if ((flags & Mm.MAP_ANONYMOUS) == 0) {
            return k.current.file(fd) == null ? -Errno.EBADF : -Errno.ENODEV;
        }
        return (int) k.current.mm.mmap(Layout.u(addr), Layout.u(len), prot, flags);
    }

    private static void put32(byte[] b, int o, int v) {
        for (int i = 0; i < 4; i++) b[o + i] = (byte) (v >> 8 * i);
    }

    /** strace-like argument lists: which arguments each syscall shows and how. */
    static String format(int nr, int[] a, Integer result) {
        String name, args;
        switch (nr) {
            case EXIT: name = "exit"; args = d(a[0]); break;
            case EXIT_GROUP: name = "exit_group"; args = d(a[0]); break;
            case READ: name = "read"; args = d(a[0]) + ", " + p(a[1]) + ", " + d(a[2]); break;
            case WRITE: name = "write"; args = d(a[0]) + ", " + p(a[1]) + ", " + d(a[2]); break;
            case OPEN: name = "open"; args = p(a[0]) + ", " + x(a[1]); break;
            case CLOSE: name = "close"; args = d(a[0]); break;
            case GETPID: name = "getpid"; args = ""; break;
            case BRK: name = "brk"; args = p(a[0]); break;
            case GETTIMEOFDAY: name = "gettimeofday"; args = p(a[0]) + ", " + p(a[1]); break;
            case MUNMAP: name = "munmap"; args = p(a[0]) + ", " + d(a[1]); break;
            case UNAME: name = "uname"; args = p(a[0]); break;
            case MPROTECT: name = "mprotect"; args = p(a[0]) + ", " + d(a[1]) + ", " + d(a[2]); break;
            case MMAP2: name = "mmap2"; args = p(a[0]) + ", " + d(a[1]) + ", " + d(a[2]) + ", " + x(a[3]) + ", "
                    + d(a[4]) + ", " + d(a[5]); break;
            case FIXUP_UNCHECKED_READ: name = "fixup_unchecked_read"; args = p(a[0]); break;
            default: name = "syscall_" + nr; args = p(a[0]) + ", " + p(a[1]) + ", " + p(a[2]); break;
        }
        boolean address = (nr == BRK || nr == MMAP2) && result != null && Integer.compareUnsigned(result, -4095) < 0;
        String res = result == null ? "?" : address ? p(result) : Integer.toString(result);
        return "syscall: " + name + "(" + args + ") = " + res;
    }

    private static String d(int v) { return Integer.toString(v); }
    private static String p(int v) { return String.format("0x%08x", v); }
    private static String x(int v) { return "0x" + Integer.toHexString(v); }
}

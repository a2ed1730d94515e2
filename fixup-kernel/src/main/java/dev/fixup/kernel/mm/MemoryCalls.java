package dev.fixup.kernel.mm;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.fs.OpenFile;
import dev.fixup.kernel.proc.Limits;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

/**
 * The memory system calls: brk, mmap2 and the old mmap, munmap, mprotect, mremap, madvise. The
 * policy is {@link Mm}'s; here the arguments are unpacked, the descriptor of a file mapping is
 * looked up, and the caller's RLIMIT_AS goes along.
 */
public final class MemoryCalls extends SyscallGroup {

    public MemoryCalls(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(45, "brk", "p>", x -> (int) k.current.mm.brk(Layout.u(x.a()), asLimit()));
        s.add(90, "mmap", "p>", x -> oldMmap(x.a()));
        s.add(91, "munmap", "pd", x -> k.current.mm.munmap(Layout.u(x.a()), Layout.u(x.b())));
        s.add(125, "mprotect", "pdd", x -> k.current.mm.mprotect(Layout.u(x.a()), Layout.u(x.b()), x.c()));
        s.add(163, "mremap", "pddxp>", x -> (int) k.current.mm.mremap(Layout.u(x.a()), Layout.u(x.b()), Layout.u(x.c()),
                x.d(), Layout.u(x.e()), asLimit()));
        s.add(192, "mmap2", "pddxdd>", x -> mmap2(x.a(), x.b(), x.c(), x.d(), x.e(), x.f()));
        s.add(219, "madvise", "pdd", x -> k.current.mm.madvise(Layout.u(x.a()), Layout.u(x.b()), x.c()));
    }

    private long asLimit() { return Limits.current(k.current, Limits.RLIMIT_AS); }

    /**
     * mmap2: the offset in pages. A file mapping needs an open descriptor (EBADF first, as in
     * Linux); a private mapping of /dev/zero is anonymous memory, as Linux makes it.
     */
    private int mmap2(int addr, int len, int prot, int flags, int fd, int pgoff) {
        Vma.Backing file = null;
        if ((flags & Mm.MAP_ANONYMOUS) == 0) {
            OpenFile f = k.current.file(fd);
            if (f == null) return -Errno.EBADF;
            if (!(f instanceof OpenFile.Zero)) file = Vma.file(f);
            else if (!f.readable) return -Errno.EACCES;
        }
        return (int) k.current.mm.mmap(Layout.u(addr), Layout.u(len), prot, flags, file, Layout.u(pgoff) << 12, asLimit());
    }

    /** The old mmap: its six arguments in a user struct; the offset in bytes, page aligned. */
    private int oldMmap(int args) {
        byte[] b = ua.read(args, 24);
        if (b == null) return -Errno.EFAULT;
        int off = Bytes.get32(b, 20);
        if ((off & (Layout.PAGE_SIZE - 1)) != 0) return -Errno.EINVAL;
        return mmap2(Bytes.get32(b, 0), Bytes.get32(b, 4), Bytes.get32(b, 8), Bytes.get32(b, 12), Bytes.get32(b, 16),
                off >>> 12);
    }
}

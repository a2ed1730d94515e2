package dev.fixup.kernel;

/** The memory system calls: brk, mmap2 and the old mmap, munmap, mprotect. */
final class MemoryCalls {
    private final Kernel k;
    private final UserAccess ua;

    MemoryCalls(Kernel k, UserAccess ua) {
        this.k = k;
        this.ua = ua;
    }

    void register(Syscalls s) {
        s.add(45, "brk", "p>", x -> (int) k.current.mm.brk(Layout.u(x.a())));
        s.add(90, "mmap", "p>", x -> oldMmap(x.a()));
        s.add(91, "munmap", "pd", x -> k.current.mm.munmap(Layout.u(x.a()), Layout.u(x.b())));
        s.add(125, "mprotect", "pdd", x -> k.current.mm.mprotect(Layout.u(x.a()), Layout.u(x.b()), x.c()));
        s.add(192, "mmap2", "pddxdd>", x -> mmap2(x.a(), x.b(), x.c(), x.d(), x.e(), x.f()));
    }

    /** mmap2: anonymous mappings only (a file-backed mmap needs a page cache: ENODEV for now). */
    private int mmap2(int addr, int len, int prot, int flags, int fd, int pgoff) {
        if ((flags & Mm.MAP_ANONYMOUS) == 0) {
            return k.current.file(fd) == null ? -Errno.EBADF : -Errno.ENODEV;
        }
        return (int) k.current.mm.mmap(Layout.u(addr), Layout.u(len), prot, flags);
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

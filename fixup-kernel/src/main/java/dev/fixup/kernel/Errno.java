package dev.fixup.kernel;

/** Linux errno values (returned negated by syscalls). */
public final class Errno {
    private Errno() {}
    public static final int EPERM = 1, ENOENT = 2, EIO = 5, E2BIG = 7, EBADF = 9, ENOMEM = 12, EACCES = 13,
            EFAULT = 14, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EMFILE = 24,
            ENOSPC = 28, ESPIPE = 29, ENAMETOOLONG = 36, ENOSYS = 38;
}

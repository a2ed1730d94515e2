package dev.fixup.kernel.syscall;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.UserAccess;

/**
 * The system calls of one subsystem, as the kernel builds them at boot: each reaches the kernel
 * and touches user memory only through the guest user-access routines, and joins the table
 * with {@link #register}.
 */
public abstract class SyscallGroup {
    protected final Kernel k;
    protected final UserAccess ua;

    protected SyscallGroup(Kernel k, UserAccess ua) {
        this.k = k;
        this.ua = ua;
    }

    /** Adds this group's calls, by number and name, to the table. */
    public abstract void register(Syscalls s);
}

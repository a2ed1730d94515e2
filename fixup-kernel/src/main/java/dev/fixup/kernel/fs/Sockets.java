package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

/**
 * The socket calls of a kernel with no address family: socket() and socketpair() fail with
 * EAFNOSUPPORT, and a call on a descriptor says what Linux says of a descriptor that is not a
 * socket (ENOTSOCK, or EBADF when it is not open). Programs ask such questions of their standard
 * streams: bash's getpeername(0) decides whether it was started by a remote shell daemon.
 * Both entries are here: socketcall(2) (its call number and an array of arguments) and the
 * direct calls of Linux 4.3+.
 */
public final class Sockets extends SyscallGroup {
    static final int EAFNOSUPPORT = 97, ENOTSOCK = 88;
    /** socketcall's call numbers: SYS_SOCKET = 1 .. SYS_SENDMMSG = 20, with their argument counts. */
    private static final int[] ARGS = {0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4};
    private static final int SYS_SOCKET = 1, SYS_SOCKETPAIR = 8;


    public Sockets(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(102, "socketcall", "dp", x -> socketcall(x.a(), x.b()));
        s.add(359, "socket", "ddd", x -> call(SYS_SOCKET, x.a()));
        s.add(360, "socketpair", "dddp", x -> call(SYS_SOCKETPAIR, x.a()));
        String[] names = {"bind", "connect", "listen", "accept4", "getsockopt", "setsockopt", "getsockname",
            "getpeername", "sendto", "sendmsg", "recvfrom", "recvmsg", "shutdown"};
        int[] calls = {2, 3, 4, 18, 15, 14, 6, 7, 11, 16, 12, 17, 13};
        for (int i = 0; i < names.length; i++) {
            int call = calls[i];
            s.add(361 + i, names[i], "dppppp".substring(0, ARGS[call]), x -> call(call, x.a()));
        }
        s.add(345, "sendmmsg", "dpdx", x -> call(20, x.a()));
        s.add(337, "recvmmsg", "dpdxp", x -> call(19, x.a()));
    }

    private int socketcall(int call, int args) {
        if (call < 1 || call >= ARGS.length) return -Errno.EINVAL;
        byte[] a = ua.read(args, 4 * ARGS[call]);
        if (a == null) return -Errno.EFAULT;
        return call(call, Bytes.get32(a, 0));
    }

    /** Every call but socket and socketpair starts from a descriptor. */
    private int call(int call, int fd) {
        if (call == SYS_SOCKET || call == SYS_SOCKETPAIR) return -EAFNOSUPPORT;
        return fd >= 0 && k.current.file(fd) != null ? -ENOTSOCK : -Errno.EBADF;
    }
}

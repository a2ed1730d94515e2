package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.proc.WaitQueue;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import java.io.IOException;

/**
 * The file-descriptor system calls: read and write (and their vector forms), open and close,
 * dup, pipe, fcntl, lseek, poll and select. Data moves between the file and a kernel bounce
 * buffer, and between that buffer and the user only through {@link UserAccess}.
 */
public final class FileCalls extends SyscallGroup {
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    static final int FD_CLOEXEC = 1;
    static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
    private static final int IOV_MAX = 1024;

    /** A write that slept after moving some bytes: the re-issued call skips them. */
    public record Progress(int done) {}

    /** When a sleeping poll or select gives up (System.nanoTime()); 0 = never. */
    record Deadline(long at) {}

    /** Set by doWrite when it stopped because the file would block. */
    private boolean wouldBlock;

    public FileCalls(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(3, "read", "dpd", x -> read(x.a(), x.b(), x.c()));
        s.add(4, "write", "dpd", x -> write(x.a(), x.b(), x.c()));
        s.add(6, "close", "d", x -> k.current.files.close(x.a()));
        s.add(19, "lseek", "ddd", x -> lseek(x.a(), x.b(), x.c()));
        s.add(41, "dup", "d", x -> dup(x.a(), 0, false));
        s.add(42, "pipe", "p", x -> pipe(x.a(), 0));
        s.add(54, "ioctl", "dxp", x -> ioctl(x.a(), x.b(), x.c()));
        s.add(55, "fcntl", "ddx", x -> fcntl(x.a(), x.b(), x.c()));
        s.add(63, "dup2", "dd", x -> dup2(x.a(), x.b(), 0));
        s.add(140, "_llseek", "dddpd", x -> llseek(x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(142, "_newselect", "dpppp", x -> select(x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(145, "readv", "dpd", x -> readv(x.a(), x.b(), x.c()));
        s.add(146, "writev", "dpd", x -> writev(x.a(), x.b(), x.c()));
        s.add(168, "poll", "pdd", x -> poll(x.a(), x.b(), x.c()));
        s.add(221, "fcntl64", "ddx", x -> fcntl(x.a(), x.b(), x.c()));
        s.add(330, "dup3", "ddx", x -> dup3(x.a(), x.b(), x.c()));
        s.add(331, "pipe2", "px", x -> pipe(x.a(), x.b()));
    }

    // ---- read and write

    private int read(int fd, int buf, int count) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.readable) return -Errno.EBADF;
        if (f instanceof UserBufferFile dev) return dev.readUser(buf, count);   // a driver copies for itself
        if (!ua.accessOk(buf, count)) return -Errno.EFAULT;    // first, as in vfs_read: on i386 a count >= 2 GB never passes
        if (count < 0) return -Errno.EINVAL;
        if (f instanceof OpenFile.Zero || f instanceof OpenFile.Full) return ua.readZeros(buf, count);  // clear_user, no bounce buffer
        int r = doRead(f, buf, count);
        return r == -Errno.EAGAIN && !f.nonBlocking() ? sleepOn(f, false) : r;
    }

    /**
     * What doRead reads into before copy_to_user: one per kernel, not one per call (a new 4 KB
     * array was a sixth of a 1-byte pipe read's Java time). Nothing re-enters doRead while it is
     * in use: copy_to_user runs guest kernel code, and tasks switch only on the way back to user mode.
     */
    private final byte[] chunk = new byte[UserAccess.CHUNK];

    /** file -> bounce buffer -> user, chunk by chunk: bytes read, -EAGAIN if none were there yet, or -errno. */
    private int doRead(OpenFile f, int buf, int count) throws IOException {
        int done = 0;
        while (done < count) {
            int n = f.read(chunk, Math.min(count - done, chunk.length));
            if (n < 0) return done > 0 ? done : n;
            if (n == 0) break;
            int copied = n - ua.copyToUser(buf + done, chunk, 0, n);
            f.advance(copied);
            done += copied;
            if (copied < n) return done > 0 ? done : -Errno.EFAULT;
            if (f instanceof OpenFile.Tty) break;         // a terminal returns what it has
        }
        return done;
    }

    private int write(int fd, int buf, int count) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.writable) return -Errno.EBADF;
        if (f instanceof UserBufferFile dev) return dev.writeUser(buf, count);  // a driver copies for itself
        if (!ua.accessOk(buf, count)) return -Errno.EFAULT;    // first, as in vfs_write
        if (count < 0) return -Errno.EINVAL;
        int before = k.current.restart instanceof Progress p ? p.done() : 0;
        int r = doWrite(f, buf + before, count - before);
        return finishWrite(f, before, r);
    }

    /** A write that moved r more bytes after `before` earlier ones: done, or sleep for the rest. */
    private int finishWrite(OpenFile f, int before, int r) {
        if (r < 0) return before > 0 ? before : r;
        if (wouldBlock && !f.nonBlocking()) {
            k.current.restart = new Progress(before + r);
            return sleepOn(f, true);
        }
        int done = before + r;
        return done == 0 && wouldBlock ? -Errno.EAGAIN : done;
    }

    /**
     * user -> bounce buffer -> file. Only bytes that were copied reach the file. Returns the bytes
     * written (wouldBlock set if the file filled up first) or -errno when none were.
     */
    private int doWrite(OpenFile f, int buf, int count) throws IOException {
        wouldBlock = false;
        int done = 0;
        int[] notCopied = new int[1];
        while (done < count) {
            int n = Math.min(count - done, UserAccess.CHUNK);
            byte[] data = ua.copyFromUser(buf + done, n, notCopied);
            int off = 0;
            while (off < data.length) {
                byte[] rest = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
                int w = f.write(rest, rest.length);
                if (w == -Errno.EAGAIN) { wouldBlock = true; return done; }
                if (w == -Errno.EPIPE) k.signals.send(k.current, Signal.SIGPIPE, SigInfo.user(Signal.SIGPIPE, Signal.SI_USER, k.current.pid));
                if (w < 0) return done > 0 ? done : w;
                f.advance(w);
                done += w;
                off += w;
            }
            if (notCopied[0] > 0) return done > 0 ? done : -Errno.EFAULT;
        }
        return done;
    }

    private int sleepOn(OpenFile f, boolean forWrite) {
        k.sched.sleep(k.current, forWrite ? 0 : f.readDeadline(), f.waitQueue(forWrite));
        return Syscalls.RESTART;
    }

    /** The iovec array {base, len} of readv/writev, or null (the errno is in err[0]). */
    private int[] iovecs(int iov, int cnt, int[] err) {
        if (cnt < 0 || cnt > IOV_MAX) { err[0] = -Errno.EINVAL; return null; }
        byte[] raw = ua.read(iov, 8 * cnt);
        if (raw == null) { err[0] = -Errno.EFAULT; return null; }
        int[] v = new int[2 * cnt];
        long total = 0;
        for (int i = 0; i < 2 * cnt; i++) v[i] = Bytes.get32(raw, 4 * i);
        for (int i = 0; i < cnt; i++) {
            total += Layout.u(v[2 * i + 1]);
            if (v[2 * i + 1] < 0 || total > Integer.MAX_VALUE) { err[0] = -Errno.EINVAL; return null; }
        }
        // import_iovec: every segment passes access_ok before any byte moves (a kernel address: EFAULT, nothing done).
        for (int i = 0; i < cnt; i++) if (!ua.accessOk(v[2 * i], v[2 * i + 1])) { err[0] = -Errno.EFAULT; return null; }
        return v;
    }

    private int readv(int fd, int iov, int cnt) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.readable) return -Errno.EBADF;
        int[] err = new int[1];
        int[] v = iovecs(iov, cnt, err);
        if (v == null) return err[0];
        int total = 0;
        for (int i = 0; i < cnt; i++) {
            int base = v[2 * i], len = v[2 * i + 1];
            if (len == 0) continue;
            if (!ua.accessOk(base, len)) return total > 0 ? total : -Errno.EFAULT;
            int r = doRead(f, base, len);
            if (r == -Errno.EAGAIN && total == 0) return f.nonBlocking() ? r : sleepOn(f, false);
            if (r < 0) return total > 0 ? total : r;
            total += r;
            if (r < len) break;
        }
        return total;
    }

    private int writev(int fd, int iov, int cnt) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.writable) return -Errno.EBADF;
        int[] err = new int[1];
        int[] v = iovecs(iov, cnt, err);
        if (v == null) return err[0];
        int before = k.current.restart instanceof Progress p ? p.done() : 0;
        int skip = before, done = 0;
        wouldBlock = false;
        for (int i = 0; i < cnt && !wouldBlock; i++) {
            int base = v[2 * i], len = v[2 * i + 1];
            if (skip >= len) { skip -= len; continue; }
            base += skip;
            len -= skip;
            skip = 0;
            if (!ua.accessOk(base, len)) return finishWrite(f, before, done > 0 ? done : -Errno.EFAULT);
            int r = doWrite(f, base, len);
            if (r < 0) return finishWrite(f, before, done > 0 ? done : r);
            done += r;
            if (r < len && !wouldBlock) break;
        }
        return finishWrite(f, before, done);
    }

    // ---- dup, pipe, fcntl, lseek

    private int dup(int fd, int min, boolean cloexec) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (min < 0 || min >= FdTable.MAX_FDS) return -Errno.EINVAL;
        f.get();
        int nfd = k.current.files.install(f, min, cloexec);
        if (nfd < 0) f.put();
        return nfd;
    }

    private int dup2(int oldfd, int newfd, int flags) throws IOException {
        OpenFile f = k.current.file(oldfd);
        if (f == null) return -Errno.EBADF;
        if (newfd < 0 || newfd >= FdTable.MAX_FDS) return -Errno.EBADF;
        if (oldfd == newfd) return newfd;
        k.current.files.installAt(newfd, f, (flags & FileSystem.O_CLOEXEC) != 0);
        return newfd;
    }

    private int dup3(int oldfd, int newfd, int flags) throws IOException {
        if ((flags & ~FileSystem.O_CLOEXEC) != 0 || oldfd == newfd) return -Errno.EINVAL;
        return dup2(oldfd, newfd, flags);
    }

    /** pipe(fds[2]) / pipe2(fds, flags): read end first. */
    private int pipe(int fds, int flags) throws IOException {
        if ((flags & ~(FileSystem.O_CLOEXEC | FileSystem.O_NONBLOCK)) != 0) return -Errno.EINVAL;
        OpenFile[] ends = new Pipe(k.sched).ends();
        boolean cloexec = (flags & FileSystem.O_CLOEXEC) != 0;
        FdTable t = k.current.files;
        int r = t.install(ends[0], 0, cloexec);
        if (r < 0) { ends[0].put(); ends[1].put(); return r; }
        int w = t.install(ends[1], 0, cloexec);
        if (w < 0) { t.close(r); ends[1].put(); return w; }
        for (OpenFile e : ends) e.statusFlags |= flags & FileSystem.O_NONBLOCK;
        byte[] pair = new byte[8];
        Bytes.put32(pair, 0, r);
        Bytes.put32(pair, 4, w);
        if (!ua.write(fds, pair)) {
            t.close(r);
            t.close(w);
            return -Errno.EFAULT;
        }
        return 0;
    }

    private int fcntl(int fd, int cmd, int arg) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        FdTable t = k.current.files;
        switch (cmd) {
            case F_DUPFD: return dup(fd, arg, false);
            case F_DUPFD_CLOEXEC: return dup(fd, arg, true);
            case F_GETFD: return t.isCloexec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD: t.setCloexec(fd, (arg & FD_CLOEXEC) != 0); return 0;
            case F_GETFL: return f.statusFlags;
            case F_SETFL: {
                int changeable = FileSystem.O_APPEND | FileSystem.O_NONBLOCK;
                f.statusFlags = (f.statusFlags & ~changeable) | (arg & changeable);
                return 0;
            }
            default: return -Errno.EINVAL;
        }
    }

    /** ioctl: the terminal's requests on the terminal, FIONREAD on anything readable, ENOTTY otherwise. */
    private int ioctl(int fd, int cmd, int arg) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (f instanceof UserBufferFile dev) return dev.ioctlUser(cmd, arg);
        Terminal tty = k.terminal;
        if (cmd == Terminal.FIONREAD) {
            int n = f.available();
            if (n < 0) return -Errno.ENOTTY;
            return ua.putUser(4, arg, n) == 0 ? 0 : -Errno.EFAULT;
        }
        if (!(f instanceof OpenFile.Tty) || !tty.interactive) return -Errno.ENOTTY;
        switch (cmd) {
            case Terminal.TCGETS:
                return ua.write(arg, tty.termios) ? 0 : -Errno.EFAULT;
            case Terminal.TCSETS: case Terminal.TCSETSW: case Terminal.TCSETSF: {
                byte[] b = ua.read(arg, Terminal.TERMIOS_SIZE);
                if (b == null) return -Errno.EFAULT;
                tty.setTermios(b, cmd);
                return 0;
            }
            case Terminal.TCFLSH:
                return tty.flush(arg);
            case Terminal.TCSBRK: case Terminal.TCXONC:
                return 0;                               // output is never held back: nothing to drain or resume
            case Terminal.TIOCGPGRP:
                return ua.putUser(4, arg, tty.foregroundPgrp) == 0 ? 0 : -Errno.EFAULT;
            case Terminal.TIOCGSID:
                return ua.putUser(4, arg, k.sched.init == null ? 0 : k.sched.init.sid) == 0 ? 0 : -Errno.EFAULT;
            case Terminal.TIOCSPGRP: {
                int[] g = ua.getUser(4, arg);
                if (g[0] != 0) return -Errno.EFAULT;
                if (g[1] < 0) return -Errno.EINVAL;
                boolean exists = false;
                for (Task t : k.sched.all()) exists |= t.pgid == g[1] && t.sid == k.current.sid;
                if (!exists) return -Errno.EPERM;
                tty.foregroundPgrp = g[1];
                return 0;
            }
            case Terminal.TIOCGWINSZ:
                return ua.write(arg, tty.winsize()) ? 0 : -Errno.EFAULT;
            case Terminal.TIOCSWINSZ: {
                byte[] ws = ua.read(arg, 8);
                if (ws == null) return -Errno.EFAULT;
                tty.setWinsize(ws);
                return 0;
            }
            default:
                return -Errno.ENOTTY;
        }
    }

    private long seek(OpenFile f, long off, int whence) throws IOException {
        if (!f.seekable()) return -Errno.ESPIPE;
        if (f instanceof OpenFile.CharDevice) {             // /dev/null, zero, full, random: any seek lands at 0, as Linux's null_lseek
            f.pos = 0;
            return 0;
        }
        long base;
        switch (whence) {
            case SEEK_SET: base = 0; break;
            case SEEK_CUR: base = f.pos; break;
            case SEEK_END: base = f.size(); break;
            default: return -Errno.EINVAL;
        }
        long to = base + off;
        if (to < 0) return -Errno.EINVAL;
        f.pos = to;
        return to;
    }

    private int lseek(int fd, int off, int whence) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        long before = f.pos;
        long r = seek(f, off, whence);
        if (r > Integer.MAX_VALUE) { f.pos = before; return -Errno.EOVERFLOW; }
        return (int) r;
    }

    private int llseek(int fd, int hi, int lo, int result, int whence) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        long before = f.pos;
        long r = seek(f, (long) hi << 32 | Layout.u(lo), whence);
        if (r < 0) return (int) r;
        byte[] b = new byte[8];
        Bytes.put64(b, 0, r);
        if (!ua.write(result, b)) { f.pos = before; return -Errno.EFAULT; }
        return 0;
    }

    // ---- poll and select

    private long deadline(long timeoutNanos) {
        if (timeoutNanos < 0) return 0;
        if (k.current.restart instanceof Deadline d) return d.at();
        long at = System.nanoTime() + timeoutNanos;
        return at == 0 ? 1 : at;
    }

    private boolean expired(long deadline) { return deadline != 0 && deadline - System.nanoTime() <= 0; }

    /** Sleeps on every file's queues until one is ready or the deadline passes. */
    private int sleepOnAll(java.util.List<OpenFile> files, long deadline) {
        WaitQueue[] qs = new WaitQueue[2 * files.size()];
        for (int i = 0; i < files.size(); i++) {
            qs[2 * i] = files.get(i).waitQueue(false);
            qs[2 * i + 1] = files.get(i).waitQueue(true);
        }
        k.current.restart = new Deadline(deadline);
        k.sched.sleep(k.current, deadline, qs);
        k.current.restartNoHandler = true;
        return Syscalls.RESTART;
    }

    private int poll(int fds, int nfds, int timeoutMs) {
        if (nfds < 0 || nfds > FdTable.MAX_FDS) return -Errno.EINVAL;
        byte[] raw = ua.read(fds, 8 * nfds);
        if (raw == null) return -Errno.EFAULT;
        long deadline = deadline(timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L);
        int ready = 0;
        java.util.List<OpenFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < nfds; i++) {
            int fd = Bytes.get32(raw, 8 * i);
            int events = (raw[8 * i + 4] & 0xFF) | (raw[8 * i + 5] & 0xFF) << 8;
            int rev = 0;
            if (fd >= 0) {
                OpenFile f = k.current.file(fd);
                if (f == null) rev = OpenFile.POLLNVAL;
                else {
                    rev = f.poll() & (events | OpenFile.POLLERR | OpenFile.POLLHUP);
                    files.add(f);
                }
            }
            Bytes.put16(raw, 8 * i + 6, rev);
            if (rev != 0) ready++;
        }
        if (ready == 0 && timeoutMs != 0 && !expired(deadline)) return sleepOnAll(files, deadline);
        return ua.write(fds, raw) ? ready : -Errno.EFAULT;
    }

    private int select(int nfds, int readfds, int writefds, int exceptfds, int timeout) {
        if (nfds < 0 || nfds > FdTable.MAX_FDS) return -Errno.EINVAL;
        int bytes = (nfds + 31) / 32 * 4;
        byte[][] sets = new byte[3][];
        int[] ptrs = {readfds, writefds, exceptfds};
        for (int s = 0; s < 3; s++) {
            if (ptrs[s] == 0) continue;
            sets[s] = ua.read(ptrs[s], bytes);
            if (sets[s] == null) return -Errno.EFAULT;
        }
        long timeoutNanos = -1;
        if (timeout != 0) {
            byte[] tv = ua.read(timeout, 8);
            if (tv == null) return -Errno.EFAULT;
            int sec = Bytes.get32(tv, 0), usec = Bytes.get32(tv, 4);
            if (sec < 0 || usec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            timeoutNanos = sec * 1_000_000_000L + usec * 1000L;
        }
        long deadline = deadline(timeoutNanos);
        byte[][] out = new byte[3][bytes];
        int ready = 0;
        java.util.List<OpenFile> files = new java.util.ArrayList<>();
        for (int fd = 0; fd < nfds; fd++) {
            boolean any = false;
            for (int s = 0; s < 3; s++) any |= sets[s] != null && (sets[s][fd >> 3] & (1 << (fd & 7))) != 0;
            if (!any) continue;
            OpenFile f = k.current.file(fd);
            if (f == null) return -Errno.EBADF;
            files.add(f);
            int ev = f.poll();
            boolean[] hit = {(ev & (OpenFile.POLLIN | OpenFile.POLLHUP | OpenFile.POLLERR)) != 0,
                (ev & (OpenFile.POLLOUT | OpenFile.POLLERR)) != 0, false};
            for (int s = 0; s < 3; s++) {
                if (sets[s] != null && (sets[s][fd >> 3] & (1 << (fd & 7))) != 0 && hit[s]) {
                    out[s][fd >> 3] |= (byte) (1 << (fd & 7));
                    ready++;
                }
            }
        }
        if (ready == 0 && timeoutNanos != 0 && !expired(deadline)) return sleepOnAll(files, deadline);
        for (int s = 0; s < 3; s++) if (ptrs[s] != 0 && !ua.write(ptrs[s], out[s])) return -Errno.EFAULT;
        if (timeout != 0) {
            long left = deadline == 0 ? 0 : Math.max(0, deadline - System.nanoTime());
            if (ready == 0) left = 0;
            byte[] tv = new byte[8];
            Bytes.put32(tv, 0, (int) (left / 1_000_000_000L));
            Bytes.put32(tv, 4, (int) (left % 1_000_000_000L / 1000));
            ua.write(timeout, tv);                  // Linux ignores a failure to update the timeout
        }
        return ready;
    }
}

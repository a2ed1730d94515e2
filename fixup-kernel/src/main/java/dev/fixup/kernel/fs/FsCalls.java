package dev.fixup.kernel.fs;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The path-name system calls: open and openat, the stat family (stat64, fstatat64, statx and the
 * old stat), getdents, readlink, access, getcwd and chdir, mkdir, unlink, rmdir, rename, symlink,
 * link, chmod, chown, utimensat, truncate, fsync, sendfile and statfs. Names come in through
 * getname and every result goes out through {@link UserAccess}; the path walk is
 * {@link PathWalk}'s, so a name never leaves the guest's root.
 */
public final class FsCalls extends SyscallGroup {
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200,
            AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000, AT_STATX_SYNC_TYPE = 0x6000;
    static final int RENAME_NOREPLACE = 1;
    private static final int EOPNOTSUPP = 95, ENODATA = 61;
    private static final int POSIX_FADV_NOREUSE = 5;
    /** UTIME_NOW and UTIME_OMIT: tv_nsec values of utimensat that mean "now" and "leave it". */
    private static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    /** MAX_RW_COUNT: the most one read, write or sendfile moves. */
    private static final int MAX_RW = 0x7ffff000;

    private final FileSystem fs;

    public FsCalls(Kernel k, UserAccess ua) {
        super(k, ua);
        this.fs = k.fs;
        String first = k.cfg.programPath == null ? null : fs.guestPathOf(Path.of(k.cfg.programPath));
        fs.proc = new ProcFs(k, first);
    }

    @Override public void register(Syscalls s) {
        s.add(5, "open", "px", x -> openat(AT_FDCWD, x.a(), x.b(), x.c()));
        s.add(8, "creat", "px", x -> openat(AT_FDCWD, x.a(), FileSystem.O_CREAT | FileSystem.O_WRONLY | FileSystem.O_TRUNC, x.b()));
        s.add(295, "openat", "dpx", x -> openat(x.a(), x.b(), x.c(), x.d()));
        s.add(106, "stat", "pp", x -> statAt(AT_FDCWD, x.a(), x.b(), 0, Kind.OLD));
        s.add(107, "lstat", "pp", x -> statAt(AT_FDCWD, x.a(), x.b(), AT_SYMLINK_NOFOLLOW, Kind.OLD));
        s.add(108, "fstat", "dp", x -> fstat(x.a(), x.b(), Kind.OLD));
        s.add(195, "stat64", "pp", x -> statAt(AT_FDCWD, x.a(), x.b(), 0, Kind.STAT64));
        s.add(196, "lstat64", "pp", x -> statAt(AT_FDCWD, x.a(), x.b(), AT_SYMLINK_NOFOLLOW, Kind.STAT64));
        s.add(197, "fstat64", "dp", x -> fstat(x.a(), x.b(), Kind.STAT64));
        s.add(300, "fstatat64", "dppx", x -> statAt(x.a(), x.b(), x.c(), x.d(), Kind.STAT64));
        s.add(383, "statx", "dpxxp", x -> statx(x.a(), x.b(), x.c(), x.e()));
        s.add(141, "getdents", "dpd", x -> getdents(x.a(), x.b(), x.c(), false));
        s.add(220, "getdents64", "dpd", x -> getdents(x.a(), x.b(), x.c(), true));
        s.add(85, "readlink", "ppd", x -> readlinkat(AT_FDCWD, x.a(), x.b(), x.c()));
        s.add(305, "readlinkat", "dppd", x -> readlinkat(x.a(), x.b(), x.c(), x.d()));
        s.add(33, "access", "px", x -> faccessat(AT_FDCWD, x.a(), x.b(), 0));
        s.add(307, "faccessat", "dpx", x -> faccessat(x.a(), x.b(), x.c(), 0));
        s.add(439, "faccessat2", "dpxx", x -> faccessat(x.a(), x.b(), x.c(), x.d()));
        s.add(183, "getcwd", "pd", x -> getcwd(x.a(), x.b()));
        s.add(12, "chdir", "p", x -> chdir(x.a()));
        s.add(133, "fchdir", "d", x -> fchdir(x.a()));
        s.add(39, "mkdir", "px", x -> mkdirat(AT_FDCWD, x.a(), x.b()));
        s.add(296, "mkdirat", "dpx", x -> mkdirat(x.a(), x.b(), x.c()));
        s.add(10, "unlink", "p", x -> unlinkat(AT_FDCWD, x.a(), 0));
        s.add(40, "rmdir", "p", x -> unlinkat(AT_FDCWD, x.a(), AT_REMOVEDIR));
        s.add(301, "unlinkat", "dpx", x -> unlinkat(x.a(), x.b(), x.c()));
        s.add(38, "rename", "pp", x -> renameat(AT_FDCWD, x.a(), AT_FDCWD, x.b(), 0));
        s.add(302, "renameat", "dpdp", x -> renameat(x.a(), x.b(), x.c(), x.d(), 0));
        s.add(353, "renameat2", "dpdpx", x -> renameat(x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(83, "symlink", "pp", x -> symlinkat(x.a(), AT_FDCWD, x.b()));
        s.add(304, "symlinkat", "pdp", x -> symlinkat(x.a(), x.b(), x.c()));
        s.add(9, "link", "pp", x -> linkat(AT_FDCWD, x.a(), AT_FDCWD, x.b(), 0));
        s.add(303, "linkat", "dpdpx", x -> linkat(x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(15, "chmod", "px", x -> fchmodat(AT_FDCWD, x.a(), x.b(), 0));
        s.add(94, "fchmod", "dx", x -> fchmod(x.a(), x.b()));
        s.add(306, "fchmodat", "dpx", x -> fchmodat(x.a(), x.b(), x.c(), 0));
        s.add(452, "fchmodat2", "dpxx", x -> fchmodat(x.a(), x.b(), x.c(), x.d()));
        s.add(212, "chown32", "pdd", x -> fchownat(AT_FDCWD, x.a(), x.b(), x.c(), 0));
        s.add(198, "lchown32", "pdd", x -> fchownat(AT_FDCWD, x.a(), x.b(), x.c(), AT_SYMLINK_NOFOLLOW));
        s.add(207, "fchown32", "ddd", x -> fchown(x.a(), x.b(), x.c()));
        s.add(298, "fchownat", "dpddx", x -> fchownat(x.a(), x.b(), x.c(), x.d(), x.e()));
        s.add(320, "utimensat", "dppx", x -> utimensat(x.a(), x.b(), x.c(), x.d(), false));
        s.add(412, "utimensat_time64", "dppx", x -> utimensat(x.a(), x.b(), x.c(), x.d(), true));
        s.add(92, "truncate", "pd", x -> truncate(x.a(), x.b()));
        s.add(193, "truncate64", "pdd", x -> truncate(x.a(), (long) x.c() << 32 | Layout.u(x.b())));
        s.add(93, "ftruncate", "dd", x -> ftruncate(x.a(), x.b()));
        s.add(194, "ftruncate64", "ddd", x -> ftruncate(x.a(), (long) x.c() << 32 | Layout.u(x.b())));
        s.add(118, "fsync", "d", x -> fsync(x.a(), true));
        s.add(148, "fdatasync", "d", x -> fsync(x.a(), false));
        s.add(36, "sync", "", x -> 0);
        s.add(187, "sendfile", "ddpd", x -> sendfile(x.a(), x.b(), x.c(), x.d(), 4));
        s.add(239, "sendfile64", "ddpd", x -> sendfile(x.a(), x.b(), x.c(), x.d(), 8));
        s.add(180, "pread64", "dpddd", x -> pread(x.a(), x.b(), x.c(), (long) x.e() << 32 | Layout.u(x.d())));
        s.add(181, "pwrite64", "dpddd", x -> pwrite(x.a(), x.b(), x.c(), (long) x.e() << 32 | Layout.u(x.d())));
        s.add(272, "fadvise64_64", "dddddd", x -> fadvise(x.a(), x.f()));
        s.add(250, "fadvise64", "ddddd", x -> fadvise(x.a(), x.e()));
        s.add(229, "getxattr", "pppd", x -> getxattr(x.a(), true));
        s.add(230, "lgetxattr", "pppd", x -> getxattr(x.a(), false));
        s.add(231, "fgetxattr", "dppd", x -> k.current.file(x.a()) == null ? -Errno.EBADF : -ENODATA);
        s.add(232, "listxattr", "ppd", x -> listxattr(x.a(), true));
        s.add(233, "llistxattr", "ppd", x -> listxattr(x.a(), false));
        s.add(234, "flistxattr", "dpd", x -> k.current.file(x.a()) == null ? -Errno.EBADF : 0);
        s.add(271, "utimes", "pp", x -> utimes(x.a(), x.b()));
        s.add(268, "statfs64", "pdp", x -> statfs64(x.a(), -1, x.b(), x.c()));
        s.add(269, "fstatfs64", "ddp", x -> statfs64(0, x.a(), x.b(), x.c()));
    }

    // ---- names

    /**
     * Resolves a name relative to dirfd (AT_FDCWD: the cwd): a Found, or an Integer -errno. A
     * directory descriptor's canonical path is the base, so ".." from it stops at the root as well.
     */
    private Object at(int dirfd, String path, boolean follow) {
        String base;
        if (path.startsWith("/")) base = "/";
        else {
            Object b = baseOf(dirfd);
            if (b instanceof Integer err) return err;
            base = (String) b;
        }
        return fs.resolve(base, path, follow);
    }

    private Object baseOf(int dirfd) {
        if (dirfd == AT_FDCWD) return k.current.cwd;
        OpenFile f = k.current.file(dirfd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof OpenFile.Dir)) return -Errno.ENOTDIR;
        return f.guestPath;
    }

    /** getname, then the walk: a Found or an Integer -errno. */
    private Object lookup(int dirfd, int name, boolean follow) {
        Object n = ua.getname(name);
        if (n instanceof Integer err) return err;
        return at(dirfd, (String) n, follow);
    }

    /** Like lookup, but the name must exist. */
    private Object existing(int dirfd, int name, boolean follow) {
        Object w = lookup(dirfd, name, follow);
        if (w instanceof PathWalk.Found f && !f.exists()) return -Errno.ENOENT;
        return w;
    }

    /** Linux's errno for a failed host operation. */
    static int errno(IOException e) {
        if (e instanceof NoSuchFileException) return -Errno.ENOENT;
        if (e instanceof FileAlreadyExistsException) return -Errno.EEXIST;
        if (e instanceof AccessDeniedException) return -Errno.EACCES;
        if (e instanceof DirectoryNotEmptyException) return -Errno.ENOTEMPTY;
        if (e instanceof NotDirectoryException) return -Errno.ENOTDIR;
        String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        switch (why) {
            case "Directory not empty": return -Errno.ENOTEMPTY;
            case "Not a directory": return -Errno.ENOTDIR;
            case "Is a directory": return -Errno.EISDIR;
            case "Invalid cross-device link": return -Errno.EXDEV;
            case "Operation not permitted": return -Errno.EPERM;
            case "No space left on device": return -Errno.ENOSPC;
            case "Read-only file system": return -Errno.EROFS;
            case "Too many links": return 31;
            case "Device or resource busy": return -Errno.EBUSY;
            default: return -Errno.EIO;
        }
    }

    // ---- open

    private int openat(int dirfd, int name, int flags, int mode) throws IOException {
        Object n = ua.getname(name);
        if (n instanceof Integer err) return err;
        String path = (String) n;
        Object base = path.startsWith("/") ? "/" : baseOf(dirfd);
        if (base instanceof Integer err) return err;
        Object file = fs.open((String) base, path, flags, mode, k.current.umask);
        if (file instanceof Integer err) return err;
        OpenFile f = (OpenFile) file;
        f.statusFlags |= flags & (FileSystem.O_APPEND | FileSystem.O_NONBLOCK);
        int fd = k.current.files.install(f, 0, (flags & FileSystem.O_CLOEXEC) != 0);
        if (fd < 0) f.put();
        return fd;
    }

    // ---- stat

    enum Kind { OLD, STAT64 }

    private int putStat(int buf, Stat st, Kind kind) {
        byte[] b = kind == Kind.OLD ? st.oldStat() : st.stat64();
        if (b == null) return -Errno.EOVERFLOW;
        return ua.write(buf, b) ? 0 : -Errno.EFAULT;
    }

    private int fstat(int fd, int buf, Kind kind) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        return putStat(buf, f.stat(), kind);
    }

    /** The Stat a *at call names: the path, or with AT_EMPTY_PATH and "" the descriptor itself; or an Integer -errno. */
    private Object statOf(int dirfd, int name, int flags) throws IOException {
        Object n = ua.getname(name);
        if (n instanceof Integer err) {
            if (err != -Errno.ENOENT || (flags & AT_EMPTY_PATH) == 0) return err;
            if (dirfd == AT_FDCWD) n = ".";
            else {
                OpenFile f = k.current.file(dirfd);
                return f == null ? -Errno.EBADF : f.stat();
            }
        }
        Object w = at(dirfd, (String) n, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        return f.exists() ? f.node().stat() : -Errno.ENOENT;
    }

    private int statAt(int dirfd, int name, int buf, int flags, Kind kind) throws IOException {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Object st = statOf(dirfd, name, flags);
        return st instanceof Integer err ? err : putStat(buf, (Stat) st, kind);
    }

    private int statx(int dirfd, int name, int flags, int buf) throws IOException {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) != 0
                || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) return -Errno.EINVAL;
        Object st = statOf(dirfd, name, flags);
        if (st instanceof Integer err) return err;
        return ua.write(buf, ((Stat) st).statx()) ? 0 : -Errno.EFAULT;
    }

    // ---- directories

    /** getdents64 (struct linux_dirent64, records 8-aligned) or the old getdents (linux_dirent, 4-aligned, d_type last). */
    private int getdents(int fd, int buf, int count, boolean wide) {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof OpenFile.Dir d)) return -Errno.ENOTDIR;
        List<OpenFile.DirEntry> entries = d.entries();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = (int) Math.min(d.pos, entries.size());
        for (; i < entries.size(); i++) {
            OpenFile.DirEntry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            byte[] rec;
            if (wide) {
                rec = new byte[(19 + name.length + 1 + 7) & ~7];
                Bytes.put64(rec, 0, e.ino());
                Bytes.put64(rec, 8, i + 1);
                Bytes.put16(rec, 16, rec.length);
                rec[18] = (byte) e.type();
                System.arraycopy(name, 0, rec, 19, name.length);
            } else {
                if (e.ino() >>> 32 != 0) return -Errno.EOVERFLOW;
                rec = new byte[(10 + name.length + 2 + 3) & ~3];
                Bytes.put32(rec, 0, (int) e.ino());
                Bytes.put32(rec, 4, i + 1);
                Bytes.put16(rec, 8, rec.length);
                System.arraycopy(name, 0, rec, 10, name.length);
                rec[rec.length - 1] = (byte) e.type();
            }
            if (out.size() + rec.length > Integer.toUnsignedLong(count)) break;
            out.writeBytes(rec);
        }
        if (out.size() == 0 && i < entries.size()) return -Errno.EINVAL;      // not even one record fits
        if (!ua.write(buf, out.toByteArray())) return -Errno.EFAULT;
        d.pos = i;
        return out.size();
    }

    private int readlinkat(int dirfd, int name, int buf, int size) {
        Object w = existing(dirfd, name, false);
        if (w instanceof Integer err) return err;
        if (size <= 0) return -Errno.EINVAL;
        FsNode n = ((PathWalk.Found) w).node();
        if (!n.stat().isLink()) return -Errno.EINVAL;
        byte[] t = n.link().getBytes(StandardCharsets.UTF_8);
        int len = Math.min(t.length, size);
        byte[] out = java.util.Arrays.copyOf(t, len);
        return ua.write(buf, out) ? len : -Errno.EFAULT;
    }

    private int faccessat(int dirfd, int name, int mode, int flags) {
        if ((mode & ~7) != 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Object w = existing(dirfd, name, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (w instanceof Integer err) return err;
        FsNode n = ((PathWalk.Found) w).node();
        Stat st = n.stat();
        // The guest runs as root: read and write are allowed wherever the host lets Fixup, execute needs an x bit.
        if ((mode & 1) != 0 && !st.isDir() && (st.mode() & 0111) == 0) return -Errno.EACCES;
        if (!n.isVirtual()) {
            if ((mode & 4) != 0 && !Files.isReadable(n.host())) return -Errno.EACCES;
            if ((mode & 2) != 0 && !Files.isWritable(n.host())) return -Errno.EACCES;
        } else if ((mode & 2) != 0 && (st.mode() & 0222) == 0) {
            return -Errno.EACCES;
        }
        return 0;
    }

    private int getcwd(int buf, int size) {
        byte[] cwd = (k.current.cwd + "\0").getBytes(StandardCharsets.UTF_8);
        if (Integer.toUnsignedLong(size) < cwd.length) return -Errno.ERANGE;
        return ua.write(buf, cwd) ? cwd.length : -Errno.EFAULT;
    }

    private int chdir(int name) {
        Object w = existing(AT_FDCWD, name, true);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        if (!f.node().stat().isDir()) return -Errno.ENOTDIR;
        k.current.cwd = f.guest();
        return 0;
    }

    private int fchdir(int fd) {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof OpenFile.Dir)) return -Errno.ENOTDIR;
        k.current.cwd = f.guestPath;
        return 0;
    }

    /** The walk for a name about to be created: a Found whose last component is absent, or -errno (EEXIST if present). */
    private Object toCreate(int dirfd, int name) {
        Object w = lookup(dirfd, name, false);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        if (f.exists()) return -Errno.EEXIST;
        if (!(fs.node(f.parent()) instanceof FsNode p) || p.isVirtual()) return -Errno.ENOENT;
        return f;
    }

    private int mkdirat(int dirfd, int name, int mode) {
        Object w = toCreate(dirfd, name);
        if (w instanceof Integer err) return err;
        Path h = fs.host(((PathWalk.Found) w).guest());
        try {
            Files.createDirectory(h);
            Files.setAttribute(h, "unix:mode", mode & ~k.current.umask & 01777);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int unlinkat(int dirfd, int name, int flags) {
        if ((flags & ~AT_REMOVEDIR) != 0) return -Errno.EINVAL;
        boolean rmdir = (flags & AT_REMOVEDIR) != 0;
        Object n = ua.getname(name);
        if (n instanceof Integer err) return err;
        String path = (String) n;
        if (rmdir) {
            List<String> c = PathWalk.components(path);
            String last = c.isEmpty() ? "/" : c.get(c.size() - 1);
            if (last.equals(".")) return -Errno.EINVAL;
            if (last.equals("..")) return -Errno.ENOTEMPTY;
        }
        Object w = at(dirfd, path, false);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        if (!f.exists()) return -Errno.ENOENT;
        if (f.guest().equals("/")) return rmdir ? -Errno.EBUSY : -Errno.EISDIR;
        Stat st = f.node().stat();
        if (rmdir && !st.isDir()) return -Errno.ENOTDIR;
        if (!rmdir && st.isDir()) return -Errno.EISDIR;
        if (f.node().isVirtual()) return -Errno.EACCES;
        try {
            Files.delete(f.node().host());
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int renameat(int olddir, int oldname, int newdir, int newname, int flags) {
        if ((flags & ~RENAME_NOREPLACE) != 0) return -Errno.EINVAL;
        Object ow = existing(olddir, oldname, false);
        if (ow instanceof Integer err) return err;
        Object nw = lookup(newdir, newname, false);
        if (nw instanceof Integer err) return err;
        PathWalk.Found o = (PathWalk.Found) ow, n = (PathWalk.Found) nw;
        if (o.guest().equals("/") || n.guest().equals("/")) return -Errno.EBUSY;
        if (o.node().isVirtual() || (n.exists() && n.node().isVirtual())) return -Errno.EXDEV;
        if (!(fs.node(n.parent()) instanceof FsNode np) || np.isVirtual()) return -Errno.ENOENT;
        boolean oldDir = o.node().stat().isDir();
        if (n.exists()) {
            if ((flags & RENAME_NOREPLACE) != 0) return -Errno.EEXIST;
            if (n.node().stat().ino() == o.node().stat().ino() && n.node().stat().dev() == o.node().stat().dev()) return 0;
            if (oldDir && !n.node().stat().isDir()) return -Errno.ENOTDIR;
            if (!oldDir && n.node().stat().isDir()) return -Errno.EISDIR;
        }
        if (n.guest().startsWith(o.guest().equals("/") ? "/" : o.guest() + "/")) return -Errno.EINVAL;
        try {
            Files.move(o.node().host(), fs.host(n.guest()), StandardCopyOption.ATOMIC_MOVE);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int symlinkat(int target, int newdir, int linkname) {
        Object t = ua.getname(target);
        if (t instanceof Integer err) return err;
        Object w = toCreate(newdir, linkname);
        if (w instanceof Integer err) return err;
        try {
            // The target is stored as text and only ever followed by the path walk, inside the root.
            Files.createSymbolicLink(fs.host(((PathWalk.Found) w).guest()), Path.of((String) t));
            return 0;
        } catch (IOException e) {
            return errno(e);
        } catch (java.nio.file.InvalidPathException e) {
            return -Errno.EINVAL;
        }
    }

    private int linkat(int olddir, int oldname, int newdir, int newname, int flags) {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Object ow = existing(olddir, oldname, (flags & AT_SYMLINK_FOLLOW) != 0);
        if (ow instanceof Integer err) return err;
        PathWalk.Found o = (PathWalk.Found) ow;
        if (o.node().stat().isDir()) return -Errno.EPERM;
        Object nw = toCreate(newdir, newname);
        if (nw instanceof Integer err) return err;
        if (o.node().isVirtual()) return -Errno.EXDEV;
        try {
            Files.createLink(fs.host(((PathWalk.Found) nw).guest()), o.node().host());
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    // ---- attributes

    private int setMode(FsNode n, int mode) {
        if (n.isVirtual()) return -Errno.EPERM;
        try {
            Files.setAttribute(n.host(), "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int fchmodat(int dirfd, int name, int mode, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Object w = existing(dirfd, name, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (w instanceof Integer err) return err;
        FsNode n = ((PathWalk.Found) w).node();
        if (n.stat().isLink()) return -EOPNOTSUPP;          // Linux cannot chmod a link itself
        return setMode(n, mode);
    }

    /** The host node behind a descriptor (null for pipes, the terminal and made-up files). */
    private FsNode nodeOf(OpenFile f) {
        if (f.guestPath == null) return null;
        Object n = fs.node(f.guestPath);
        return n instanceof FsNode fn ? fn : null;
    }

    private int fchmod(int fd, int mode) {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        FsNode n = nodeOf(f);
        return n == null || n.isVirtual() ? 0 : setMode(n, mode);
    }

    private int setOwner(FsNode n, int uid, int gid) {
        if (n.isVirtual()) return -Errno.EPERM;
        try {
            if (uid != -1) Files.setAttribute(n.host(), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            if (gid != -1) Files.setAttribute(n.host(), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int fchownat(int dirfd, int name, int uid, int gid, int flags) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        Object w = existing(dirfd, name, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (w instanceof Integer err) return err;
        return setOwner(((PathWalk.Found) w).node(), uid, gid);
    }

    private int fchown(int fd, int uid, int gid) {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        FsNode n = nodeOf(f);
        return n == null ? 0 : setOwner(n, uid, gid);
    }

    private static FileTime time(long sec, long nsec, long now) {
        if (nsec == UTIME_OMIT) return null;
        if (nsec == UTIME_NOW) return FileTime.from(now, TimeUnit.NANOSECONDS);
        long max = java.time.Instant.MAX.getEpochSecond();      // any 64-bit second count: clamped, as timestamp_truncate does
        return FileTime.from(java.time.Instant.ofEpochSecond(Math.max(-max, Math.min(max - 1, sec)), nsec));
    }

    /** utimensat(dirfd, path or NULL for dirfd itself, times or NULL for now, flags), 32- or 64-bit timespecs. */
    private int utimensat(int dirfd, int name, int times, int flags, boolean time64) {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        long now = System.currentTimeMillis() * 1_000_000L;
        FileTime atime = FileTime.from(now, TimeUnit.NANOSECONDS), mtime = atime;
        if (times != 0) {
            byte[] t = ua.read(times, time64 ? 32 : 16);
            if (t == null) return -Errno.EFAULT;
            long[] v = new long[4];
            for (int i = 0; i < 4; i++) v[i] = time64 ? Bytes.get64(t, 8 * i) : Bytes.get32(t, 4 * i);
            for (int i = 1; i < 4; i += 2) {
                if (v[i] != UTIME_NOW && v[i] != UTIME_OMIT && (v[i] < 0 || v[i] >= 1_000_000_000L)) return -Errno.EINVAL;
            }
            atime = time(v[0], v[1], now);
            mtime = time(v[2], v[3], now);
            if (atime == null && mtime == null) return 0;
        }
        FsNode n;
        if (name == 0) {
            OpenFile f = k.current.file(dirfd);
            if (dirfd == AT_FDCWD) return -Errno.EFAULT;
            if (f == null) return -Errno.EBADF;
            n = nodeOf(f);
            if (n == null) return 0;
        } else {
            Object w = existing(dirfd, name, (flags & AT_SYMLINK_NOFOLLOW) == 0);
            if (w instanceof Integer err) return err;
            n = ((PathWalk.Found) w).node();
        }
        if (n.isVirtual()) return -Errno.EPERM;
        try {
            Files.getFileAttributeView(n.host(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, atime, null);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int truncate(int name, long len) {
        if (len < 0) return -Errno.EINVAL;
        Object w = existing(AT_FDCWD, name, true);
        if (w instanceof Integer err) return err;
        FsNode n = ((PathWalk.Found) w).node();
        if (n.stat().isDir()) return -Errno.EISDIR;
        if (n.isVirtual() || !n.stat().isRegular()) return -Errno.EINVAL;
        try (FileChannel ch = FileChannel.open(n.host(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (len < ch.size()) ch.truncate(len);
            else if (len > ch.size()) ch.write(java.nio.ByteBuffer.wrap(new byte[1]), len - 1);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    private int ftruncate(int fd, long len) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (len < 0 || !(f instanceof OpenFile.Host h) || !f.writable) return -Errno.EINVAL;
        h.truncate(len);
        return 0;
    }

    private int fsync(int fd, boolean metadata) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (f instanceof OpenFile.Host h) { h.sync(metadata); return 0; }
        return f instanceof OpenFile.Dir ? 0 : -Errno.EINVAL;
    }

    /**
     * sendfile(out, in, offset, count): in is read at *offset (which is then advanced, the file
     * position untouched) or at its position; out is written as write(2) would.
     */
    private int sendfile(int outFd, int inFd, int offp, int count, int offSize) throws IOException {
        OpenFile in = k.current.file(inFd), out = k.current.file(outFd);
        if (in == null || out == null || !in.readable || !out.writable) return -Errno.EBADF;
        if (!in.seekable() || in instanceof OpenFile.Dir) return -Errno.EINVAL;
        if (count < 0) return -Errno.EINVAL;
        long saved = in.pos;
        if (offp != 0) {
            byte[] o = ua.read(offp, offSize);
            if (o == null) return -Errno.EFAULT;
            long off = offSize == 8 ? Bytes.get64(o, 0) : Bytes.get32(o, 0);
            if (off < 0) return -Errno.EINVAL;
            in.pos = off;
        }
        byte[] chunk = new byte[UserAccess.CHUNK];
        int done = 0, err = 0;
        int want = Math.min(count, MAX_RW);
        while (done < want) {
            int n = in.read(chunk, Math.min(chunk.length, want - done));
            if (n <= 0) { err = n; break; }
            byte[] data = n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n);
            int w = out.write(data, n);
            if (w == -Errno.EPIPE) k.signals.send(k.current, Signal.SIGPIPE, SigInfo.user(Signal.SIGPIPE, Signal.SI_USER, k.current.pid));
            if (w <= 0) { err = w; break; }
            out.advance(w);
            in.pos += w;
            done += w;
            if (w < n) break;
        }
        if (offp != 0) {
            long end = in.pos;
            in.pos = saved;
            byte[] o = new byte[offSize];
            if (offSize == 8) Bytes.put64(o, 0, end); else Bytes.put32(o, 0, (int) end);
            if (!ua.write(offp, o)) return -Errno.EFAULT;
        }
        return done > 0 ? done : err;
    }

    /** pread64: read at offset, the file position untouched; only files that can seek. */
    private int pread(int fd, int buf, int count, long off) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.readable) return -Errno.EBADF;
        if (f instanceof OpenFile.Dir) return -Errno.EISDIR;
        return atOffset(f, buf, count, off, () -> {
            byte[] chunk = new byte[UserAccess.CHUNK];
            int done = 0;
            while (done < count) {
                int n = f.read(chunk, Math.min(chunk.length, count - done));
                if (n < 0) return done > 0 ? done : n;
                if (n == 0) break;
                int copied = n - ua.copyToUser(buf + done, chunk, 0, n);
                done += copied;
                f.pos += copied;
                if (copied < n) return done > 0 ? done : -Errno.EFAULT;
            }
            return done;
        });
    }

    /** pwrite64: write at offset, the file position untouched (with O_APPEND the data goes to the end, as on Linux). */
    private int pwrite(int fd, int buf, int count, long off) throws IOException {
        OpenFile f = k.current.file(fd);
        if (f == null || !f.writable) return -Errno.EBADF;
        return atOffset(f, buf, count, off, () -> {
            int done = 0;
            int[] notCopied = new int[1];
            while (done < count) {
                byte[] data = ua.copyFromUser(buf + done, Math.min(UserAccess.CHUNK, count - done), notCopied);
                if (data.length > 0) {
                    int w = f.write(data, data.length);
                    if (w < 0) return done > 0 ? done : w;
                    f.pos += w;
                    done += w;
                    if (w < data.length) break;
                }
                if (notCopied[0] > 0) return done > 0 ? done : -Errno.EFAULT;
            }
            return done;
        });
    }

    /**
     * What pread64 and pwrite64 share: a file that can seek, a count and an offset that are not
     * negative, a buffer access_ok passes; then the transfer with the position at off, and the
     * file position as it was afterwards.
     */
    private int atOffset(OpenFile f, int buf, int count, long off, Transfer transfer) throws IOException {
        if (!f.seekable()) return -Errno.ESPIPE;
        if (count < 0 || off < 0) return -Errno.EINVAL;
        if (!ua.accessOk(buf, count)) return -Errno.EFAULT;
        long saved = f.pos;
        f.pos = off;
        try {
            return transfer.run();
        } finally {
            f.pos = saved;
        }
    }

    private interface Transfer {
        int run() throws IOException;
    }

    /** posix_fadvise: advice is only advice; Linux checks the descriptor and the advice, and refuses pipes. */
    private int fadvise(int fd, int advice) {
        OpenFile f = k.current.file(fd);
        if (f == null) return -Errno.EBADF;
        if (!f.seekable()) return -Errno.ESPIPE;
        return advice < 0 || advice > POSIX_FADV_NOREUSE ? -Errno.EINVAL : 0;
    }

    /** Extended attributes: the guest's files have none (ENODATA; an empty list), as on a file system without them set. */
    private int getxattr(int name, boolean follow) {
        Object w = existing(AT_FDCWD, name, follow);
        return w instanceof Integer err ? err : -ENODATA;
    }

    private int listxattr(int name, boolean follow) {
        Object w = existing(AT_FDCWD, name, follow);
        return w instanceof Integer err ? err : 0;
    }

    /** utimes(path, struct timeval[2] or NULL): utimensat with microseconds turned into nanoseconds. */
    private int utimes(int name, int tv) {
        if (tv == 0) return utimensat(AT_FDCWD, name, 0, 0, false);
        byte[] t = ua.read(tv, 16);
        if (t == null) return -Errno.EFAULT;
        for (int i = 4; i < 16; i += 8) {
            long usec = Bytes.get32(t, i);
            if (usec < 0 || usec >= 1_000_000) return -Errno.EINVAL;
            Bytes.put32(t, i, (int) (usec * 1000));
        }
        Object w = existing(AT_FDCWD, name, true);
        if (w instanceof Integer err) return err;
        FsNode n = ((PathWalk.Found) w).node();
        if (n.isVirtual()) return -Errno.EPERM;
        try {
            Files.getFileAttributeView(n.host(), BasicFileAttributeView.class).setTimes(
                    time(Bytes.get32(t, 8), Bytes.get32(t, 12), 0), time(Bytes.get32(t, 0), Bytes.get32(t, 4), 0), null);
            return 0;
        } catch (IOException e) {
            return errno(e);
        }
    }

    /** statfs64 / fstatfs64: struct statfs64 (84 bytes) from the host's file store. */
    private int statfs64(int name, int fd, int size, int buf) {
        if (size != 84) return -Errno.EINVAL;
        FsNode n;
        if (fd >= 0 || name == 0) {
            OpenFile f = k.current.file(fd);
            if (f == null) return -Errno.EBADF;
            n = nodeOf(f);
        } else {
            Object w = existing(AT_FDCWD, name, true);
            if (w instanceof Integer err) return err;
            n = ((PathWalk.Found) w).node();
        }
        byte[] b = new byte[84];
        int bsize = 4096;
        Bytes.put32(b, 4, bsize);
        Bytes.put32(b, 56, PathWalk.NAME_MAX);
        Bytes.put32(b, 60, bsize);
        if (n != null && !n.isVirtual()) {
            try {
                FileStore st = Files.getFileStore(n.host());
                Bytes.put32(b, 0, 0xEF53);                  // reported as ext2/3/4, the usual Linux disk file system
                Bytes.put64(b, 8, st.getTotalSpace() / bsize);
                Bytes.put64(b, 16, st.getUnallocatedSpace() / bsize);
                Bytes.put64(b, 24, st.getUsableSpace() / bsize);
            } catch (IOException e) {
                return errno(e);
            }
        } else {
            Bytes.put32(b, 0, 0x9fa0);                      // PROC_SUPER_MAGIC for made-up files
        }
        return ua.write(buf, b) ? 0 : -Errno.EFAULT;
    }
}

package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The guest's file tree: the files of a host directory (the host's own / when no root is given,
 * as qemu-user does) resolved by {@link PathWalk} so that no name leaves the root, the devices of
 * /dev that a program expects (null, zero, full, tty, random, urandom), and /proc/self
 * ({@link ProcFs}). Guest paths are canonical strings ("/a/b"); the host path is the root plus
 * those components.
 */
public final class FileSystem {
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80,
            O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000,
            O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    /** Larger programs are refused (ENOMEM) rather than read whole. */
    private static final long MAX_PROGRAM = 256L << 20;
    private static final String[] DEVICES = {"full", "null", "random", "stderr", "stdin", "stdout", "tty", "urandom", "zero"};

    private final Path root;
    private final InputStream stdin;
    private final OutputStream stdout;
    /** What reads of the terminal (standard input, /dev/tty) get; the kernel replaces it when input may block. */
    private final OpenFile.Tty.Switch input;
    /** /proc/self and /proc/PID, once a kernel is attached. */
    ProcFs proc;
    /** Devices registered at run time (modules' misc devices), consulted first for /dev/NAME. */
    private java.util.function.BiFunction<String, Integer, Object> devices = (name, flags) -> null;

    public FileSystem(Path root, InputStream stdin, OutputStream stdout) {
        this.root = (root != null ? root : Path.of("/")).toAbsolutePath().normalize();
        this.stdin = stdin;
        this.stdout = hostDescriptor(stdout);
        this.input = new OpenFile.Tty.Switch(OpenFile.Tty.streamInput(stdin));
    }

    public void setTerminalInput(OpenFile.Tty.Input in) { input.target = in; }

    /** The streams as given: a failed write to one is found by {@link OpenFile.Tty}. */
    private static OutputStream hostDescriptor(OutputStream s) { return s; }

    /** The guest path of a host file, or null when it lies outside the root. */
    String guestPathOf(Path host) {
        Path h = host.toAbsolutePath().normalize();
        if (!h.startsWith(root)) return null;
        return "/" + root.relativize(h).toString();
    }

    /** The registry of run-time devices (modules' misc devices): given NAME of /dev/NAME, an open file, -errno, or null for none. */
    public void setDevices(java.util.function.BiFunction<String, Integer, Object> registry) { devices = registry; }

    /**
     * Where the first program starts: workingDir (null: Fixup's own) as the guest names it (as
     * qemu-user leaves it), or the root when that lies outside the root (as chroot(1) does).
     */
    public String initialCwd(Path workingDir) {
        String g = guestPathOf(workingDir != null ? workingDir : Path.of(System.getProperty("user.dir", "/")));
        if (g == null || !(resolve("/", g, true) instanceof PathWalk.Found f) || !f.exists() || !f.node().stat().isDir()) return "/";
        return f.guest();
    }

    Path host(String guest) { return guest.equals("/") ? root : root.resolve(guest.substring(1)); }

    /** Resolves a guest path from base (a canonical directory): a {@link PathWalk.Found} or an Integer -errno. */
    Object resolve(String base, String path, boolean followLast) {
        return PathWalk.walk(this::node, base, path, followLast);
    }

    /** The node at a canonical guest path: made-up ones first, then the host's, looked at without following links. */
    Object node(String g) {
        FsNode dev = device(g);
        if (dev != null) return dev;
        if (proc != null && g.startsWith("/proc/")) {
            Object p = proc.node(g);
            if (p != ProcFs.NOT_MINE) return p;
        }
        Path h = host(g);
        try {
            Stat st = Stat.of(Files.readAttributes(h, "unix:*", LinkOption.NOFOLLOW_LINKS));
            return FsNode.host(st, h, st.isLink() ? Files.readSymbolicLink(h).toString() : null);
        } catch (NoSuchFileException e) {
            if (g.equals("/proc") && proc != null) return FsNode.dir(1, proc::pids);
            if (g.equals("/dev")) return FsNode.dir(2, () -> List.of(DEVICES));
            return null;
        } catch (AccessDeniedException e) {
            return -Errno.EACCES;
        } catch (IOException | SecurityException e) {
            return -Errno.EIO;
        }
    }

    /** The host file's stat, links not followed; null when it is gone. */
    static Stat hostStat(Path h) {
        try {
            return Stat.of(Files.readAttributes(h, "unix:*", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private FsNode device(String g) {
        if (!g.startsWith("/dev/")) return null;
        switch (g.substring(5)) {
            case "null": return chr(1, 3, 0666, (r, w) -> new OpenFile.Null(devStat(1, 3, 0666), r, w));
            case "zero": return chr(1, 5, 0666, (r, w) -> new OpenFile.Zero(devStat(1, 5, 0666), r, w));
            case "full": return chr(1, 7, 0666, (r, w) -> new OpenFile.Full(devStat(1, 7, 0666), r, w));
            case "random": return chr(1, 8, 0666, (r, w) -> new OpenFile.Random(devStat(1, 8, 0666), r, w));
            case "urandom": return chr(1, 9, 0666, (r, w) -> new OpenFile.Random(devStat(1, 9, 0666), r, w));
            case "tty": return chr(5, 0, 0666, (r, w) -> new OpenFile.Tty(input, stdout, r, w));
            case "stdin": return FsNode.link(20, "/proc/self/fd/0");
            case "stdout": return FsNode.link(21, "/proc/self/fd/1");
            case "stderr": return FsNode.link(22, "/proc/self/fd/2");
            default: return null;
        }
    }

    private static Stat devStat(int major, int minor, int perm) {
        return Stat.virtual(10 + minor + 16L * major, Stat.S_IFCHR | perm, Stat.makedev(major, minor), 0);
    }

    private static FsNode chr(int major, int minor, int perm, FsNode.Opener o) {
        return FsNode.device(devStat(major, minor, perm), o);
    }

    /** Opens an absolute path (or one relative to /) with mode 0666 and umask 022: the file, or an Integer -errno. */
    public Object open(String path, int flags) { return open("/", path, flags); }

    /** Opens a path relative to cwd with mode 0666 and umask 022: the file, or an Integer -errno. */
    public Object open(String cwd, String path, int flags) { return open(cwd, path, flags, 0666, 022); }

    /** open(2): the OpenFile (its guestPath set), or an Integer -errno. */
    Object open(String base, String path, int flags, int mode, int umask) {
        int acc = flags & O_ACCMODE;
        if (acc == 3) return -Errno.EINVAL;
        boolean creat = (flags & O_CREAT) != 0, excl = creat && (flags & O_EXCL) != 0;
        Object w = resolve(base, path, (flags & O_NOFOLLOW) == 0 && !excl);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        if (f.guest().startsWith("/dev/")) {
            Object dev = devices.apply(f.guest().substring(5), flags);
            if (dev != null) return dev;
        }
        if (!f.exists()) {
            if (!creat) return -Errno.ENOENT;
            if (f.trailingSlash()) return -Errno.EISDIR;
            int made = create(f.guest(), mode & ~umask & 07777);
            if (made < 0) return made;
            f = (PathWalk.Found) resolve("/", f.guest(), false);
        } else if (excl) {
            return -Errno.EEXIST;
        }
        return openFound(f, flags);
    }

    /** Creates an empty regular file: 0 or -errno. */
    private int create(String guest, int perm) {
        try {
            Files.createFile(host(guest));
            Files.setAttribute(host(guest), "unix:mode", perm);
            return 0;
        } catch (FileAlreadyExistsException e) {
            return -Errno.EEXIST;
        } catch (AccessDeniedException e) {
            return -Errno.EACCES;
        } catch (IOException | SecurityException e) {
            return -Errno.EIO;
        }
    }

    /** Opens what a walk found (it exists). */
    Object openFound(PathWalk.Found f, int flags) {
        int acc = flags & O_ACCMODE;
        boolean r = acc != O_WRONLY, w = acc != O_RDONLY;
        FsNode n = f.node();
        Stat st = n.stat();
        if (st.isLink()) return -Errno.ELOOP;
        if (st.isDir()) {
            if (w || (flags & O_CREAT) != 0) return -Errno.EISDIR;
            return new OpenFile.Dir(f.guest(), st, () -> list(f.guest(), n));
        }
        if ((flags & O_DIRECTORY) != 0) return -Errno.ENOTDIR;
        OpenFile file;
        if (n.isVirtual()) {
            if (n.opener() == null) return -Errno.ENOENT;
            Object o = n.opener().open(r, w);
            if (o instanceof Integer err) return err;
            file = (OpenFile) o;
        } else {
            int type = st.mode() & Stat.S_IFMT;
            // A host FIFO or socket would block or fail inside the JVM: not offered to the guest.
            if (type == Stat.S_IFIFO || type == Stat.S_IFSOCK) return -Errno.ENXIO;
            Set<OpenOption> opts = new HashSet<>();
            opts.add(LinkOption.NOFOLLOW_LINKS);
            if (r) opts.add(StandardOpenOption.READ);
            if (w) opts.add(StandardOpenOption.WRITE);
            if (w && (flags & O_TRUNC) != 0 && type == Stat.S_IFREG) opts.add(StandardOpenOption.TRUNCATE_EXISTING);
            try {
                file = new OpenFile.Host(FileChannel.open(n.host(), opts), n.host(), st, r, w, (flags & O_APPEND) != 0);
            } catch (NoSuchFileException e) {
                return -Errno.ENOENT;
            } catch (AccessDeniedException e) {
                return -Errno.EACCES;
            } catch (IOException | SecurityException e) {
                return -Errno.EACCES;
            }
        }
        file.guestPath = f.guest();
        return file;
    }

    /** A directory's entries for getdents: ".", "..", then the names in the host's order. */
    List<OpenFile.DirEntry> list(String guest, FsNode dir) {
        List<OpenFile.DirEntry> out = new ArrayList<>();
        out.add(new OpenFile.DirEntry(".", dir.stat().ino(), 4));
        String parent = guest.equals("/") ? "/" : guest.substring(0, Math.max(1, guest.lastIndexOf('/')));
        Object p = node(parent);
        out.add(new OpenFile.DirEntry("..", p instanceof FsNode pn ? pn.stat().ino() : dir.stat().ino(), 4));
        List<String> names = new ArrayList<>();
        if (dir.entries() != null) {
            names.addAll(dir.entries().get());
        } else {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.host())) {
                for (Path e : ds) names.add(e.getFileName().toString());
            } catch (IOException | SecurityException e) {
                return out;
            }
        }
        String prefix = guest.equals("/") ? "/" : guest + "/";
        for (String name : names) {
            Object e = node(prefix + name);
            if (e instanceof FsNode en) out.add(new OpenFile.DirEntry(name, en.stat().ino(), (en.stat().mode() >> 12) & 15));
        }
        return out;
    }

    /** A program file's bytes for execve, or an Integer -errno. */
    public Object readProgram(String cwd, String path) {
        Object w = resolve(cwd, path, true);
        if (w instanceof Integer err) return err;
        PathWalk.Found f = (PathWalk.Found) w;
        if (!f.exists()) return -Errno.ENOENT;
        FsNode n = f.node();
        if (n.isVirtual() || !n.stat().isRegular() || (n.stat().mode() & 0111) == 0) return -Errno.EACCES;
        try {
            if (Files.size(n.host()) > MAX_PROGRAM) return -Errno.ENOMEM;
            byte[] bytes = Files.readAllBytes(n.host());
            if (proc != null) proc.execed(f.guest());
            return bytes;
        } catch (IOException | SecurityException e) {
            return -Errno.EACCES;
        }
    }

    /** The three descriptors a program starts with; {@code terminal}: they are a terminal, else they show as pipes. */
    public OpenFile[] standardFiles(OutputStream stderr, boolean terminal) {
        return new OpenFile[] {new OpenFile.Tty(input, stdout, true, false, terminal), new OpenFile.Tty(input, stdout, false, true, terminal),
                new OpenFile.Tty(input, hostDescriptor(stderr), false, true, terminal)};
    }

    /** Host permissions for a mode's low nine bits. */
    static Set<PosixFilePermission> perms(int mode) {
        StringBuilder b = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) b.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        return PosixFilePermissions.fromString(b.toString());
    }

}

package dev.fixup.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The guest's file tree: /dev/null, /dev/zero and /dev/tty, and below / the files of a host
 * directory (the host's own / when no root is given, as qemu-user does). Paths cannot climb out
 * of the root through "..".
 */
public final class FileSystem {
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80,
            O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    /** Larger programs are refused (ENOMEM) rather than read whole. */
    private static final long MAX_PROGRAM = 256L << 20;

    private final Path root;
    private final InputStream stdin;
    private final OutputStream stdout;
    /** Devices registered at run time (modules' misc devices), consulted first for /dev/NAME. */
    private java.util.function.BiFunction<String, Integer, Object> devices = (name, flags) -> null;

    public FileSystem(Path root, InputStream stdin, OutputStream stdout) {
        this.root = root != null ? root : Path.of("/");
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /** The registry of run-time devices: given NAME of /dev/NAME, an open file, -errno, or null for none. */
    void setDevices(java.util.function.BiFunction<String, Integer, Object> registry) { devices = registry; }

    /** Normalizes a guest path to components ("." and ".." resolved, never above /). */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) { parts.pollLast(); continue; }
            parts.addLast(p);
        }
        return "/" + String.join("/", parts);
    }

    /** A guest path, relative ones taken from cwd, as normalized components from /. */
    static String absolute(String cwd, String path) {
        return normalize(path.startsWith("/") ? path : cwd + "/" + path);
    }

    private Path host(String normalized) {
        return normalized.equals("/") ? root : root.resolve(normalized.substring(1));
    }

    /** A program file's bytes for execve, or an Integer -errno. */
    public Object readProgram(String cwd, String path) {
        Path h = host(absolute(cwd, path));
        try {
            if (Files.isDirectory(h)) return -Errno.EACCES;
            if (!Files.exists(h)) return -Errno.ENOENT;
            if (!Files.isRegularFile(h) || !Files.isExecutable(h)) return -Errno.EACCES;
            if (Files.size(h) > MAX_PROGRAM) return -Errno.ENOMEM;
            return Files.readAllBytes(h);
        } catch (IOException | SecurityException e) {
            return -Errno.EACCES;
        }
    }

    /** Opens a path: the file, or -errno as an exception-free result. */
    public Object open(String path, int flags) { return open("/", path, flags); }

    /** Opens a path relative to cwd: the file, or -errno as an exception-free result. */
    public Object open(String cwd, String path, int flags) {
        int acc = flags & O_ACCMODE;
        if (acc == 3) return -Errno.EINVAL;
        boolean r = acc != O_WRONLY, w = acc != O_RDONLY;
        String p = absolute(cwd, path);
        if (p.startsWith("/dev/")) {
            Object dev = devices.apply(p.substring(5), flags);
            if (dev != null) return dev;
        }
        switch (p) {
            case "/dev/null": return new OpenFile.Null(r, w);
            case "/dev/zero": return new OpenFile.Zero(r, w);
            case "/dev/tty": return new OpenFile.Tty(stdin, stdout, r, w);
            default: break;
        }
        Path host = host(p);
        try {
            if (Files.isDirectory(host)) return w ? -Errno.EISDIR : new OpenFile.Dir();
            if ((flags & O_DIRECTORY) != 0) return Files.exists(host) ? -Errno.ENOTDIR : -Errno.ENOENT;
            if ((flags & O_CREAT) != 0 && (flags & O_EXCL) != 0 && Files.exists(host)) return -Errno.EEXIST;
            if ((flags & O_CREAT) == 0 && !Files.exists(host)) return -Errno.ENOENT;
            Set<OpenOption> opts = new HashSet<>();
            if (r) opts.add(StandardOpenOption.READ);
            if (w) opts.add(StandardOpenOption.WRITE);
            if ((flags & O_CREAT) != 0) opts.add(StandardOpenOption.CREATE);
            if (w && (flags & O_TRUNC) != 0) opts.add(StandardOpenOption.TRUNCATE_EXISTING);
            return new OpenFile.Host(FileChannel.open(host, opts), r, w, (flags & O_APPEND) != 0);
        } catch (NoSuchFileException e) {
            return -Errno.ENOENT;
        } catch (IOException | SecurityException e) {
            return -Errno.EACCES;
        }
    }

    /** The three descriptors a program starts with. */
    public OpenFile[] standardFiles(OutputStream stderr) {
        return new OpenFile[] {new OpenFile.Tty(stdin, stdout, true, false), new OpenFile.Tty(stdin, stdout, false, true),
                new OpenFile.Tty(stdin, stderr, false, true)};
    }
}

package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.proc.WaitQueue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An open file as the syscalls see it (Linux's struct file): shared by every descriptor that
 * fork and dup made from one open, with one file position and one set of status flags. read and
 * write move bytes between the file and a kernel buffer and return a count or -errno; copying to
 * or from the user is the syscall's job. A file that would block returns -EAGAIN and names the
 * wait queue to sleep on.
 */
public abstract class OpenFile {
    public static final int POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;

    public final boolean readable, writable;
    /** File position, advanced ({@link #advance}) by the bytes that really reached the user or the file. */
    long pos;
    /** Status flags as F_GETFL shows them: access mode, O_APPEND, O_NONBLOCK. */
    int statusFlags;
    /** The canonical guest path it was opened by (for /proc/self/fd and fchdir); null for pipes and the terminal. */
    String guestPath;
    private int refs = 1;

    protected OpenFile(boolean readable, boolean writable) {
        this.readable = readable;
        this.writable = writable;
        statusFlags = readable && writable ? FileSystem.O_RDWR : writable ? FileSystem.O_WRONLY : FileSystem.O_RDONLY;
    }

    /** Reads up to len bytes at the file position (not moving it); -EAGAIN when it would block. */
    abstract int read(byte[] buf, int len) throws IOException;

    /** Writes len bytes at the file position (not moving it); -EAGAIN when it would block. */
    abstract int write(byte[] buf, int len) throws IOException;

    /** Moves past n bytes the syscall delivered to the user (the file position; a pipe consumes them). */
    void advance(int n) { pos += n; }

    /** Bytes a read would return now without waiting (FIONREAD), or -1 when the file cannot tell. */
    int available() throws IOException { return -1; }

    /** What poll reports now: POLLIN, POLLOUT, POLLHUP, POLLERR bits. */
    int poll() { return (readable ? POLLIN : 0) | (writable ? POLLOUT : 0); }

    /** The queue a reader (or writer) that got -EAGAIN sleeps on; null if the file never blocks. */
    WaitQueue waitQueue(boolean forWrite) { return null; }

    /** When a reader sleeping on {@link #waitQueue} must re-issue its read even if not woken (a terminal's VTIME); 0 = never. */
    long readDeadline() { return 0; }

    boolean nonBlocking() { return (statusFlags & FileSystem.O_NONBLOCK) != 0; }

    /** Whether lseek applies (regular files and devices); pipes and terminals answer ESPIPE. */
    boolean seekable() { return true; }

    /** The size for SEEK_END. */
    public long size() throws IOException { return 0; }

    /** fstat: by default a made-up file, a FIFO for what cannot seek (pipes), a character device otherwise. */
    Stat stat() throws IOException {
        return Stat.virtual(0, seekable() ? Stat.S_IFCHR | 0666 : Stat.S_IFIFO | 0600, 0, 0);
    }

    /** Whether mmap can map this file (a regular file); others answer ENODEV. */
    public boolean mappable() { return false; }

    /** Reads up to len bytes at offset off, leaving the file position alone (mmap's page reads): the count, 0 at the end. */
    public int readAt(long off, byte[] buf, int len) throws IOException { return -Errno.ENODEV; }

    public void get() { refs++; }

    /** Drops one reference; the last one closes the file. */
    public void put() throws IOException {
        if (--refs == 0) close();
    }

    void close() throws IOException {}

    /** A character device of /dev (null, zero, full, random, urandom), with the stat its node has. */
    abstract static class CharDevice extends OpenFile {
        private final Stat stat;

        CharDevice(Stat stat, boolean r, boolean w) {
            super(r, w);
            this.stat = stat;
        }

        @Override Stat stat() { return stat; }
    }

    public static final class Null extends CharDevice {
        public Null(Stat st, boolean r, boolean w) { super(st, r, w); }
        public Null(boolean r, boolean w) { this(Stat.virtual(59, Stat.S_IFCHR | 0666, Stat.makedev(1, 3), 0), r, w); }
        int read(byte[] buf, int len) { return 0; }
        int write(byte[] buf, int len) { return len; }
    }

    public static final class Zero extends CharDevice {
        Zero(Stat st, boolean r, boolean w) { super(st, r, w); }
        int read(byte[] buf, int len) { java.util.Arrays.fill(buf, 0, len, (byte) 0); return len; }
        int write(byte[] buf, int len) { return len; }
    }

    /** /dev/full: reads zeros, every write fails with ENOSPC. */
    static final class Full extends CharDevice {
        Full(Stat st, boolean r, boolean w) { super(st, r, w); }
        int read(byte[] buf, int len) { java.util.Arrays.fill(buf, 0, len, (byte) 0); return len; }
        int write(byte[] buf, int len) { return -Errno.ENOSPC; }
    }

    /** /dev/random and /dev/urandom: the host's strong generator; writes are accepted and ignored, as Linux mixes them in. */
    static final class Random extends CharDevice {
        private static final java.security.SecureRandom RNG = new java.security.SecureRandom();
        Random(Stat st, boolean r, boolean w) { super(st, r, w); }
        int read(byte[] buf, int len) {
            byte[] b = new byte[len];
            RNG.nextBytes(b);
            System.arraycopy(b, 0, buf, 0, len);
            return len;
        }
        int write(byte[] buf, int len) { return len; }
    }

    /** A /proc file: its text made when it was opened, read like a regular file. */
    static final class Text extends OpenFile {
        private final byte[] data;
        private final Stat stat;

        Text(byte[] data, Stat stat) {
            super(true, false);
            this.data = data;
            this.stat = stat;
        }

        int read(byte[] buf, int len) {
            if (pos >= data.length) return 0;
            int n = (int) Math.min(len, data.length - pos);
            System.arraycopy(data, (int) pos, buf, 0, n);
            return n;
        }

        int write(byte[] buf, int len) { return -Errno.EBADF; }

        @Override public long size() { return data.length; }

        @Override Stat stat() { return stat; }
    }

    /** The terminal: the program's standard streams. */
    static final class Tty extends OpenFile {
        /** Where reads of the guest's standard input get their bytes. */
        interface Input {
            /** Up to len bytes: the count, 0 at end of input, -EAGAIN when the reader must wait (or -errno). */
            int read(byte[] buf, int len);
            /** Bytes a read would get now (FIONREAD). */
            int available();
            /** POLLIN / POLLHUP now. */
            int poll();
            /** What a reader that got -EAGAIN sleeps on; null if the input never blocks. */
            default WaitQueue queue() { return null; }
            /** When a sleeping reader must give up and re-issue the read anyway (System.nanoTime()); 0 = never. */
            default long deadline() { return 0; }
        }

        /** The terminal's input as it is now: the open files keep this one while the kernel changes what is behind it. */
        static final class Switch implements Input {
            Input target;

            Switch(Input target) { this.target = target; }

            public int read(byte[] buf, int len) { return target.read(buf, len); }
            public int available() { return target.available(); }
            public int poll() { return target.poll(); }
            public WaitQueue queue() { return target.queue(); }
            public long deadline() { return target.deadline(); }
        }

        /** A stream that never blocks (a file, a test's bytes): reads go straight to it. */
        static Input streamInput(InputStream in) {
            return new Input() {
                public int read(byte[] buf, int len) {
                    if (in == null) return 0;
                    try {
                        return Math.max(in.read(buf, 0, len), 0);
                    } catch (IOException e) {
                        return -Errno.EIO;
                    }
                }
                public int available() {
                    try {
                        return in == null ? 0 : in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }
                public int poll() { return POLLIN; }
            };
        }

        private final Input in;
        private final OutputStream out;
        /**
         * False when Fixup's own streams are not a terminal (its output goes to a pipe or a file):
         * fstat then shows a pipe, because a guest libc chooses line or full buffering from
         * fstat alone (a pseudo-terminal's device number means line buffering, one write per line).
         */
        final boolean terminal;

        Tty(Input in, OutputStream out, boolean r, boolean w) {
            this(in, out, r, w, true);
        }

        Tty(Input in, OutputStream out, boolean r, boolean w, boolean terminal) {
            super(r, w);
            this.in = in;
            this.out = out;
            this.terminal = terminal;
        }

        int read(byte[] buf, int len) { return in.read(buf, 0 < len ? len : 0); }

        @Override int poll() { return (readable ? in.poll() : 0) | (writable ? POLLOUT : 0); }

        @Override WaitQueue waitQueue(boolean forWrite) { return forWrite ? null : in.queue(); }

        @Override long readDeadline() { return in.deadline(); }

        /**
         * A failed host write comes back as the errno the host gave: EPIPE when the reader of
         * Fixup's output pipe is gone (the syscall then raises SIGPIPE), ENOSPC on a full disk.
         * Fixup's own standard streams are PrintStreams, which keep the error to themselves:
         * checkError tells that one happened, and what Fixup's descriptor is tells which.
         */
        int write(byte[] buf, int len) {
            try {
                out.write(buf, 0, len);
                out.flush();
                if (out instanceof java.io.PrintStream ps && ps.checkError()) return hostErrno();
                return len;
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                if (why.contains("Broken pipe")) return -Errno.EPIPE;
                if (why.contains("No space left")) return -Errno.ENOSPC;
                return -Errno.EIO;
            }
        }

        /** Why a write to Fixup's stdout or stderr failed: a pipe gives EPIPE, a full device ENOSPC, anything else EIO. */
        private int hostErrno() {
            int fd = out == System.out ? 1 : out == System.err ? 2 : -1;
            if (fd < 0) return -Errno.EIO;
            try {
                String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
                if (target.startsWith("pipe:") || target.startsWith("socket:")) return -Errno.EPIPE;
                return target.equals("/dev/full") ? -Errno.ENOSPC : -Errno.EIO;
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return -Errno.EPIPE;
            }
        }

        @Override boolean seekable() { return false; }

        @Override int available() { return in.available(); }

        /** A pseudo-terminal's node, as /dev/pts/0 is on Linux (character device 136:0, crw--w----), or else a pipe. */
        @Override Stat stat() {
            return terminal ? Stat.virtual(3, Stat.S_IFCHR | 0620, Stat.makedev(136, 0), 0) : Stat.virtual(4, Stat.S_IFIFO | 0600, 0, 0);
        }
    }

    /** A regular file of the host root directory. */
    static final class Host extends OpenFile {
        private final FileChannel ch;
        private final boolean append;
        private final java.nio.file.Path path;
        private final Stat openStat;

        Host(FileChannel ch, java.nio.file.Path path, Stat openStat, boolean r, boolean w, boolean append) {
            super(r, w);
            this.ch = ch;
            this.path = path;
            this.openStat = openStat;
            this.append = append;
            if (append) statusFlags |= FileSystem.O_APPEND;
        }

        int read(byte[] buf, int len) throws IOException {
            int n = ch.read(ByteBuffer.wrap(buf, 0, len), pos);
            return Math.max(n, 0);
        }

        int write(byte[] buf, int len) throws IOException {
            if (append || (statusFlags & FileSystem.O_APPEND) != 0) pos = ch.size();
            return ch.write(ByteBuffer.wrap(buf, 0, len), pos);
        }

        @Override public long size() throws IOException { return ch.size(); }

        /** The file's stat now; once its name is gone (unlinked while open), what it was at open with today's size. */
        @Override Stat stat() throws IOException {
            Stat now = FileSystem.hostStat(path);
            if (now != null && now.ino() == openStat.ino()) return now;
            Stat o = openStat;
            return new Stat(o.dev(), o.ino(), o.mode(), 0, o.uid(), o.gid(), o.rdev(), ch.size(), o.blocks(), o.atimeNs(), o.mtimeNs(), o.ctimeNs());
        }

        void sync(boolean metadata) throws IOException { ch.force(metadata); }

        /** ftruncate: FileChannel only shrinks, so a longer size is made by writing its last byte. */
        void truncate(long len) throws IOException {
            if (len < ch.size()) ch.truncate(len);
            else if (len > ch.size()) ch.write(java.nio.ByteBuffer.wrap(new byte[1]), len - 1);
        }

        @Override int available() throws IOException { return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ch.size() - pos)); }

        @Override public boolean mappable() { return true; }

        @Override public int readAt(long off, byte[] buf, int len) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            int n = 0;
            while (b.hasRemaining() && n >= 0) n = ch.read(b, off + b.position());   // -1 at the end of the file
            return b.position();
        }

        void close() throws IOException { ch.close(); }
    }

    /** One entry getdents reports. */
    record DirEntry(String name, long ino, int type) {}

    /**
     * A directory: read and write fail with EISDIR; getdents lists it. The listing is taken at
     * the first getdents (and again after a rewind to 0), and the position counts entries.
     */
    static final class Dir extends OpenFile {
        private final java.util.function.Supplier<java.util.List<DirEntry>> lister;
        private final Stat stat;
        private java.util.List<DirEntry> entries;

        Dir(String guestPath, Stat stat, java.util.function.Supplier<java.util.List<DirEntry>> lister) {
            super(true, false);
            this.guestPath = guestPath;
            this.stat = stat;
            this.lister = lister;
        }

        int read(byte[] buf, int len) { return -Errno.EISDIR; }
        int write(byte[] buf, int len) { return -Errno.EISDIR; }

        java.util.List<DirEntry> entries() {
            if (entries == null || pos == 0) entries = lister.get();
            return entries;
        }

        @Override public long size() { return 0; }

        @Override Stat stat() { return stat; }
    }
}

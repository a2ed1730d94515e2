package dev.fixup.kernel;

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

    boolean nonBlocking() { return (statusFlags & FileSystem.O_NONBLOCK) != 0; }

    /** Whether lseek applies (regular files and devices); pipes and terminals answer ESPIPE. */
    boolean seekable() { return true; }

    /** The size for SEEK_END. */
    long size() throws IOException { return 0; }

    /** Whether mmap can map this file (a regular file); others answer ENODEV. */
    boolean mappable() { return false; }

    /** Reads up to len bytes at offset off, leaving the file position alone (mmap's page reads): the count, 0 at the end. */
    int readAt(long off, byte[] buf, int len) throws IOException { return -Errno.ENODEV; }

    void get() { refs++; }

    /** Drops one reference; the last one closes the file. */
    void put() throws IOException {
        if (--refs == 0) close();
    }

    void close() throws IOException {}

    static final class Null extends OpenFile {
        Null(boolean r, boolean w) { super(r, w); }
        int read(byte[] buf, int len) { return 0; }
        int write(byte[] buf, int len) { return len; }
    }

    static final class Zero extends OpenFile {
        Zero(boolean r, boolean w) { super(r, w); }
        int read(byte[] buf, int len) { java.util.Arrays.fill(buf, 0, len, (byte) 0); return len; }
        int write(byte[] buf, int len) { return len; }
    }

    /** The terminal: the program's standard streams. */
    static final class Tty extends OpenFile {
        private final InputStream in;
        private final OutputStream out;

        Tty(InputStream in, OutputStream out, boolean r, boolean w) {
            super(r, w);
            this.in = in;
            this.out = out;
        }

        int read(byte[] buf, int len) throws IOException {
            if (in == null) return 0;
            int n = in.read(buf, 0, len);
            return Math.max(n, 0);
        }

        int write(byte[] buf, int len) throws IOException {
            out.write(buf, 0, len);
            out.flush();
            return len;
        }

        @Override boolean seekable() { return false; }

        @Override int available() throws IOException { return in == null ? 0 : in.available(); }
    }

    /** A regular file of the host root directory. */
    static final class Host extends OpenFile {
        private final FileChannel ch;
        private final boolean append;

        Host(FileChannel ch, boolean r, boolean w, boolean append) {
            super(r, w);
            this.ch = ch;
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

        @Override long size() throws IOException { return ch.size(); }

        @Override int available() throws IOException { return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ch.size() - pos)); }

        @Override boolean mappable() { return true; }

        @Override int readAt(long off, byte[] buf, int len) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
            int n = 0;
            while (b.hasRemaining() && n >= 0) n = ch.read(b, off + b.position());   // -1 at the end of the file
            return b.position();
        }

        void close() throws IOException { ch.close(); }
    }

    /** A directory: it opens, but read and write fail with EISDIR. */
    static final class Dir extends OpenFile {
        Dir() { super(true, false); }
        int read(byte[] buf, int len) { return -Errno.EISDIR; }
        int write(byte[] buf, int len) { return -Errno.EISDIR; }
    }
}

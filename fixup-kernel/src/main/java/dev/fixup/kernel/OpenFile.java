package dev.fixup.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An open file as the syscalls see it. read and write move bytes between the file and a kernel
 * buffer; they return a count or -errno. Copying to or from the user is the syscall's job.
 */
public abstract class OpenFile {
    public final boolean readable, writable;
    /** File position, advanced by the syscall by the bytes that really reached the user. */
    long pos;

    protected OpenFile(boolean readable, boolean writable) {
        this.readable = readable;
        this.writable = writable;
    }

    /** Reads up to len bytes at the file position (not moving it). */
    abstract int read(byte[] buf, int len) throws IOException;

    /** Writes len bytes at the file position (not moving it). */
    abstract int write(byte[] buf, int len) throws IOException;

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
    }

    /** A regular file of the host root directory. */
    static final class Host extends OpenFile {
        private final FileChannel ch;
        private final boolean append;

        Host(FileChannel ch, boolean r, boolean w, boolean append) {
            super(r, w);
            this.ch = ch;
            this.append = append;
        }

        int read(byte[] buf, int len) throws IOException {
            int n = ch.read(ByteBuffer.wrap(buf, 0, len), pos);
            return Math.max(n, 0);
        }

        int write(byte[] buf, int len) throws IOException {
            if (append) pos = ch.size();
            return ch.write(ByteBuffer.wrap(buf, 0, len), pos);
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

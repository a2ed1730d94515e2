package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.proc.Scheduler;
import dev.fixup.kernel.proc.WaitQueue;

/**
 * A pipe: a 64 KB ring buffer between a read end and a write end. A write of at most PIPE_BUF
 * bytes goes in whole or waits (POSIX atomicity); a reader waits while the pipe is empty and a
 * writer still exists; with no reader left a write fails with EPIPE (and the syscall raises
 * SIGPIPE). Ends wake each other's wait queue.
 */
final class Pipe {
    static final int CAPACITY = 65536, PIPE_BUF = 4096;

    private final byte[] ring = new byte[CAPACITY];
    private int head, count;
    private int readers = 1, writers = 1;
    private final WaitQueue readWait = new WaitQueue(), writeWait = new WaitQueue();
    private final Scheduler sched;

    Pipe(Scheduler sched) { this.sched = sched; }

    /** The two ends, each holding one reference. */
    OpenFile[] ends() { return new OpenFile[] {new ReadEnd(), new WriteEnd()}; }

    final class ReadEnd extends OpenFile {
        ReadEnd() { super(true, false); }

        /** Copies out what is there (without consuming it: {@link #advance} does, by what reached the user). */
        int read(byte[] buf, int len) {
            if (count == 0) return writers == 0 ? 0 : -Errno.EAGAIN;
            int n = Math.min(len, count);
            int first = Math.min(n, CAPACITY - head);           // up to the ring's end, then from its start
            System.arraycopy(ring, head, buf, 0, first);
            System.arraycopy(ring, 0, buf, first, n - first);
            return n;
        }

        @Override void advance(int n) {
            head = (head + n) % CAPACITY;
            count -= n;
            if (n > 0) writeWait.wakeAll(sched);
        }

        int write(byte[] buf, int len) { return -Errno.EBADF; }

        @Override int poll() { return (count > 0 ? POLLIN : 0) | (writers == 0 ? POLLHUP : 0); }

        @Override int available() { return count; }

        @Override WaitQueue waitQueue(boolean forWrite) { return readWait; }

        @Override boolean seekable() { return false; }

        @Override void close() {
            readers--;
            writeWait.wakeAll(sched);
        }

    }

    final class WriteEnd extends OpenFile {
        WriteEnd() { super(false, true); }

        int read(byte[] buf, int len) { return -Errno.EBADF; }

        int write(byte[] buf, int len) {
            if (readers == 0) return -Errno.EPIPE;
            int free = CAPACITY - count;
            if (free == 0 || (len <= PIPE_BUF && free < len)) return -Errno.EAGAIN;
            int n = Math.min(len, free);
            int tail = (head + count) % CAPACITY;
            int first = Math.min(n, CAPACITY - tail);
            System.arraycopy(buf, 0, ring, tail, first);
            System.arraycopy(buf, first, ring, 0, n - first);
            count += n;
            readWait.wakeAll(sched);
            return n;
        }

        @Override void advance(int n) {}

        @Override int poll() {
            return (CAPACITY - count >= PIPE_BUF ? POLLOUT : 0) | (readers == 0 ? POLLERR : 0);
        }

        @Override WaitQueue waitQueue(boolean forWrite) { return writeWait; }

        @Override boolean seekable() { return false; }

        @Override void close() {
            writers--;
            readWait.wakeAll(sched);
        }

    }
}

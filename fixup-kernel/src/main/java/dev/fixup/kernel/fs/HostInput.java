package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.HostEvents;
import dev.fixup.kernel.proc.WaitQueue;

import java.io.IOException;
import java.io.InputStream;

/**
 * The guest's standard input when it is a host descriptor whose reads may block (a terminal, a
 * pipe, a FIFO): a reader thread does the blocking read so that the machine, its other tasks and
 * its timers go on; the guest's read sleeps on {@link #queue} until the bytes are here.
 *
 * <p>For a pipe the thread reads only what a guest read asked for, and poll takes one byte (a
 * shell reading a script one byte at a time leaves the rest for whoever reads the pipe after
 * Fixup); bytes already in the pipe are read at once without the thread. For the terminal
 * ({@link #continuous}) it reads whatever is typed, as a tty driver receives characters whether
 * or not anyone reads, so that Ctrl-C is seen while the guest computes.
 */
public final class HostInput implements OpenFile.Tty.Input {
    private static final int MAX_REQUEST = 64 * 1024;

    private final InputStream in;
    private final HostEvents events;
    private final boolean continuous;
    final WaitQueue queue = new WaitQueue();
    // Shared with the reader thread, guarded by this.
    private byte[] data = new byte[0];
    private int wanted;
    private boolean eof;
    private boolean failed;
    private Thread reader;

    public HostInput(InputStream in, HostEvents events, boolean continuous) {
        this.in = in;
        this.events = events;
        this.continuous = continuous;
    }

    /** Takes up to len bytes that have arrived: the count, 0 at end of input, -EAGAIN when none are here yet (a read is then on its way). */
    @Override public synchronized int read(byte[] buf, int len) {
        if (data.length > 0) {
            int n = Math.min(len, data.length);
            System.arraycopy(data, 0, buf, 0, n);
            data = java.util.Arrays.copyOfRange(data, n, data.length);
            return n + readWaiting(buf, n, len - n);
        }
        if (failed) return -Errno.EIO;
        if (eof || len == 0) return 0;
        int n = readWaiting(buf, 0, len);
        if (n > 0) return n;
        request(len);
        return -Errno.EAGAIN;
    }

    /** Bytes already waiting in the host pipe, read here without blocking while the reader thread is idle; the count. */
    private int readWaiting(byte[] buf, int off, int len) {
        if (wanted > 0 || eof || len == 0) return 0;
        try {
            int avail = in.available();
            if (avail <= 0) return 0;
            return Math.max(0, in.read(buf, off, Math.min(len, avail)));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every byte that has arrived (the terminal's line discipline takes them all). */
    synchronized byte[] drain() {
        byte[] d = data;
        data = new byte[0];
        if (!eof && !failed) request(MAX_REQUEST);
        return d;
    }

    @Override public synchronized int available() { return data.length; }

    synchronized boolean atEnd() { return data.length == 0 && (eof || failed); }

    /**
     * POLLIN when a read would not sleep. Otherwise the reader thread waits for one byte (the
     * least it can take from the host to learn that input is there) and poll is woken by it.
     */
    @Override public synchronized int poll() {
        if (data.length > 0) return OpenFile.POLLIN;
        if (eof || failed) return OpenFile.POLLHUP;           // as a pipe whose writers are gone
        if (wanted == 0) {
            try {
                if (in.available() > 0) return OpenFile.POLLIN;
            } catch (IOException e) {
                return OpenFile.POLLERR;
            }
        }
        request(1);
        return 0;
    }

    @Override public WaitQueue queue() { return queue; }

    /** Whether the reader is waiting on the host for input (the machine is not deadlocked while it is). */
    public synchronized boolean reading() { return wanted > 0; }

    private void request(int len) {
        if (wanted > 0) return;
        wanted = Math.min(len, MAX_REQUEST);
        if (reader == null) {
            reader = new Thread(this::readLoop, "fixup-stdin");
            reader.setDaemon(true);
            reader.start();
        }
        notifyAll();
    }

    void start() {
        if (continuous) synchronized (this) { request(MAX_REQUEST); }
    }

    private void readLoop() {
        byte[] buf = new byte[MAX_REQUEST];
        while (true) {
            int len;
            synchronized (this) {
                while (wanted == 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                len = wanted;
            }
            int n;
            boolean error = false;
            try {
                n = in.read(buf, 0, len);
            } catch (IOException e) {
                n = -1;
                error = true;
            }
            synchronized (this) {
                if (n > 0) {
                    byte[] d = java.util.Arrays.copyOf(data, data.length + n);
                    System.arraycopy(buf, 0, d, data.length, n);
                    data = d;
                } else if (n < 0) {
                    eof = true;
                    failed = error;
                }
                wanted = continuous && n >= 0 ? MAX_REQUEST : 0;
            }
            events.post(HostEvents.INPUT);
            if (n < 0) return;
        }
    }
}

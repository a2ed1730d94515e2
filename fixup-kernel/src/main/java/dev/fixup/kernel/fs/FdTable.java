package dev.fixup.kernel.fs;

import dev.fixup.kernel.Errno;

import java.io.IOException;

/**
 * A task's file descriptors: each slot points at a shared {@link OpenFile} (so the file offset is
 * shared after fork and dup, as in Linux) and carries its own close-on-exec flag.
 */
public final class FdTable {
    /** RLIMIT_NOFILE's default, and the size of the table. */
    public static final int MAX_FDS = 1024;

    private final OpenFile[] files = new OpenFile[MAX_FDS];
    private final boolean[] cloexec = new boolean[MAX_FDS];

    public OpenFile get(int fd) { return fd >= 0 && fd < MAX_FDS ? files[fd] : null; }

    boolean isCloexec(int fd) { return cloexec[fd]; }

    void setCloexec(int fd, boolean on) { cloexec[fd] = on; }

    /** Puts f (whose reference the table takes) in the lowest free slot >= min: the fd, or -EMFILE. */
    public int install(OpenFile f, int min, boolean closeOnExec) {
        for (int i = Math.max(min, 0); i < MAX_FDS; i++) {
            if (files[i] == null) {
                files[i] = f;
                cloexec[i] = closeOnExec;
                return i;
            }
        }
        return -Errno.EMFILE;
    }

    /** dup2: fd now refers to f (one more reference), closing what it held before. */
    void installAt(int fd, OpenFile f, boolean closeOnExec) throws IOException {
        f.get();
        OpenFile old = files[fd];
        files[fd] = f;
        cloexec[fd] = closeOnExec;
        if (old != null) old.put();
    }

    /** close(fd): 0 or -EBADF. */
    int close(int fd) throws IOException {
        OpenFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        files[fd] = null;
        cloexec[fd] = false;
        f.put();
        return 0;
    }

    /** The table a forked child starts with: the same open files, one more reference each. */
    public FdTable copy() {
        FdTable t = new FdTable();
        for (int i = 0; i < MAX_FDS; i++) {
            if (files[i] != null) {
                files[i].get();
                t.files[i] = files[i];
                t.cloexec[i] = cloexec[i];
            }
        }
        return t;
    }

    public void closeOnExec() throws IOException {
        for (int i = 0; i < MAX_FDS; i++) if (cloexec[i] && files[i] != null) close(i);
    }

    public void closeAll() {
        for (int i = 0; i < MAX_FDS; i++) {
            try {
                if (files[i] != null) close(i);
            } catch (IOException ignored) {
                // a host file that fails to close at exit: nothing left to report it to
            }
        }
    }
}

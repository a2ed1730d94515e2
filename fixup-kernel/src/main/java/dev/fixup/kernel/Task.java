package dev.fixup.kernel;

/**
 * A user task: its address space, its 8 KB kernel stack (whose first word holds addr_limit, the
 * set_fs value the guest's access_ok compares with), open files and pending signal.
 */
public final class Task {
    public static final int MAX_FILES = 256;

    public final int pid;
    public final String comm;
    public final Mm mm;
    /** Physical address of the 8 KB kernel stack (8 KB aligned). */
    final int kstack;
    final OpenFile[] files = new OpenFile[MAX_FILES];
    /** A signal to deliver on the way back to user mode (0 = none); default actions only. */
    int pendingSignal;

    Task(int pid, String comm, Mm mm, int kstack) {
        this.pid = pid;
        this.comm = comm.length() > 15 ? comm.substring(0, 15) : comm;
        this.mm = mm;
        this.kstack = kstack;
    }

    /** Kernel virtual address just above the kernel stack (TSS esp0). */
    int kstackTop() { return Layout.va(kstack) + Layout.THREAD_SIZE; }

    int addrLimit(Ram ram) { return ram.read32(kstack); }

    /** set_fs: USER_DS or KERNEL_DS. */
    void setFs(Ram ram, int limit) { ram.write32(kstack, limit); }

    int allocFd(OpenFile f) {
        for (int i = 0; i < files.length; i++) if (files[i] == null) { files[i] = f; return i; }
        return -Errno.EMFILE;
    }

    OpenFile file(int fd) { return fd >= 0 && fd < files.length ? files[fd] : null; }
}

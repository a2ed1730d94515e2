package dev.fixup.kernel.proc;

import dev.fixup.kernel.Layout;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.fs.FdTable;
import dev.fixup.kernel.fs.OpenFile;
import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.Ram;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.signal.SignalState;

import java.util.ArrayList;
import java.util.List;

/**
 * A process (Linux's task_struct in the small): its address space, its 8 KB kernel stack (whose
 * first word holds addr_limit, the set_fs value the guest's access_ok compares with), its place in
 * the process tree, open files, signal state, and how it waits when it sleeps.
 *
 * <p>A task that is not running keeps nothing on its kernel stack but its {@link PtRegs} at the
 * top: tasks switch only on the way back to user mode, and a syscall that must wait rewinds the
 * task's EIP to re-issue {@code int $0x80} when it is woken (see {@link Scheduler}).
 */
public final class Task {
    public enum State { RUNNABLE, BLOCKED, STOPPED, ZOMBIE }

    public final int pid;
    public String comm;
    public Mm mm;
    /** Physical address of the 8 KB kernel stack (8 KB aligned); -1 once freed. */
    public int kstack;
    public Task parent;
    final List<Task> children = new ArrayList<>();
    public int pgid, sid;
    public State state = State.RUNNABLE;
    /** The wait status (exit code << 8, or the terminating signal) once a zombie. */
    public int exitStatus;
    public FdTable files;
    public final SignalState signals;
    public String cwd = "/";
    public int umask = 022;

    /** The wait queues this task sleeps on (it is on each one's list). */
    final List<WaitQueue> waitingOn = new ArrayList<>(2);
    /** System.nanoTime() at which a sleeping task wakes by itself; 0 = no timeout. */
    long wakeAt;
    /** State a re-issued syscall needs (a deadline, bytes already written); null when the syscall starts fresh. */
    public Object restart;
    /** Set while the syscall in pt_regs has been rewound to be re-issued. */
    public boolean restarting;
    /** The sleeping call is not restarted after a handler even with SA_RESTART (poll, select, nanosleep, pause). */
    public boolean restartNoHandler;
    /** Parent of a CLONE_VFORK child: sleeps until this child execs or exits. */
    Task vforkParent;
    /** Set while this task sleeps for its vfork child: only SIGKILL wakes it early. */
    public boolean vforkWait;
    /** Where wait4 sleeps until a child changes state. */
    final WaitQueue childWait = new WaitQueue();
    /** The signal the parent gets at this task's exit (clone's low byte; SIGCHLD for fork). */
    int exitSignal = Signal.SIGCHLD;
    /** A stop not yet reported to wait4 with WUNTRACED (the stopping signal), or 0. */
    int stopReport;
    /** A continue not yet reported to wait4 with WCONTINUED. */
    boolean continueReport;
    /** CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID / set_tid_address addresses (0 = none). */
    public int setChildTid, clearChildTid;
    /** The three TLS descriptors (low and high words) of set_thread_area, GDT entries 6..8. */
    final int[] tls = new int[2 * Layout.GDT_ENTRY_TLS_ENTRIES];
    /** The x87 state (an FNSAVE image) while the task is switched out; null: the FNINIT state. */
    public byte[] fpu;
    /** User fs and gs selectors, kept here while the task is switched out. */
    public int fsSel, gsSel;
    /** alarm(): System.nanoTime() at which SIGALRM is due; 0 = none. */
    long alarmAt;
    /** Resource limits: {soft, hard}, RLIM_INFINITY = -1. */
    final long[][] rlimits;
    /** CPU time accounting in timer ticks (utime, stime) and of reaped children. */
    public long utime, cutime;
    final long startNanos = System.nanoTime();

    Task(int pid, String comm, Mm mm, int kstack, SignalState signals, long[][] rlimits) {
        this.pid = pid;
        this.comm = shortName(comm);
        this.mm = mm;
        this.kstack = kstack;
        this.signals = signals;
        this.rlimits = rlimits;
        this.pgid = pid;
        this.sid = pid;
    }

    public static String shortName(String path) {
        String s = path.substring(path.lastIndexOf('/') + 1);
        return s.length() > 15 ? s.substring(0, 15) : s;
    }

    /** Kernel virtual address just above the kernel stack (TSS esp0). */
    public int kstackTop() { return Layout.va(kstack) + Layout.THREAD_SIZE; }

    /** The task's saved user registers, at the top of its kernel stack. */
    public int regsAddr() { return kstackTop() - PtRegs.SIZE; }

    public int addrLimit(Ram ram) { return ram.read32(kstack); }

    /** set_fs: USER_DS or KERNEL_DS. */
    public void setFs(Ram ram, int limit) { ram.write32(kstack, limit); }

    public OpenFile file(int fd) { return files.get(fd); }

    public boolean alive() { return state != State.ZOMBIE; }

    @Override
    public String toString() { return comm + "[" + pid + "]"; }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.signal.Signal;

/**
 * The out-of-memory killer (mm/oom_kill.c in the small). When a page fault finds no free frame,
 * the task whose death gives back the most memory dies: the one with the most resident pages
 * (pages of an address space shared by several tasks count once among them). Like Linux it
 * spares init while any other task could go; unlike Linux, which then panics, it kills init when
 * init is all there is, so that the program run ends with SIGKILL instead of the machine. Each
 * kill is logged in Linux 2.4's words: "Out of Memory: Killed process N (comm).".
 */
public final class OomKiller {
    private final Kernel k;

    public OomKiller(Kernel k) { this.k = k; }

    /** The task to kill, or null when there is none. */
    Task select() {
        Task best = null;
        long bestScore = -1;
        for (Task t : k.sched.all()) {
            if (!t.alive() || t.mm == null) continue;
            long score = residentPages(t.mm) / Math.max(1, t.mm.users);
            if (t == k.sched.init) score = -1;              // init only when nothing else is left
            if (best == null || score > bestScore) {
                best = t;
                bestScore = score;
            }
        }
        return best;
    }

    /** Pages present in mm's page tables, plus the tables themselves. */
    static long residentPages(Mm mm) {
        long n = 0;
        PageDirectory pgd = mm.pgd;
        for (int dir = 0; dir < PageDirectory.KERNEL_PDE0; dir++) {
            int pde = pgd.pde(dir);
            if ((pde & PageDirectory.P) == 0) continue;
            n++;
            for (int i = 0; i < 1024; i++) {
                if ((pgd.pte(dir << 22 | i << 12) & (PageDirectory.P | PageDirectory.PROTNONE)) != 0) n++;
            }
        }
        return n;
    }

    /**
     * Kills victim, which is not the running task: it exits at once, as a task asleep or
     * waiting its turn keeps nothing on its kernel stack, and its frames are free for the fault
     * that is retried.
     */
    void killOther(Task victim) {
        log(victim);
        Task cur = k.current;
        k.procs.finishExit(victim, Signal.killedBy(Signal.SIGKILL));
        if (cur != null) k.cpu.setCr3(cur.mm.pgd.phys);     // finishExit left the master directory loaded
    }

    void log(Task victim) {
        k.printk(String.format("Out of Memory: Killed process %d (%s).", victim.pid, victim.comm));
    }
}

package dev.fixup.kernel.proc;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;
import dev.fixup.kernel.syscall.Syscalls;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process table and a round-robin scheduler. A task runs until it sleeps, exits, or the timer
 * interrupt ends its time slice while it is in user mode; the switch itself happens on the way
 * back to user mode ({@code do_return_to_user}). Sleeping tasks wait on {@link WaitQueue}s and/or
 * until a deadline; when nothing can run, the idle loop waits for the earliest deadline.
 */
public final class Scheduler {
    private final Kernel k;
    /** Every task that has not been reaped, by pid. */
    public final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private int nextPid = 1;
    public Task init;
    /** Set by the timer: the running task's slice is over. */
    public boolean needResched;
    /** The earliest sleep deadline or alarm of any task (System.nanoTime()), 0 = none: timers cost nothing until then. */
    private long nextDeadline;

    public Scheduler(Kernel k) { this.k = k; }

    int allocPid() { return nextPid++; }

    void add(Task t) {
        tasks.put(t.pid, t);
        if (init == null) init = t;
    }

    Task find(int pid) {
        Task t = tasks.get(pid);
        return t != null && t.alive() ? t : null;
    }

    public List<Task> all() { return new ArrayList<>(tasks.values()); }

    /** Makes a new or woken task runnable. */
    public void enqueue(Task t) {
        t.state = Task.State.RUNNABLE;
        if (!runQueue.contains(t)) runQueue.addLast(t);
    }

    /**
     * Puts t to sleep on the queues until woken, or until deadline (System.nanoTime(); 0 = none).
     * The syscall that calls this returns {@link Syscalls#RESTART}, so that t re-issues it when it wakes.
     */
    public void sleep(Task t, long deadline, WaitQueue... queues) {
        t.state = Task.State.BLOCKED;
        t.wakeAt = deadline;
        noteDeadline(deadline);
        for (WaitQueue q : queues) {
            if (q != null && !q.sleepers.contains(t)) {
                q.sleepers.add(t);
                t.waitingOn.add(q);
            }
        }
    }

    /** Wakes a sleeping task (a stopped or dead one stays as it is). */
    public void wake(Task t) {
        if (t.state != Task.State.BLOCKED) return;
        for (WaitQueue q : t.waitingOn) q.sleepers.remove(t);
        t.waitingOn.clear();
        t.wakeAt = 0;
        enqueue(t);
    }

    /** Takes a task off every queue for good (it exited). */
    void remove(Task t) {
        for (WaitQueue q : t.waitingOn) q.sleepers.remove(t);
        t.waitingOn.clear();
        runQueue.remove(t);
    }

    void reap(Task t) {
        remove(t);
        tasks.remove(t.pid);
    }

    /** A task will need the timers at this time (System.nanoTime(); 0 = no deadline). */
    void noteDeadline(long at) {
        if (at != 0 && (nextDeadline == 0 || at - nextDeadline < 0)) nextDeadline = at;
    }

    /** Whether a deadline has come (one nanoTime read, only while some deadline exists). */
    public boolean timersDue() { return k.hostEvents.any() || nextDeadline != 0 && nextDeadline - System.nanoTime() <= 0; }

    /** Wakes the sleepers whose deadline has passed and raises due alarms. */
    void runTimers() {
        if (k.hostEvents.any()) k.terminal.onHostEvents(k.hostEvents.take());
        if (nextDeadline == 0) return;
        long now = System.nanoTime();
        if (nextDeadline - now > 0) return;
        nextDeadline = 0;
        for (Task t : new ArrayList<>(tasks.values())) {
            if (t.state == Task.State.BLOCKED && t.wakeAt != 0 && t.wakeAt - now <= 0) wake(t);
            if (t.alarmAt != 0 && t.alive() && t.alarmAt - now <= 0) {
                t.alarmAt = 0;
                k.signals.send(t, Signal.SIGALRM, SigInfo.kernel(Signal.SIGALRM));
            }
            if (t.state == Task.State.BLOCKED) noteDeadline(t.wakeAt);
            if (t.alive()) noteDeadline(t.alarmAt);
        }
    }

    /**
     * The task to run next, given that prev was running: prev again unless it sleeps, exited or
     * used up its slice while another task waits. Null when every task sleeps with nothing that
     * could wake one (no deadline, no alarm): a deadlock.
     */
    public Task schedule(Task prev) {
        runTimers();
        boolean prevRunnable = prev != null && prev.state == Task.State.RUNNABLE;
        if (prevRunnable && (!needResched || runQueue.isEmpty())) {
            needResched = false;
            return prev;
        }
        needResched = false;
        if (prevRunnable) runQueue.addLast(prev);
        while (true) {
            Task next;
            while ((next = runQueue.pollFirst()) != null) {
                if (next.state == Task.State.RUNNABLE) return next;
            }
            if (!idle()) return null;
        }
    }

    /** Nothing is runnable: wait for the earliest deadline or a host event. False when neither can come. */
    private boolean idle() {
        long earliest = 0;
        boolean any = false;
        for (Task t : tasks.values()) {
            for (long d : new long[] {t.state == Task.State.BLOCKED ? t.wakeAt : 0, t.alive() ? t.alarmAt : 0}) {
                if (d != 0 && (!any || d - earliest < 0)) { earliest = d; any = true; }
            }
        }
        boolean hostMayWake = k.hostEvents.any() || k.hostInput != null && k.hostInput.reading();
        if (!any && !hostMayWake) return false;
        long wait = any ? earliest - System.nanoTime() : 0;
        if (wait > 0 || !any) {
            try {
                k.hostEvents.await(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        runTimers();
        return true;
    }

    /** Forgets every task (the next program starts a fresh process tree). */
    public void clear() {
        tasks.clear();
        runQueue.clear();
        init = null;
        nextDeadline = 0;
        nextPid = 1;
        needResched = false;
    }
}

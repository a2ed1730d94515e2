package dev.fixup.kernel.proc;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.Vma;
import dev.fixup.kernel.syscall.SyscallGroup;
import dev.fixup.kernel.syscall.Syscalls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * futex(2): tasks sleep on a user word until another task wakes that word. A futex is named by
 * its address space and user address, except a shared one (no FUTEX_PRIVATE_FLAG) in a MAP_SHARED
 * mapping, which processes may map at different addresses: that one is named by its physical
 * address.
 *
 * <p>A waiter sleeps with its {@link Waiter} as the task's restart state: the re-issued call
 * returns 0 once a wake took it off the queue, -ETIMEDOUT after its deadline. A handler makes the
 * wait return -EINTR (glibc's lock and condition loops retry), and the stale entry is dropped by
 * the next wake of that futex.
 */
public final class Futexes extends SyscallGroup {
    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
            FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    private static final int BITSET_MATCH_ANY = -1;

    /** A futex's name: (address space, user address), or (null, physical address) for a shared mapping's word. */
    private record Key(Mm mm, int addr) {}

    /** One sleeping task: on its futex's queue until a wake moves it off (woken) or it gives up. */
    static final class Waiter {
        final Task task;
        Key key;
        final int bitset;
        final long deadline;
        boolean woken;

        Waiter(Task task, Key key, int bitset, long deadline) {
            this.task = task;
            this.key = key;
            this.bitset = bitset;
            this.deadline = deadline;
        }

        /** Still waiting in its call (not interrupted by a handler, not dead). */
        boolean live() { return task.alive() && task.restart == this; }
    }

    private final Map<Key, List<Waiter>> queues = new HashMap<>();

    public Futexes(Kernel k, UserAccess ua) {
        super(k, ua);
    }

    @Override public void register(Syscalls s) {
        s.add(240, "futex", "pxdppd", x -> futex(x.a(), x.b(), x.c(), x.d(), x.e(), x.f(), false));
        s.add(422, "futex_time64", "pxdppd", x -> futex(x.a(), x.b(), x.c(), x.d(), x.e(), x.f(), true));
    }

    private int futex(int uaddr, int op, int val, int timeout, int uaddr2, int val3, boolean wide) {
        Task t = k.current;
        if (t.restart instanceof Waiter w) return resumeWait(t, w);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET) return -Errno.ENOSYS;
        if ((uaddr & 3) != 0) return -Errno.EINVAL;
        boolean shared = (op & FUTEX_PRIVATE_FLAG) == 0;
        Key key = keyOf(t, uaddr, shared);
        switch (cmd) {
            case FUTEX_WAIT:
                return waitOn(t, key, uaddr, val, timeout, wide, false, realtime, BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET:
                if (val3 == 0) return -Errno.EINVAL;
                return waitOn(t, key, uaddr, val, timeout, wide, true, realtime, val3);
            case FUTEX_WAKE:
                return wake(key, val, BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET:
                if (val3 == 0) return -Errno.EINVAL;
                return wake(key, val, val3);
            case FUTEX_REQUEUE:
            case FUTEX_CMP_REQUEUE: {
                if ((uaddr2 & 3) != 0) return -Errno.EINVAL;
                if (val < 0 || timeout < 0) return -Errno.EINVAL;
                if (cmd == FUTEX_CMP_REQUEUE) {
                    int[] cur = ua.getUser(4, uaddr);
                    if (cur[0] != 0) return -Errno.EFAULT;
                    if (cur[1] != val3) return -Errno.EAGAIN;
                }
                return requeue(key, keyOf(t, uaddr2, shared), val, timeout);
            }
            case FUTEX_WAKE_OP:
                if ((uaddr2 & 3) != 0) return -Errno.EINVAL;
                return wakeOp(key, keyOf(t, uaddr2, shared), uaddr2, val, timeout, val3);
            default:
                return -Errno.ENOSYS;                        // the priority-inheritance calls
        }
    }

    private Key keyOf(Task t, int uaddr, boolean shared) {
        Vma v = shared ? t.mm.vmaAt(Integer.toUnsignedLong(uaddr)) : null;
        if (v != null && v.has(Vma.VM_SHARED) && ua.getUser(4, uaddr)[0] == 0) {   // the read maps the page in
            int pa = t.mm.pgd.translate(uaddr);
            if (pa != -1) return new Key(null, pa);
        }
        return new Key(t.mm, uaddr);
    }

    private int waitOn(Task t, Key key, int uaddr, int val, int timeout, boolean wide, boolean absolute, boolean realtime, int bitset) {
        long deadline = 0;
        if (timeout != 0) {
            byte[] ts = ua.read(timeout, wide ? 16 : 8);
            if (ts == null) return -Errno.EFAULT;
            long sec = wide ? Bytes.get64(ts, 0) : Bytes.get32(ts, 0);
            long nsec = wide ? Bytes.get64(ts, 8) : Bytes.get32(ts, 4);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -Errno.EINVAL;
            long now = System.nanoTime();
            long span = Math.min(sec, Long.MAX_VALUE / 4_000_000_000L) * 1_000_000_000L + nsec;
            if (absolute) {
                long base = realtime ? java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano()
                        : now - k.bootNanos;
                span -= base;
            }
            if (span <= 0) {
                int[] cur = ua.getUser(4, uaddr);
                if (cur[0] != 0) return -Errno.EFAULT;
                return cur[1] != val ? -Errno.EAGAIN : -Errno.ETIMEDOUT;
            }
            deadline = now + span;
            if (deadline == 0) deadline = 1;
        }
        int[] cur = ua.getUser(4, uaddr);
        if (cur[0] != 0) return -Errno.EFAULT;
        if (cur[1] != val) return -Errno.EAGAIN;
        Waiter w = new Waiter(t, key, bitset, deadline);
        queues.computeIfAbsent(key, x -> new ArrayList<>(2)).add(w);
        return sleep(t, w);
    }

    private int sleep(Task t, Waiter w) {
        t.restart = w;
        t.restartNoHandler = true;
        k.sched.sleep(t, w.deadline);
        return Syscalls.RESTART;
    }

    /** The waiting call is issued again: woken, timed out, or (woken by nothing of ours) still waiting. */
    private int resumeWait(Task t, Waiter w) {
        if (w.woken) return 0;
        if (w.deadline != 0 && w.deadline - System.nanoTime() <= 0) {
            unqueue(w);
            return -Errno.ETIMEDOUT;
        }
        return sleep(t, w);
    }

    private void unqueue(Waiter w) {
        List<Waiter> q = queues.get(w.key);
        if (q == null) return;
        q.remove(w);
        if (q.isEmpty()) queues.remove(w.key);
    }

    /** Wakes up to n live waiters of key whose bitset meets bitset: how many. */
    private int wake(Key key, int n, int bitset) {
        List<Waiter> q = queues.get(key);
        if (q == null) return 0;
        int woken = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.live()) {
                it.remove();
                continue;
            }
            if (woken >= n) break;
            if ((w.bitset & bitset) == 0) continue;
            it.remove();
            w.woken = true;
            k.sched.wake(w.task);
            woken++;
        }
        if (q.isEmpty()) queues.remove(key);
        return woken;
    }

    /** Wakes up to nWake waiters of from and moves up to nMove more onto to: the number of both. */
    private int requeue(Key from, Key to, int nWake, int nMove) {
        int done = wake(from, nWake, BITSET_MATCH_ANY);
        List<Waiter> q = queues.get(from);
        if (q == null || from.equals(to)) return done;
        int moved = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && moved < nMove; ) {
            Waiter w = it.next();
            it.remove();
            if (!w.live()) continue;
            w.key = to;
            queues.computeIfAbsent(to, x -> new ArrayList<>(2)).add(w);
            moved++;
        }
        if (q.isEmpty()) queues.remove(from);
        return done + moved;
    }

    /**
     * FUTEX_WAKE_OP: changes *uaddr2 by the encoded operation, wakes up to n1 waiters of key and,
     * when the old value of *uaddr2 passes the encoded comparison, up to n2 of key2.
     */
    private int wakeOp(Key key, Key key2, int uaddr2, int n1, int n2, int encoded) {
        int op = encoded >>> 28 & 7, cmp = encoded >>> 24 & 15;
        int oparg = encoded << 8 >> 20, cmparg = encoded << 20 >> 20;
        if ((encoded >>> 28 & 8) != 0) {
            if (oparg < 0 || oparg > 31) return -Errno.EINVAL;
            oparg = 1 << oparg;
        }
        int[] cur = ua.getUser(4, uaddr2);
        if (cur[0] != 0) return -Errno.EFAULT;
        int old = cur[1], neu;
        switch (op) {
            case 0: neu = oparg; break;                      // set
            case 1: neu = old + oparg; break;                // add
            case 2: neu = old | oparg; break;                // or
            case 3: neu = old & ~oparg; break;               // andn
            case 4: neu = old ^ oparg; break;                // xor
            default: return -Errno.ENOSYS;
        }
        if (ua.putUser(4, uaddr2, neu) != 0) return -Errno.EFAULT;
        boolean pass;
        switch (cmp) {
            case 0: pass = old == cmparg; break;
            case 1: pass = old != cmparg; break;
            case 2: pass = old < cmparg; break;
            case 3: pass = old <= cmparg; break;
            case 4: pass = old > cmparg; break;
            case 5: pass = old >= cmparg; break;
            default: return -Errno.ENOSYS;
        }
        int r = wake(key, n1, BITSET_MATCH_ANY);
        if (pass) r += wake(key2, n2, BITSET_MATCH_ANY);
        return r;
    }

    /** A task's clear_child_tid at exit: the word became 0; wake one waiter of it (pthread_join, vfork-style waits). */
    void wakeOne(Task t, int addr) { wake(keyOf(t, addr, true), 1, BITSET_MATCH_ANY); }
}

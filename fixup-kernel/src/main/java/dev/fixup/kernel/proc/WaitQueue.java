package dev.fixup.kernel.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks sleeping until something happens (data in a pipe, a child's exit). Waking makes every
 * sleeper runnable; each re-issues its syscall and goes back to sleep if its condition still
 * does not hold, as Linux's wait_event loops do.
 */
public final class WaitQueue {
    final List<Task> sleepers = new ArrayList<>(2);

    public void wakeAll(Scheduler s) {
        if (sleepers.isEmpty()) return;
        for (Task t : new ArrayList<>(sleepers)) s.wake(t);
    }
}

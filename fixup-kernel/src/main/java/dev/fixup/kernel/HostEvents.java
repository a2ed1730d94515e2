package dev.fixup.kernel;

/**
 * What happens on the host while the machine runs, reported by other threads (the host-input
 * reader, the JVM's signal handlers) to the kernel's thread: input arrived, the window changed
 * size, Fixup received SIGINT. The kernel looks at {@link #any} as cheaply as at its timers, and
 * its idle loop waits here rather than in Thread.sleep so that an event ends the wait.
 */
public final class HostEvents {
    public static final int INPUT = 1, WINCH = 2, INTERRUPT = 4;

    private volatile int pending;

    public void post(int event) {
        synchronized (this) {
            pending |= event;
            notifyAll();
        }
    }

    public boolean any() { return pending != 0; }

    /** The events posted since the last call, cleared. */
    public synchronized int take() {
        int e = pending;
        pending = 0;
        return e;
    }

    /** Waits until an event is posted or nanos pass (nanos 0: until an event). */
    public synchronized void await(long nanos) throws InterruptedException {
        if (pending != 0) return;
        if (nanos <= 0) wait();
        else wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
}

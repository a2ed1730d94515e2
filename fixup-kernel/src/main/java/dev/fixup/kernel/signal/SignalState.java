package dev.fixup.kernel.signal;

/**
 * A task's signal state: the action for each signal, the blocked mask, the pending set with the
 * siginfo of each pending signal, and the alternate signal stack. Masks hold signal n in bit n-1.
 */
public final class SignalState {
    /** struct sigaction as the kernel keeps it. */
    public record Action(int handler, int flags, int restorer, long mask) {
        static final Action DEFAULT = new Action(Signal.SIG_DFL, 0, 0, 0);
    }

    static final int SS_ONSTACK = 1, SS_DISABLE = 2;

    public final Action[] actions = new Action[Signal.NSIG + 1];
    public long blocked, pending;
    final SigInfo[] info = new SigInfo[Signal.NSIG + 1];
    int altSp, altSize, altFlags = SS_DISABLE;

    public SignalState() { java.util.Arrays.fill(actions, Action.DEFAULT); }

    /** fork: the same actions, mask and alternate stack; nothing pending. */
    public SignalState forkCopy() {
        SignalState s = new SignalState();
        System.arraycopy(actions, 0, s.actions, 0, actions.length);
        s.blocked = blocked;
        s.altSp = altSp;
        s.altSize = altSize;
        s.altFlags = altFlags;
        return s;
    }

    /** execve: caught signals go back to their default action; ignored ones stay ignored. */
    public void execReset() {
        for (int i = 1; i <= Signal.NSIG; i++) {
            if (actions[i].handler() != Signal.SIG_IGN) actions[i] = Action.DEFAULT;
        }
        altSp = altSize = 0;
        altFlags = SS_DISABLE;
    }

    boolean isBlocked(int sig) { return (blocked & Signal.bit(sig)) != 0; }

    /** Whether sending sig now would have no effect at all (ignored, explicitly or by default). */
    boolean ignores(int sig) {
        int h = actions[sig].handler();
        return h == Signal.SIG_IGN || h == Signal.SIG_DFL && Signal.defaultAction(sig) == Signal.Default.IGNORE;
    }

    boolean onAltStack(int sp) {
        return altFlags != SS_DISABLE && Integer.compareUnsigned(sp - altSp, altSize) < 0;
    }
}

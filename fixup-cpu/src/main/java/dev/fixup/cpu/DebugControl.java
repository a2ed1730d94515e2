package dev.fixup.cpu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a debugger asks of a {@link Cpu}: stop before the instruction at a breakpoint (a linear
 * address, in any ring), after one instruction (single step), after an instruction that changed a
 * watched range, or as soon as possible (an interrupt from another thread).
 *
 * <p>While anything is asked, the CPU runs one interpreted instruction at a time and checks after
 * each; translated blocks never run then, so a breakpoint inside one is still seen. With nothing
 * asked, the run loop pays a single boolean test per burst.
 *
 * <p>Write watchpoints compare the watched bytes at instruction boundaries (read through the page
 * tables, as the debugger sees them): a write that stores the same value is not reported, and the
 * stop comes after the instruction, as an x86 data breakpoint's trap does. Everything here except
 * {@link #interrupt()} belongs to the CPU's thread, which is also where the hook runs.
 */
public final class DebugControl {
    private final Cpu cpu;
    private DebugHook hook;
    private final Set<Integer> breakpoints = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();
    private boolean stepping;
    /** The breakpoint the CPU just stopped at: the next instruction may run from there once. */
    private int resumeAt;
    private boolean resuming;
    private volatile boolean interruptRequested;

    /** A write watchpoint: linear address, length, and the bytes last seen (-1: unmapped). */
    private static final class Watch {
        final int address, length;
        final int[] seen;

        Watch(int address, int length) {
            this.address = address;
            this.length = length;
            this.seen = new int[length];
        }
    }

    DebugControl(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Attaches (or, with null, detaches) the debugger; detaching drops every request. */
    public void setHook(DebugHook hook) {
        this.hook = hook;
        if (hook == null) clear();
        update();
    }

    /** Drops every breakpoint, watchpoint and step request (gdb detached): full speed again. */
    public void clear() {
        breakpoints.clear();
        watches.clear();
        stepping = resuming = false;
        update();
    }

    public boolean addBreakpoint(int linear) {
        boolean added = breakpoints.add(linear);
        update();
        return added;
    }

    public boolean removeBreakpoint(int linear) {
        boolean removed = breakpoints.remove(linear);
        update();
        return removed;
    }

    /** Watches {@code length} bytes at {@code linear} for writes that change them. */
    public void addWriteWatch(int linear, int length) {
        if (length <= 0 || length > 4096) throw new IllegalArgumentException("watch length " + length);
        Watch w = new Watch(linear, length);
        sample(w);
        watches.add(w);
        update();
    }

    public boolean removeWriteWatch(int linear, int length) {
        boolean removed = watches.removeIf(w -> w.address == linear && w.length == length);
        update();
        return removed;
    }

    /** After the hook returns, run one instruction and stop again. */
    public void setStepping(boolean on) {
        stepping = on;
        update();
    }

    /** From any thread: stop at the next instruction boundary (gdb's Ctrl-C). */
    public void interrupt() {
        interruptRequested = true;
        cpu.wakeForDebugger();
    }

    public boolean isAttached() { return hook != null; }

    // ---------------------------------------------------------------- the CPU's side

    /** Called by the run loop when a stop request arrived: serves this debugger's interrupt, if it was one. */
    void takeInterrupt() {
        if (!interruptRequested) return;
        interruptRequested = false;
        if (hook != null) stop(new DebugStop(DebugStop.Kind.INTERRUPT, cpu.eip));
    }

    /** Interrupts wait while single-stepping, so that a step runs the instruction at EIP (as qemu's stub does by default). */
    boolean holdsInterrupts() {
        return stepping;
    }

    /** Before an instruction: true if the CPU stopped (the caller then goes back to its loop). */
    boolean stopBefore(int eip) {
        if (resuming && eip == resumeAt) {
            resuming = false;
            return false;
        }
        resuming = false;
        if (!breakpoints.isEmpty() && breakpoints.contains(eip)) {
            stopAt(DebugStop.Kind.BREAKPOINT, eip);
            return true;
        }
        return false;
    }

    /** After an instruction (or a delivered fault): a changed watch or a finished step stops the CPU. */
    void afterInstruction() {
        for (Watch w : watches) {
            if (sample(w)) {
                stop(new DebugStop(DebugStop.Kind.WATCH, w.address));
                return;
            }
        }
        if (stepping) stop(new DebugStop(DebugStop.Kind.STEP, cpu.eip));
    }

    private void stopAt(DebugStop.Kind kind, int eip) {
        stop(new DebugStop(kind, eip));
        // Whatever the debugger does next, the instruction at this EIP runs once before its breakpoint counts again.
        resumeAt = cpu.eip;
        resuming = true;
    }

    private void stop(DebugStop s) {
        stepping = false;
        hook.stopped(cpu, s);
        update();
    }

    /** Reads the watched bytes; true if any differs from the last reading. */
    private boolean sample(Watch w) {
        boolean changed = false;
        for (int i = 0; i < w.length; i++) {
            long pa = cpu.mmu.probe(w.address + i);
            int v = pa < 0 ? -1 : cpu.mem.read8((int) pa);
            if (v != w.seen[i]) changed = true;
            w.seen[i] = v;
        }
        return changed;
    }

    private void update() {
        cpu.debugging = hook != null && (stepping || !breakpoints.isEmpty() || !watches.isEmpty());
    }
}

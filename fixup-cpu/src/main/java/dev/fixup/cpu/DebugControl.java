package dev.fixup.cpu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a debugger asks of a {@link Cpu}: stop before the instruction at a breakpoint (a linear
 * address, in any ring), after one instruction (single step), after an instruction that touched
 * watched bytes, or as soon as possible (an interrupt from another thread).
 *
 * <p>While anything is asked, the CPU runs one interpreted instruction at a time and checks after
 * each; translated blocks never run then, so a breakpoint inside one is still seen. With nothing
 * asked, the run loop pays a single boolean test per burst.
 *
 * <p>Watchpoints go through the MMU: a page holding watched bytes is kept out of the TLB, so each
 * access to it walks the page tables, and the walk reports the access here. The walk knows the
 * first byte of an access but not its width, so an access counts when its first byte lies in the
 * watched range or up to 3 bytes before it (the widest ordinary access is 4 bytes): a watchpoint
 * is never missed, and a byte access just below one may be reported too. Instruction fetches from
 * a watched page count as reads. As an x86 data breakpoint does, the stop comes after the
 * instruction. Everything here except {@link #interrupt()} belongs to the CPU's thread, which is
 * also where the hook runs.
 */
public final class DebugControl {
    /** gdb's Z2, Z3, Z4. */
    public enum WatchKind { WRITE, READ, ACCESS }

    private final Cpu cpu;
    private DebugHook hook;
    private final Set<Integer> breakpoints = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();
    private boolean stepping;
    /** The breakpoint the CPU just stopped at: the next instruction may run from there once. */
    private int resumeAt;
    private boolean resuming;
    /** The first watchpoint the current instruction touched. */
    private Watch hit;
    private volatile boolean interruptRequested;

    private record Watch(int address, int length, WatchKind kind) {
        boolean touchedBy(int lin, boolean write) {
            if (kind == WatchKind.WRITE && !write || kind == WatchKind.READ && write) return false;
            // [lin, lin + 4) overlaps [address, address + length), unsigned and without overflow
            return Integer.toUnsignedLong(lin) + 4 > Integer.toUnsignedLong(address)
                    && Integer.toUnsignedLong(lin) < Integer.toUnsignedLong(address) + length;
        }

        boolean onPage(int lin) {
            long page = Integer.toUnsignedLong(lin) >>> 12;
            return page >= Integer.toUnsignedLong(address) >>> 12
                    && page <= (Integer.toUnsignedLong(address) + length - 1) >>> 12;
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
        hit = null;
        watchesChanged();
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

    /** Watches {@code length} bytes at {@code linear} for writes, reads, or both. */
    public void addWatch(int linear, int length, WatchKind kind) {
        if (length <= 0 || length > 4096) throw new IllegalArgumentException("watch length " + length);
        watches.add(new Watch(linear, length, kind));
        watchesChanged();
        update();
    }

    public boolean removeWatch(int linear, int length, WatchKind kind) {
        boolean removed = watches.remove(new Watch(linear, length, kind));
        watchesChanged();
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
        hit = null;
        if (resuming && eip == resumeAt) {
            resuming = false;
            return false;
        }
        resuming = false;
        if (!breakpoints.isEmpty() && breakpoints.contains(eip)) {
            stop(new DebugStop(DebugStop.Kind.BREAKPOINT, eip));
            // Whatever the debugger does next, the instruction at EIP runs once before its breakpoint counts again.
            resumeAt = cpu.eip;
            resuming = true;
            return true;
        }
        return false;
    }

    /** After an instruction (or a delivered fault): a touched watchpoint or a finished step stops the CPU. */
    void afterInstruction() {
        Watch w = hit;
        if (w != null) {
            hit = null;
            DebugStop.Kind k = w.kind == WatchKind.WRITE ? DebugStop.Kind.WRITE_WATCH
                    : w.kind == WatchKind.READ ? DebugStop.Kind.READ_WATCH : DebugStop.Kind.ACCESS_WATCH;
            stop(new DebugStop(k, w.address));
        } else if (stepping) {
            stop(new DebugStop(DebugStop.Kind.STEP, cpu.eip));
        }
    }

    /** Told of each access to a watched page that did not fault, during the instruction (the embedding API's memory hooks). */
    @FunctionalInterface
    public interface AccessListener {
        void accessed(int linear, boolean write);
    }

    private AccessListener accessListener;

    /** Sets (or, with null, removes) the listener told of accesses to watched pages; watches without a hook only feed it. */
    public void setAccessListener(AccessListener l) { accessListener = l; }

    /** From the MMU's page walk: an access that did not fault. */
    void accessed(int lin, boolean write) {
        if (accessListener != null) accessListener.accessed(lin, write);
        if (hit != null || hook == null) return;
        for (Watch w : watches) {
            if (w.touchedBy(lin, write)) {
                hit = w;
                return;
            }
        }
    }

    /** True if the page of {@code lin} holds watched bytes (the MMU then keeps it out of the TLB). */
    boolean watchesPage(int lin) {
        for (Watch w : watches) if (w.onPage(lin)) return true;
        return false;
    }

    private void watchesChanged() {
        cpu.mmu.watcher = watches.isEmpty() ? null : this;
        cpu.mmu.tlb.flush(); // entries for newly watched pages must go
    }

    private void stop(DebugStop s) {
        stepping = false;
        hook.stopped(cpu, s);
        update();
    }

    void update() {
        cpu.debugging = cpu.instructionHook != null || hook != null && (stepping || !breakpoints.isEmpty() || !watches.isEmpty());
    }
}

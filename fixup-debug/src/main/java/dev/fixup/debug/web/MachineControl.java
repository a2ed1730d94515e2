package dev.fixup.debug.web;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.DebugHook;
import dev.fixup.cpu.DebugStop;

/**
 * Pause, single-step and continue for the web view, through the CPU's debugger interface as the
 * gdb stub uses it: pause is a debugger interrupt, step a single-step request; while paused, the
 * CPU's thread waits inside {@link #stopped} for the next command. With nothing asked the CPU runs
 * at full speed.
 */
final class MachineControl implements DebugHook {
    private enum Command { STEP, CONTINUE }

    private final Cpu cpu;
    private Command command;
    private volatile boolean paused;
    private volatile boolean closed;
    /** How many times the CPU has stopped here (a step shows as one more). */
    private volatile int stops;

    MachineControl(Cpu cpu) {
        this.cpu = cpu;
        cpu.debug().setHook(this);
    }

    boolean paused() { return paused; }

    int stops() { return stops; }

    /** From any thread: the CPU stops at its next instruction boundary. */
    void pause() {
        if (!closed) cpu.debug().interrupt();
    }

    /** From any thread, while paused: run one instruction and pause again. */
    synchronized void step() {
        command = Command.STEP;
        notifyAll();
    }

    /** From any thread: go on at full speed. */
    synchronized void resume() {
        command = Command.CONTINUE;
        notifyAll();
    }

    /** The view is going away: never pause again, and let a paused CPU go. */
    void close() {
        closed = true;
        resume();
    }

    @Override
    public void stopped(Cpu c, DebugStop stop) {
        if (closed) return;
        Command next;
        synchronized (this) {
            command = null;
            paused = true;
            stops++;
            try {
                while (command == null) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                command = Command.CONTINUE;
            }
            next = command;
            paused = false;
        }
        if (next == Command.STEP && !closed) c.debug().setStepping(true);
    }
}

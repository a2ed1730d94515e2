package dev.fixup.debug.web;

import dev.fixup.cpu.Cpu;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelView;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One program's run as the web view sees it: the kernel, its fault timeline, the pause/step
 * control, and what the program printed. Made before the kernel boots ({@link #configure}), given
 * the kernel once it has ({@link #attach}), told when the program ends ({@link #exited}).
 */
public final class Session {
    private static final int MAX_OUTPUT = 64 * 1024;

    final String program;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private volatile Kernel kernel;
    private volatile KernelView view;
    private volatile FaultTimeline timeline;
    private volatile MachineControl control;
    private volatile String status = "starting";
    private volatile Integer exitStatus;
    /** The tasks as they were when the last one called exit (their memory is gone after). */
    private volatile java.util.List<KernelView.TaskInfo> tasksAtExit;

    Session(String program) {
        this.program = program;
    }

    /** Before boot: the program's output is also kept for the page (the streams given still get it). */
    public void configure(KernelConfig cfg) {
        cfg.stdout = new PrintStream(new Tee(cfg.stdout), true, StandardCharsets.UTF_8);
        cfg.stderr = new PrintStream(new Tee(cfg.stderr), true, StandardCharsets.UTF_8);
    }

    /** After boot, before the program starts: the view listens to the kernel and may pause the CPU. */
    public void attach(Kernel k, KernelConfig cfg) {
        Cpu cpu = k.cpu();
        timeline = new FaultTimeline(cpu);
        KernelView v = new KernelView(k);
        timeline.onExit = () -> tasksAtExit = v.tasks(); // on the CPU's thread: a whole picture
        cfg.observer = timeline;
        view = v;
        control = new MachineControl(cpu);
        kernel = k;
        status = "running";
    }

    /** The program ended with this wait status (or the run failed: null). */
    public void exited(Integer status) {
        exitStatus = status;
        this.status = status == null ? "failed" : "exited";
        MachineControl c = control;
        if (c != null) c.close();
    }

    /** Before a new session replaces this one: a paused CPU goes on. */
    void close() {
        MachineControl c = control;
        if (c != null) c.close();
    }

    String status() {
        MachineControl c = control;
        return "running".equals(status) && c != null && c.paused() ? "paused" : status;
    }

    Integer exitStatus() { return exitStatus; }

    java.util.List<KernelView.TaskInfo> tasksAtExit() { return tasksAtExit; }

    Kernel kernel() { return kernel; }

    KernelView view() { return view; }

    FaultTimeline timeline() { return timeline; }

    MachineControl control() { return control; }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private final class Tee extends OutputStream {
        private final OutputStream next;

        Tee(OutputStream next) { this.next = next; }

        @Override
        public void write(int b) throws java.io.IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            synchronized (output) {
                if (output.size() < MAX_OUTPUT) output.write(b, off, Math.min(len, MAX_OUTPUT - output.size()));
            }
            next.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException { next.flush(); }
    }
}

package dev.fixup.debug.web;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.ExceptionEvent;
import dev.fixup.cpu.UnmappedAddressException;
import dev.fixup.cpu.Vector;
import dev.fixup.kernel.KernelObserver;
import dev.fixup.kernel.mm.Vma;
import java.util.ArrayList;
import java.util.List;

/**
 * Every CPU exception of a run, with what the kernel made of it: do_page_fault's vma decision, the
 * exception-table entry and fixup, the oops, the result of the system call it happened in. The
 * code around the faulting EIP and at the fixup is copied when it happens (a user page may be
 * gone by the time someone looks).
 */
final class FaultTimeline implements KernelObserver {
    /** Bytes kept before and after EIP. */
    static final int BEFORE = 48, AFTER = 48;

    static final class Fault {
        final int id, pid, vector, errorCode, cr2, eip, cpl, cs;
        String decision;
        int fixupFrom, fixupTo;
        String outcome;
        /** Guest bytes [eip - BEFORE, eip + AFTER) (-1 where unmapped) and the fixup's first bytes. */
        int[] code, fixupCode;

        Fault(int id, int pid, ExceptionEvent e) {
            this.id = id;
            this.pid = pid;
            this.vector = e.vector();
            this.errorCode = e.errorCode();
            this.cr2 = e.cr2();
            this.eip = e.eip();
            this.cpl = e.cpl();
            this.cs = e.cs();
        }

        String vectorName() { return Vector.name(vector); }
    }

    private final Cpu cpu;
    /** Called when a task exits (the session keeps a picture of the tasks then). */
    Runnable onExit = () -> { };
    private final List<Fault> faults = new ArrayList<>();
    /** The faults since the current system call began (their outcome is its result). */
    private final List<Fault> inSyscall = new ArrayList<>();

    FaultTimeline(Cpu cpu) {
        this.cpu = cpu;
    }

    synchronized List<Fault> snapshot() { return new ArrayList<>(faults); }

    synchronized Fault get(int id) {
        return id >= 0 && id < faults.size() ? faults.get(id) : null;
    }

    @Override
    public synchronized void exception(int pid, ExceptionEvent e) {
        Fault f = new Fault(faults.size(), pid, e);
        f.code = bytes(e.eip() - BEFORE, BEFORE + AFTER);
        if (e.vector() != Vector.PF) f.outcome = e.cpl() == 3 ? "signal to the task (see the trap's handler)" : "kernel trap";
        faults.add(f);
        if (e.cpl() == 0) inSyscall.add(f);
    }

    @Override
    public synchronized void pageFault(int pid, int eip, int cr2, int errorCode, Vma vma, String decision) {
        Fault f = last();
        if (f == null) return;
        f.decision = decision;
        if (decision.contains("good_area")) f.outcome = "page mapped by handle_mm_fault; the instruction runs again";
        else if (decision.endsWith("SIGSEGV")) f.outcome = "SIGSEGV";
    }

    @Override
    public synchronized void fixup(int eip, int fixup) {
        Fault f = last();
        if (f == null) return;
        f.fixupFrom = eip;
        f.fixupTo = fixup;
        f.fixupCode = bytes(fixup, AFTER);
        f.outcome = "resumed at the fixup";
    }

    @Override
    public synchronized void oops(int pid, String firstLine) {
        Fault f = last();
        if (f != null) f.outcome = "oops: " + firstLine;
    }

    @Override
    public void exiting(int pid) {
        onExit.run();
    }

    @Override
    public synchronized void syscallReturned(int pid, String name, int result) {
        for (Fault f : inSyscall) {
            if (f.fixupTo != 0) {
                f.outcome = "resumed at the fixup; " + name + "() returned " + result
                        + (result == -14 ? " (-EFAULT)" : "");
            }
        }
        inSyscall.clear();
    }

    private Fault last() {
        return faults.isEmpty() ? null : faults.get(faults.size() - 1);
    }

    private int[] bytes(int from, int len) {
        int[] b = new int[len];
        for (int i = 0; i < len; i++) {
            try {
                b[i] = cpu.readLinear8(from + i);
            } catch (UnmappedAddressException e) {
                b[i] = -1;
            }
        }
        return b;
    }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.proc.Limits;
import dev.fixup.kernel.proc.Task;
import dev.fixup.kernel.signal.SigInfo;
import dev.fixup.kernel.signal.Signal;

/**
 * do_page_fault(regs, error_code), the decision tree of Linux 2.4 arch/i386/mm/fault.c.
 * The CPU has put the faulting address in CR2 and entry.S has saved the registers. A fault on a
 * user address from kernel code that has an exception-table entry ends at no_context, where the
 * saved EIP is replaced by the fixup address: the guest then resumes in its repair code.
 */
public final class PageFaultHandler {
    /** Error code bits pushed by the CPU. */
    public static final int PROTECTION = 1, WRITE = 2, USER = 4;

    private final Kernel k;

    public PageFaultHandler(Kernel k) { this.k = k; }

    public void doPageFault(PtRegs regs, int errorCode, int cr2) {
        long address = Layout.u(cr2);
        Task tsk = k.current;

        if (address >= Layout.TASK_SIZE && (errorCode & (PROTECTION | USER)) == 0) {
            vmallocFault(regs, errorCode, cr2);
            return;
        }
        if (tsk == null || tsk.mm == null) {
            noContext(regs, errorCode, cr2);
            return;
        }
        Mm mm = tsk.mm;
        int siCode = Signal.SEGV_MAPERR;
        Vma vma = mm.findVma(address);
        boolean good = false;
        if (vma != null) {
            if (vma.start <= address) {
                good = true;
            } else if (vma.has(Vma.VM_GROWSDOWN)) {
                // pusha may write 32 bytes below esp; a user access further down is a bug.
                boolean tooFarBelowEsp = (errorCode & USER) != 0 && address + 32 < Layout.u(regs.get(PtRegs.ESP));
                good = !tooFarBelowEsp && Limits.expandStack(tsk, vma, address);
            }
        }
        if (good) {
            siCode = Signal.SEGV_ACCERR;
            if ((errorCode & WRITE) != 0) good = vma.has(Vma.VM_WRITE);
            else if ((errorCode & PROTECTION) != 0) good = false;
            else good = vma.has(Vma.VM_READ | Vma.VM_EXEC);
        }
        k.tracer.pageFault(regs, errorCode, cr2, vma, good);
        if (good) {
            int r = mm.handleMmFault(vma, address, (errorCode & WRITE) != 0);
            if (r > 0) return;
            if (r == 0) {                                   // SIGBUS: the page could not be read
                if ((errorCode & USER) == 0) { noContext(regs, errorCode, cr2); return; }
                k.signals.force(tsk, SigInfo.fault(Signal.SIGBUS, Signal.BUS_ADRERR, cr2, 14, errorCode));
                return;
            }
            outOfMemory(tsk, regs, errorCode, cr2);
            return;
        }
        // bad_area: the task's own access is its bug; the kernel's may be a bad syscall argument.
        if ((errorCode & USER) != 0) {
            k.signals.force(tsk, SigInfo.fault(Signal.SIGSEGV, siCode, cr2, 14, errorCode));
            return;
        }
        noContext(regs, errorCode, cr2);
    }

    /**
     * No frame for the page: the OOM killer picks a task. Another task dies at once and the
     * fault is retried with its memory free. When the faulting task is the one to go, it never
     * runs on: from user mode it exits with SIGKILL; from kernel mode SIGKILL is queued before
     * no_context, so a uaccess routine's fixup makes the call fail and the task dies on its way
     * back to user mode (no fixup: an oops, which kills it too).
     */
    private void outOfMemory(Task tsk, PtRegs regs, int errorCode, int cr2) {
        Task victim = k.oom.select();
        if (victim != null && victim != tsk) {
            k.oom.killOther(victim);
            return;
        }
        k.oom.log(tsk);
        k.printk("VM: killing process " + tsk.comm);
        if ((errorCode & USER) != 0) throw k.exit(tsk, Signal.killedBy(Signal.SIGKILL));
        k.signals.force(tsk, SigInfo.kernel(Signal.SIGKILL));
        noContext(regs, errorCode, cr2);
    }

    /** The kernel touched an address no vma allows: the exception table decides. */
    private void noContext(PtRegs regs, int errorCode, int cr2) {
        if (k.extable.fixupException(regs, k.tracer)) return;
        k.pageFaultOops(regs, errorCode, cr2);
    }

    /** A kernel address missing from this directory but present in the master one: copy the entry. */
    private void vmallocFault(PtRegs regs, int errorCode, int cr2) {
        int index = cr2 >>> 22;
        int master = k.masterPgd.pde(index);
        boolean hole = (master & PageDirectory.PS) == 0 && (k.masterPgd.pte(cr2) & PageDirectory.P) == 0;
        if ((master & PageDirectory.P) == 0 || hole) {   // an unmapped page (a module's, after unload) must not loop
            noContext(regs, errorCode, cr2);
            return;
        }
        PageDirectory current = k.current != null ? k.current.mm.pgd : k.masterPgd;
        current.setPde(index, master);
        k.flushTlb();
    }
}

package dev.fixup.kernel.signal;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Task;

import dev.fixup.cpu.Cpu;

/**
 * The signal frames of Linux i386, written on the user stack with the guest copy_to_user (a stack
 * the kernel cannot write kills the task with SIGSEGV) and read back by sigreturn:
 * <pre>
 *   sigframe:    pretcode, sig, sigcontext, (unused fpstate), extramask, retcode      732 bytes
 *   rt_sigframe: pretcode, sig, &amp;info, &amp;uc, siginfo, ucontext, retcode              268 bytes
 * </pre>
 * The sigcontext holds the interrupted registers; the handler returns into the restorer (glibc's
 * __restore_rt) or, without SA_RESTORER, into the retcode, which calls (rt_)sigreturn.
 */
public final class SigFrame {
    /** The x87 state saved for a handler: the 108-byte FNSAVE image, then status and magic words. */
    static final int FNSAVE_SIZE = 108, FPSTATE_SIZE = 112;
    static final int SC_SIZE = 88, FRAME_SIZE = 732, RT_FRAME_SIZE = 268;
    private static final int FP_UNUSED = 624;
    /** Offsets in the frames. */
    private static final int SC = 8, EXTRAMASK = SC + SC_SIZE + FP_UNUSED, RETCODE = EXTRAMASK + 4;
    private static final int RT_INFO = 16, RT_UC = RT_INFO + SigInfo.SIZE, RT_UC_STACK = RT_UC + 8,
            RT_SC = RT_UC + 20, RT_MASK = RT_SC + SC_SIZE, RT_RETCODE = RT_MASK + 8;
    static final int NR_SIGRETURN = 119, NR_RT_SIGRETURN = 173;
    /** The EFLAGS bits a handler may change through the sigcontext (arithmetic, DF, TF, AC, RF). */
    private static final int FIX_EFLAGS = 0x50DD5;
    private static final int EFLAGS_TF = 0x100, EFLAGS_DF = 0x400, EFLAGS_RF = 0x10000;

    private final Kernel k;
    private final UserAccess ua;

    SigFrame(Kernel k, UserAccess ua) {
        this.k = k;
        this.ua = ua;
    }

    /** Builds the frame for sig and points the registers at the handler; false when the stack cannot be written. */
    boolean setup(Task t, PtRegs regs, int sig, SignalState.Action a, SigInfo info, long savedMask) {
        SignalState s = t.signals;
        int sp = regs.get(PtRegs.ESP);
        if ((a.flags() & Signal.SA_ONSTACK) != 0 && s.altFlags != SignalState.SS_DISABLE && !s.onAltStack(sp)) {
            sp = s.altSp + s.altSize;
        }
        // The x87 state goes below the frame, 64-byte aligned, as Linux places it; the handler starts with a clean unit.
        int fp = (sp - FPSTATE_SIZE) & -64;
        byte[] image = java.util.Arrays.copyOf(k.cpu.fpuSaveFnsave(), FPSTATE_SIZE);
        Bytes.put16(image, FNSAVE_SIZE + 2, 0xFFFF);       // magic: a plain FNSAVE image, no FXSR part
        if (!ua.write(fp, image)) return false;
        sp = fp;
        boolean rt = (a.flags() & Signal.SA_SIGINFO) != 0;
        int size = rt ? RT_FRAME_SIZE : FRAME_SIZE;
        int frame = ((sp - size + 4) & -16) - 4;            // so that the handler sees (esp + 4) 16-aligned
        byte[] f = new byte[size];
        boolean restorer = (a.flags() & Signal.SA_RESTORER) != 0;
        Bytes.put32(f, 4, sig);
        if (rt) {
            Bytes.put32(f, 0, restorer ? a.restorer() : frame + RT_RETCODE);
            Bytes.put32(f, 8, frame + RT_INFO);
            Bytes.put32(f, 12, frame + RT_UC);
            System.arraycopy(info.toBytes(), 0, f, RT_INFO, SigInfo.SIZE);
            Bytes.put32(f, RT_UC_STACK, s.altSp);
            Bytes.put32(f, RT_UC_STACK + 4, s.altFlags == SignalState.SS_DISABLE ? SignalState.SS_DISABLE
                    : s.onAltStack(regs.get(PtRegs.ESP)) ? SignalState.SS_ONSTACK : 0);
            Bytes.put32(f, RT_UC_STACK + 8, s.altSize);
            sigcontext(f, RT_SC, regs, info, savedMask, fp);
            Bytes.put64(f, RT_MASK, savedMask);
            retcode(f, RT_RETCODE, new byte[] {(byte) 0xb8, (byte) NR_RT_SIGRETURN, 0, 0, 0, (byte) 0xcd, (byte) 0x80});
        } else {
            Bytes.put32(f, 0, restorer ? a.restorer() : frame + RETCODE);
            sigcontext(f, SC, regs, info, savedMask, fp);
            Bytes.put32(f, EXTRAMASK, (int) (savedMask >>> 32));
            retcode(f, RETCODE, new byte[] {0x58, (byte) 0xb8, (byte) NR_SIGRETURN, 0, 0, 0, (byte) 0xcd, (byte) 0x80});
        }
        if (!ua.write(frame, f)) return false;
        k.cpu.fpuReset();
        regs.set(PtRegs.ESP, frame);
        regs.set(PtRegs.EIP, a.handler());
        regs.set(PtRegs.EAX, sig);
        if (rt) {
            regs.set(PtRegs.EDX, frame + RT_INFO);
            regs.set(PtRegs.ECX, frame + RT_UC);
        }
        regs.set(PtRegs.DS, Layout.USER_DS_SEL);
        regs.set(PtRegs.ES, Layout.USER_DS_SEL);
        regs.set(PtRegs.CS, Layout.USER_CS);
        regs.set(PtRegs.SS, Layout.USER_DS_SEL);
        regs.set(PtRegs.EFLAGS, regs.get(PtRegs.EFLAGS) & ~(EFLAGS_TF | EFLAGS_DF | EFLAGS_RF));
        return true;
    }

    private static void retcode(byte[] f, int off, byte[] code) { System.arraycopy(code, 0, f, off, code.length); }

    /** struct sigcontext: gs fs es ds edi esi ebp esp ebx edx ecx eax trapno err eip cs eflags esp_at_signal ss fpstate oldmask cr2. */
    private void sigcontext(byte[] f, int off, PtRegs r, SigInfo info, long mask, int fpstate) {
        int[] v = {k.cpu.get(dev.fixup.x86.Reg.GS), k.cpu.get(dev.fixup.x86.Reg.FS), r.get(PtRegs.ES), r.get(PtRegs.DS),
                r.get(PtRegs.EDI), r.get(PtRegs.ESI), r.get(PtRegs.EBP), r.get(PtRegs.ESP), r.get(PtRegs.EBX),
                r.get(PtRegs.EDX), r.get(PtRegs.ECX), r.get(PtRegs.EAX), info.trapno(), info.err(), r.eip(),
                r.get(PtRegs.CS), r.get(PtRegs.EFLAGS), r.get(PtRegs.ESP), r.get(PtRegs.SS), fpstate, (int) mask,
                info.signo() == Signal.SIGSEGV ? info.addr() : 0};
        for (int i = 0; i < v.length; i++) Bytes.put32(f, off + 4 * i, v[i]);
    }

    /**
     * sigreturn / rt_sigreturn: the registers and mask saved in the frame the handler returned
     * through. Returns the restored eax, or null when the frame cannot be read (the caller kills the
     * task with SIGSEGV, as Linux does).
     */
    Integer restore(Task t, PtRegs regs, boolean rt) {
        int esp = regs.get(PtRegs.ESP);
        int frame = rt ? esp - 4 : esp - 8;                 // the handler's ret (and sigreturn's pop) moved esp
        byte[] sc = ua.read(frame + (rt ? RT_SC : SC), SC_SIZE);
        byte[] m = rt ? ua.read(frame + RT_MASK, 8) : ua.read(frame + EXTRAMASK, 4);
        if (sc == null || m == null) return null;
        int fpstate = Bytes.get32(sc, 76);
        if (fpstate != 0) {
            byte[] image = ua.read(fpstate, FNSAVE_SIZE);
            if (image == null) return null;
            k.cpu.fpuRestoreFnsave(image);
        }
        long mask = rt ? Bytes.get64(m, 0) : Layout.u(Bytes.get32(sc, 80)) | (long) Bytes.get32(m, 0) << 32;
        t.signals.blocked = mask & ~Signal.UNBLOCKABLE;
        loadUserSegment(Cpu.SEG_GS, Bytes.get32(sc, 0));
        loadUserSegment(Cpu.SEG_FS, Bytes.get32(sc, 4));
        regs.set(PtRegs.ES, Bytes.get32(sc, 8) & 0xFFFF);
        regs.set(PtRegs.DS, Bytes.get32(sc, 12) & 0xFFFF);
        int[] order = {PtRegs.EDI, PtRegs.ESI, PtRegs.EBP, PtRegs.ESP, PtRegs.EBX, PtRegs.EDX, PtRegs.ECX, PtRegs.EAX};
        for (int i = 0; i < order.length; i++) regs.set(order[i], Bytes.get32(sc, 16 + 4 * i));
        regs.set(PtRegs.EIP, Bytes.get32(sc, 56));
        regs.set(PtRegs.CS, Bytes.get32(sc, 60) & 0xFFFF | 3);
        regs.set(PtRegs.EFLAGS, (regs.get(PtRegs.EFLAGS) & ~FIX_EFLAGS) | (Bytes.get32(sc, 64) & FIX_EFLAGS));
        regs.set(PtRegs.SS, Bytes.get32(sc, 72) & 0xFFFF | 3);
        regs.set(PtRegs.ORIG_EAX, -1);                      // not a syscall any more: nothing to restart
        if (rt) {
            byte[] st = ua.read(frame + RT_UC_STACK, 12);
            if (st != null) k.signals.setAltStack(t, Bytes.get32(st, 0), Bytes.get32(st, 4), Bytes.get32(st, 8), regs);
        }
        return regs.get(PtRegs.EAX);
    }

    /** Loads fs or gs from a user-supplied selector; one the user may not load becomes the null selector. */
    public void loadUserSegment(int seg, int selector) {
        selector &= 0xFFFF;
        int sel = (selector & 0xFFFC) == 0 ? 0 : selector | 3;
        try {
            k.cpu.loadSegment(seg, sel);
        } catch (IllegalArgumentException e) {
            k.cpu.loadSegment(seg, 0);
        }
    }
}

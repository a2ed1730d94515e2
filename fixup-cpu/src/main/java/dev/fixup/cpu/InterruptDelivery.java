package dev.fixup.cpu;

/**
 * Delivering exceptions and interrupts through the guest IDT, and iret.
 *
 * Only 32-bit interrupt gates (type 0xE: IF cleared) and trap gates (0xF) are supported; task
 * gates and 16-bit gates raise #GP(vector*8+2). Entering a more privileged ring takes SS:ESP from
 * the TSS (SS0:ESP0 for ring 0) and pushes SS, ESP, EFLAGS, CS, EIP and the error code there.
 * The frame is checked for writability before any byte is written and registers change only
 * after that, so a fault during delivery leaves the interrupted state intact for the next one.
 */
final class InterruptDelivery {
    static final int KIND_FAULT = 0, KIND_SOFTWARE = 1, KIND_EXTERNAL = 2;

    private final Cpu cpu;
    /** The CPU's own accesses: descriptor tables, TSS, interrupt frames. */
    final SystemMemory memory;

    InterruptDelivery(Cpu cpu) {
        this.cpu = cpu;
        this.memory = new SystemMemory(cpu);
    }

    /**
     * Delivers {@code vector}, handling faults raised while delivering: two contributory faults
     * (or #PF followed by #PF or a contributory fault) make a double fault; a fault while
     * delivering a double fault is a triple fault, which shuts the CPU down.
     *
     * @param eip the EIP to push (faulting instruction for faults, next instruction for int n and interrupts)
     */
    void raise(int vector, int errorCode, int kind, int eip) {
        for (int attempts = 0; ; attempts++) {
            cpu.notifyListener(vector, errorCode, kind, eip);
            try {
                deliver(vector, errorCode, kind, eip);
                return;
            } catch (GuestFault second) {
                // int n whose delivery fails: the fault belongs to the int instruction itself.
                if (kind == KIND_SOFTWARE) throw second;
                int v2 = second.vector, e2 = second.errorCode;
                if (vector == Vector.DF || attempts > 8) {
                    cpu.tripleFault();
                    return;
                }
                boolean doubleFault = kind == KIND_FAULT
                        && ((Vector.contributory(vector) && Vector.contributory(v2))
                        || (vector == Vector.PF && (v2 == Vector.PF || Vector.contributory(v2))));
                if (doubleFault) {
                    vector = Vector.DF;
                    errorCode = 0;
                } else {
                    vector = v2;
                    errorCode = Vector.hasErrorCode(v2) ? e2 : -1;
                }
                kind = KIND_FAULT;
            }
        }
    }

    private void deliver(int vector, int errorCode, int kind, int eip) {
        int ext = kind == KIND_SOFTWARE ? 0 : 1;
        int gateErr = vector * 8 + 2 + ext;
        if (vector * 8 + 7 > cpu.idtLimit) throw cpu.fault.set(Vector.GP, gateErr);
        int lo = memory.read32(cpu.idtBase + vector * 8);
        int hi = memory.read32(cpu.idtBase + vector * 8 + 4);
        int type = (hi >>> 8) & 0x1F;
        if (type != 0xE && type != 0xF) throw cpu.fault.set(Vector.GP, gateErr);
        if (kind == KIND_SOFTWARE && Descriptor.dpl(hi) < cpu.cpl) throw cpu.fault.set(Vector.GP, vector * 8 + 2);
        if (!Descriptor.present(hi)) throw cpu.fault.set(Vector.NP, gateErr);

        int sel = Descriptor.gateSelector(lo);
        int target = Descriptor.gateOffset(lo, hi);
        Protection prot = cpu.protection;
        if ((sel & 0xFFFC) == 0) throw cpu.fault.set(Vector.GP, ext);
        prot.read(sel, ext, Vector.GP);
        int csLo = prot.lo, csHi = prot.hi;
        int dpl = Descriptor.dpl(csHi);
        if (!Descriptor.code(csHi) || dpl > cpu.cpl) throw cpu.fault.set(Vector.GP, (sel & 0xFFFC) | ext);
        if (!Descriptor.present(csHi)) throw cpu.fault.set(Vector.NP, (sel & 0xFFFC) | ext);
        int newCpl = Descriptor.conforming(csHi) ? cpu.cpl : dpl;

        int flags = cpu.getEflags();
        boolean pushError = errorCode >= 0;
        int words = pushError ? 4 : 3;
        int esp, ssBase;
        int newSsSel = 0, ssLo = 0, ssHi = 0;
        boolean stackSwitch = newCpl < cpu.cpl;
        if (stackSwitch) {
            int off = 4 + newCpl * 8;
            if (off + 5 > cpu.trLimit) throw cpu.fault.set(Vector.TS, (cpu.trSelector & 0xFFFC) | ext);
            esp = memory.read32(cpu.trBase + off);
            newSsSel = memory.read16(cpu.trBase + off + 4);
            prot.checkStack(newSsSel, newCpl, ext, Vector.TS);
            ssLo = prot.lo;
            ssHi = prot.hi;
            ssBase = Descriptor.base(ssLo, ssHi);
            words += 2;
        } else {
            esp = cpu.regs[Cpu.ESP];
            ssBase = cpu.ss.base;
        }
        int newEsp = esp - words * 4;
        boolean user = newCpl == 3;
        cpu.mmu.checkWrite(ssBase + newEsp, words * 4, user);

        int p = ssBase + esp;
        if (stackSwitch) {
            p -= 4; memory.stackWrite32(p, cpu.ss.selector, user);
            p -= 4; memory.stackWrite32(p, cpu.regs[Cpu.ESP], user);
        }
        p -= 4; memory.stackWrite32(p, flags, user);
        p -= 4; memory.stackWrite32(p, cpu.cs.selector, user);
        p -= 4; memory.stackWrite32(p, eip, user);
        if (pushError) { p -= 4; memory.stackWrite32(p, errorCode, user); }

        // Commit.
        if (stackSwitch) {
            prot.lo = ssLo;
            prot.hi = ssHi;
            prot.markAccessed(newSsSel);
            prot.setFrom(cpu.ss, newSsSel);
        }
        prot.lo = csLo;
        prot.hi = csHi;
        prot.markAccessed(sel);
        prot.setFrom(cpu.cs, (sel & 0xFFFC) | newCpl);
        cpu.setCpl(newCpl);
        cpu.regs[Cpu.ESP] = newEsp;
        cpu.eip = target;
        int clear = Flags.TF | Flags.NT | Flags.RF | Flags.VM | (type == 0xE ? Flags.IF : 0);
        cpu.flags.set(flags & ~clear);
    }

    /** iret in protected mode: to the same ring, or to an outer ring popping SS:ESP too. */
    void iret(boolean op32) {
        if (!op32) throw cpu.fault.set(Vector.GP, 0); // 16-bit iret frames are not supported
        Protection prot = cpu.protection;
        boolean user = cpu.cpl == 3;
        int sp = cpu.regs[Cpu.ESP];
        int base = cpu.ss.base;
        int newEip = memory.stackRead32(base + sp, user);
        int csSel = memory.stackRead32(base + sp + 4, user) & 0xFFFF;
        int newFlags = memory.stackRead32(base + sp + 8, user);
        if ((cpu.flags.bits & Flags.NT) != 0) throw cpu.fault.set(Vector.GP, 0); // task return: no tasks here
        int newCpl = prot.checkCode(csSel, true, 0);
        int csLo = prot.lo, csHi = prot.hi;
        int oldCpl = cpu.cpl;
        if (newCpl == oldCpl) {
            cpu.regs[Cpu.ESP] = sp + 12;
        } else {
            int newEsp = memory.stackRead32(base + sp + 12, user);
            int ssSel = memory.stackRead32(base + sp + 16, user) & 0xFFFF;
            if ((ssSel & 0xFFFC) == 0) throw cpu.fault.set(Vector.GP, 0);
            prot.read(ssSel, 0, Vector.GP);
            if ((ssSel & 3) != newCpl || Descriptor.dpl(prot.hi) != newCpl || !Descriptor.writableData(prot.hi)) {
                throw cpu.fault.set(Vector.GP, ssSel & 0xFFFC);
            }
            if (!Descriptor.present(prot.hi)) throw cpu.fault.set(Vector.SS, ssSel & 0xFFFC);
            prot.markAccessed(ssSel);
            int ssLo = prot.lo, ssHi = prot.hi;
            prot.lo = csLo;
            prot.hi = csHi;
            prot.markAccessed(csSel);
            prot.lo = ssLo;
            prot.hi = ssHi;
            prot.setFrom(cpu.ss, ssSel);
            cpu.regs[Cpu.ESP] = newEsp;
        }
        prot.lo = csLo;
        prot.hi = csHi;
        prot.markAccessed(csSel);
        prot.setFrom(cpu.cs, csSel);
        cpu.eip = newEip;
        cpu.writeFlagsPrivileged(newFlags, oldCpl);
        cpu.setCpl(newCpl);
        if (newCpl > oldCpl) {
            prot.nullInaccessible(cpu.es);
            prot.nullInaccessible(cpu.ds);
            prot.nullInaccessible(cpu.fs);
            prot.nullInaccessible(cpu.gs);
        }
    }
}

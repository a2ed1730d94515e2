package dev.fixup.cpu;

/**
 * Protected-mode segment checks: reading descriptors from the GDT and loading segment registers
 * with the checks of the Intel manual (mov/pop to a data segment register, to SS, and code
 * segments for far jumps). A selector with TI=1 names an entry of the LDT that LLDT loaded.
 * Error codes are the selector with RPL cleared, plus the EXT bit when the load is part of
 * delivering an external event.
 */
final class Protection {
    private final Cpu cpu;
    /** Low and high dword of the last descriptor read. */
    int lo, hi;

    Protection(Cpu cpu) {
        this.cpu = cpu;
    }

    GuestFault gp(int err) { return cpu.fault.set(Vector.GP, err); }

    /** Reads the GDT or LDT (TI=1) descriptor for {@code sel} into lo/hi; #GP(sel) if outside its table. */
    void read(int sel, int ext, int vector) {
        int index = sel & 0xFFF8;
        boolean ldt = (sel & 4) != 0;
        int limit = ldt ? cpu.ldtLimit : cpu.gdtLimit;
        if (index + 7 > limit) throw cpu.fault.set(vector, (sel & 0xFFFC) | ext);
        int table = ldt ? cpu.ldtBase : cpu.gdtBase;
        SystemMemory m = cpu.delivery.memory;
        lo = m.read32(table + index);
        hi = m.read32(table + index + 4);
    }

    /** Sets the descriptor's accessed bit in memory, as the processor does on a load. */
    void markAccessed(int sel) {
        if ((hi & 0x100) == 0) {
            hi |= 0x100;
            cpu.mmu.write32(((sel & 4) != 0 ? cpu.ldtBase : cpu.gdtBase) + (sel & 0xFFF8) + 4, hi, false);
        }
    }

    void setFrom(Segment s, int sel) {
        s.load(sel, Descriptor.base(lo, hi), Descriptor.limit(lo, hi), Descriptor.access(hi), Descriptor.big(hi));
    }

    /** mov/pop to DS, ES, FS, GS. */
    void loadData(Segment s, int sel) {
        sel &= 0xFFFF;
        if ((sel & 0xFFFC) == 0) {
            s.loadNull(sel);
            return;
        }
        read(sel, 0, Vector.GP);
        int dpl = Descriptor.dpl(hi);
        boolean ok = Descriptor.codeOrData(hi) && (!Descriptor.code(hi) || Descriptor.readableCode(hi));
        // Data and non-conforming code need max(CPL, RPL) <= DPL.
        if (!ok || (!Descriptor.conforming(hi) && (Math.max(cpu.cpl, sel & 3) > dpl))) {
            throw gp(sel & 0xFFFC);
        }
        if (!Descriptor.present(hi)) throw cpu.fault.set(Vector.NP, sel & 0xFFFC);
        markAccessed(sel);
        setFrom(s, sel);
    }

    /** Checks (no load) for a new SS at privilege {@code level}; #GP or #SS (vector as on mov ss, #TS for TSS stacks). */
    void checkStack(int sel, int level, int ext, int faultVector) {
        if ((sel & 0xFFFC) == 0) throw cpu.fault.set(faultVector, ext);
        read(sel, ext, faultVector);
        if ((sel & 3) != level || Descriptor.dpl(hi) != level || !Descriptor.writableData(hi)) {
            throw cpu.fault.set(faultVector, (sel & 0xFFFC) | ext);
        }
        if (!Descriptor.present(hi)) throw cpu.fault.set(Vector.SS, (sel & 0xFFFC) | ext);
    }

    /** mov/pop to SS. */
    void loadStack(int sel) {
        sel &= 0xFFFF;
        checkStack(sel, cpu.cpl, 0, Vector.GP);
        markAccessed(sel);
        setFrom(cpu.ss, sel);
    }

    /**
     * Checks a code segment as the target of a far jmp/call/ret or iret at privilege {@code rpl}:
     * descriptor read into lo/hi. Returns the new CPL.
     */
    int checkCode(int sel, boolean returning, int ext) {
        if ((sel & 0xFFFC) == 0) throw gp(ext);
        read(sel, ext, Vector.GP);
        int rpl = sel & 3, dpl = Descriptor.dpl(hi);
        if (!Descriptor.code(hi)) throw gp((sel & 0xFFFC) | ext);
        if (returning) {
            // iret/ret far: RPL is the privilege returned to, never inner.
            if (rpl < cpu.cpl) throw gp(sel & 0xFFFC);
            if (Descriptor.conforming(hi) ? dpl > rpl : dpl != rpl) throw gp(sel & 0xFFFC);
        } else {
            // jmp/call far to a code segment: no privilege change.
            if (Descriptor.conforming(hi) ? dpl > cpu.cpl : (rpl > cpu.cpl || dpl != cpu.cpl)) {
                throw gp(sel & 0xFFFC);
            }
        }
        if (!Descriptor.present(hi)) throw cpu.fault.set(Vector.NP, (sel & 0xFFFC) | ext);
        return returning ? rpl : cpu.cpl;
    }

    /** After a return to an outer ring: data segments the new ring may not use become null. */
    void nullInaccessible(Segment s) {
        if (!s.usable) return;
        boolean conformingCode = (s.access & 0x1C) == 0x1C;
        if (!conformingCode && s.dpl() < cpu.cpl) s.loadNull(0);
    }
}

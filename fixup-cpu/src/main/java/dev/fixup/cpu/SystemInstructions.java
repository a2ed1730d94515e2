package dev.fixup.cpu;

import dev.fixup.x86.Insn;
import dev.fixup.x86.Op;
import dev.fixup.x86.OperandSpec;

/**
 * The interpreter's system instructions: far branches and interrupts (through {@link Protection}
 * and {@link InterruptDelivery}), segment and descriptor-table instructions, control and debug
 * registers, I/O, and the privilege checks they make. Operands come from the {@link Interpreter}.
 */
final class SystemInstructions {
    private final Interpreter ip;
    private final Cpu cpu;
    private final Mmu mmu;
    private final Flags flags;
    private final int[] regs;

    SystemInstructions(Cpu cpu, Interpreter ip) {
        this.ip = ip;
        this.cpu = cpu;
        this.mmu = cpu.mmu;
        this.flags = cpu.flags;
        this.regs = cpu.regs;
    }

    int farBranch(Insn in, int next) {
        int n = in.opsize;
        Protection prot = cpu.protection;
        if (in.op == Op.RET_FAR) {
            int sp = regs[Cpu.ESP];
            int off = ip.read(cpu.ss, sp, n) & Interpreter.mask(n);
            int sel = ip.read(cpu.ss, sp + n, n) & 0xFFFF;
            int newCpl = prot.checkCode(sel, true, 0);
            int adjust = in.form.operands.length > 0 ? in.imm & 0xFFFF : 0;
            if (newCpl == cpu.cpl) {
                prot.markAccessed(sel);
                prot.setFrom(cpu.cs, sel);
                regs[Cpu.ESP] = sp + 2 * n + adjust;
                return off;
            }
            int csLo = prot.lo, csHi = prot.hi;
            int newEsp = ip.read(cpu.ss, sp + 2 * n + adjust, n);
            int ssSel = ip.read(cpu.ss, sp + 3 * n + adjust, n) & 0xFFFF;
            prot.checkStack(ssSel, newCpl, 0, Vector.GP);
            prot.markAccessed(ssSel);
            prot.setFrom(cpu.ss, ssSel);
            prot.lo = csLo;
            prot.hi = csHi;
            prot.markAccessed(sel);
            prot.setFrom(cpu.cs, sel);
            regs[Cpu.ESP] = newEsp + adjust;
            cpu.setCpl(newCpl);
            prot.nullInaccessible(cpu.es);
            prot.nullInaccessible(cpu.ds);
            prot.nullInaccessible(cpu.fs);
            prot.nullInaccessible(cpu.gs);
            return off;
        }
        int off, sel;
        if (in.memory) {
            off = ip.readMem(n) & Interpreter.mask(n);
            sel = ip.read(ip.mseg, ip.ea + n, 2);
        } else {
            off = in.imm;
            sel = in.imm2 & 0xFFFF;
        }
        prot.checkCode(sel, false, 0); // call gates and task switches are not supported: #GP(sel)
        if (in.op == Op.CALL_FAR) {
            int sp = regs[Cpu.ESP];
            mmu.checkWrite(ip.linear(cpu.ss, sp - 2 * n, 2 * n, true), 2 * n, cpu.user);
            ip.write(cpu.ss, sp - n, n, cpu.cs.selector);
            ip.write(cpu.ss, sp - 2 * n, n, next);
            regs[Cpu.ESP] = sp - 2 * n;
        }
        boolean wasBig = cpu.cs.big;
        prot.markAccessed(sel);
        prot.setFrom(cpu.cs, (sel & 0xFFFC) | cpu.cpl);
        if (wasBig != cpu.cs.big) cpu.codeCache.clear();
        return off;
    }

    void interrupt(Insn in) {
        switch (in.op) {
            case INT:
                cpu.softwareInterrupt(in.imm & 0xFF);
                return;
            case INT1: // icebp: a debug trap without the gate DPL check
                cpu.softwareInterruptDelivered = true;
                cpu.delivery.raise(Vector.DB, -1, InterruptDelivery.KIND_FAULT, cpu.eip);
                return;
            case INT3: cpu.softwareInterrupt(Vector.BP); return;
            case INTO: if (flags.of()) cpu.softwareInterrupt(Vector.OF); return;
            case IRET: cpu.delivery.iret(in.opsize == 4); return;
            default: { // BOUND
                int n = in.opsize;
                int idx = Interpreter.signExtend(ip.get(in, 0), n);
                int lo = Interpreter.signExtend(ip.readMem(n), n), hi = Interpreter.signExtend(ip.read(ip.mseg, ip.ea + n, n), n);
                if (idx < lo || idx > hi) throw ip.fault(Vector.BR, -1);
            }
        }
    }



    void system(Insn in) {
        switch (in.op) {
            case CLI: ip.ioPrivileged(); flags.bits &= ~Flags.IF; return;
            case STI:
                ip.ioPrivileged();
                if ((flags.bits & Flags.IF) == 0) cpu.interruptShadow = true;
                flags.bits |= Flags.IF;
                return;
            case HLT: ip.privileged(); cpu.halted = true; return;
            case IN: {
                ip.ioPrivileged();
                int size = ip.size(in, 0);
                cpu.writeGpr(size, Cpu.EAX, cpu.machine.portIn(ip.get(in, 1) & 0xFFFF, size));
                return;
            }
            case OUT: {
                ip.ioPrivileged();
                int size = ip.size(in, 1);
                cpu.machine.portOut(ip.get(in, 0) & 0xFFFF, size, cpu.readGpr(size, Cpu.EAX));
                return;
            }
            case MOV_TO_CR: {
                ip.privileged();
                int n = in.reg;
                if (n == 1 || n > 4) throw ip.fault(Vector.UD, -1);
                int v = regs[in.rm];
                if (n == 0 && (v & Cpu.CR0_PG) != 0 && (v & Cpu.CR0_PE) == 0) throw ip.fault(Vector.GP, 0);
                cpu.setCr(n, v);
                return;
            }
            case MOV_FROM_CR: {
                ip.privileged();
                int n = in.reg;
                if (n == 1 || n > 4) throw ip.fault(Vector.UD, -1);
                regs[in.rm] = cpu.getCr(n);
                return;
            }
            case MOV_TO_DR: ip.privileged(); cpu.dr[in.reg] = regs[in.rm]; return;
            case MOV_FROM_DR: ip.privileged(); regs[in.rm] = cpu.dr[in.reg]; return;
            case LGDT: case LIDT: {
                ip.privileged();
                int limit = ip.read(ip.mseg, ip.ea, 2), base = ip.read(ip.mseg, ip.ea + 2, 4);
                if (in.opsize == 2) base &= 0xFFFFFF;
                if (in.op == Op.LGDT) cpu.setGdtr(base, limit); else cpu.setIdtr(base, limit);
                return;
            }
            case SGDT: case SIDT: {
                boolean g = in.op == Op.SGDT;
                mmu.checkWrite(ip.linear(ip.mseg, ip.ea, 6, true), 6, cpu.user);
                ip.write(ip.mseg, ip.ea, 2, g ? cpu.gdtLimit : cpu.idtLimit);
                ip.write(ip.mseg, ip.ea + 2, 4, g ? cpu.gdtBase : cpu.idtBase);
                return;
            }
            case LLDT: ip.privileged(); cpu.loadLdtChecked(ip.get(in, 0)); return;
            case SLDT: ip.put(in, 0, cpu.ldtSelector); return;
            case LTR: ip.privileged(); cpu.loadTrChecked(ip.get(in, 0) & 0xFFFF); return;
            case STR: ip.put(in, 0, cpu.trSelector); return;
            case LMSW: {
                ip.privileged();
                int v = ip.get(in, 0);
                cpu.setCr(0, (cpu.cr0 & ~0xE) | (v & 0xF));
                return;
            }
            case SMSW: ip.put(in, 0, in.mod == 3 ? cpu.cr0 : cpu.cr0 & 0xFFFF); return;
            case CLTS: ip.privileged(); cpu.cr0 &= ~Cpu.CR0_TS; return;
            case INVLPG: ip.privileged(); mmu.tlb.invalidate(ip.mseg.base + ip.ea); return;
            case INVD: case WBINVD: ip.privileged(); return;
            case RDMSR: case WRMSR: ip.privileged(); throw ip.fault(Vector.GP, 0); // no model-specific registers
            case RDPMC: throw ip.fault(Vector.GP, 0);
            case SYSENTER: case SYSEXIT: throw ip.fault(Vector.GP, 0); // SYSENTER_CS_MSR is 0 (no MSRs)
            case RSM: throw ip.fault(Vector.UD, -1); // not in system-management mode
            case ARPL: {
                int d = ip.get(in, 0), s = ip.get(in, 1);
                if ((d & 3) < (s & 3)) {
                    ip.put(in, 0, (d & ~3) | (s & 3));
                    flags.setFlag(Flags.ZF, true);
                } else {
                    flags.setFlag(Flags.ZF, false);
                }
                return;
            }
            case LAR: case LSL: case VERR: case VERW:
                segmentQuery(in);
                return;
            default:
                throw ip.fault(Vector.UD, -1);
        }
    }

    /** lar/lsl/verr/verw: ZF says whether the selector is visible at the current privilege. */
    private void segmentQuery(Insn in) {
        int sel = ip.get(in, in.op == Op.LAR || in.op == Op.LSL ? 1 : 0) & 0xFFFF;
        Protection prot = cpu.protection;
        boolean ok = (sel & 0xFFFC) != 0 && (sel | 7) <= ((sel & 4) != 0 ? cpu.ldtLimit : cpu.gdtLimit);
        if (ok) {
            prot.read(sel, 0, Vector.GP);
            int hi = prot.hi;
            int dpl = Descriptor.dpl(hi);
            boolean conforming = Descriptor.conforming(hi);
            if (!conforming && (dpl < cpu.cpl || dpl < (sel & 3))) ok = false;
            if (Descriptor.codeOrData(hi)) {
                if (in.op == Op.VERR) ok &= !Descriptor.code(hi) || Descriptor.readableCode(hi);
                if (in.op == Op.VERW) ok &= Descriptor.writableData(hi);
            } else {
                int t = Descriptor.systemType(hi);
                ok &= (in.op == Op.LAR || in.op == Op.LSL) && (t == 1 || t == 2 || t == 3 || t == 9 || t == 11
                        || (in.op == Op.LAR && (t == 4 || t == 5 || t == 12)));
            }
            if (ok && in.op == Op.LAR) ip.put(in, 0, hi & 0x00F0FF00);
            if (ok && in.op == Op.LSL) ip.put(in, 0, Descriptor.limit(prot.lo, hi));
        }
        flags.setFlag(Flags.ZF, ok);
    }
}

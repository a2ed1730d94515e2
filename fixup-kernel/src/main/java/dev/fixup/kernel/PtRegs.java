package dev.fixup.kernel;

import dev.fixup.kernel.mm.Ram;

/**
 * struct pt_regs as entry.S saves it on the kernel stack: ebx ecx edx esi edi ebp eax xds xes
 * orig_eax eip xcs eflags esp xss (esp and xss only valid when the entry came from user mode).
 * A Java handler reads the frame, and writes back the fields it changes (eip for a fixup, eax for
 * a syscall result).
 */
public final class PtRegs {
    public static final int EBX = 0, ECX = 4, EDX = 8, ESI = 12, EDI = 16, EBP = 20, EAX = 24, DS = 28, ES = 32,
            ORIG_EAX = 36, EIP = 40, CS = 44, EFLAGS = 48, ESP = 52, SS = 56, SIZE = 60;

    private final Ram ram;
    /** Kernel virtual address of the frame. */
    public final int addr;

    public PtRegs(Ram ram, int addr) {
        this.ram = ram;
        this.addr = addr;
    }

    public int get(int field) { return ram.read32(Layout.pa(addr) + field); }
    public void set(int field, int v) { ram.write32(Layout.pa(addr) + field, v); }

    public int eip() { return get(EIP); }
    public boolean fromUser() { return (get(CS) & 3) != 0; }
}

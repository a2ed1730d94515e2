package dev.fixup.kernel;

/**
 * The text Linux 2.4 prints when the kernel itself faults and no exception-table entry covers the
 * faulting instruction: the page-fault header, then die()'s registers, stack, call trace
 * and code bytes.
 */
final class Oops {
    private Oops() {}

    /** The page-fault part: which address, the EIP, and the page-table entries the MMU walked. */
    static String pageFaultHeader(int address, int eip, int pde, Integer pte) {
        StringBuilder b = new StringBuilder();
        b.append(Integer.compareUnsigned(address, Layout.PAGE_SIZE) < 0
                ? "Unable to handle kernel NULL pointer dereference" : "Unable to handle kernel paging request");
        b.append(String.format(" at virtual address %08x\n", address));
        b.append(String.format(" printing eip:\n%08x\n", eip));
        b.append(String.format("*pde = %08x\n", pde));
        if (pte != null) b.append(String.format("*pte = %08x\n", pte));
        return b.toString();
    }

    /** What the kernel can read back for the dump. */
    interface Memory {
        /** The dword at a kernel address, or null when unmapped. */
        Integer read32(int va);
        /** The byte at a kernel address, or -1 when unmapped. */
        int read8(int va);
        boolean isKernelText(int va);
        /** "func+0x5/0x20 [module]" for an address in a loaded module, else null. */
        default String symbolize(int va) { return null; }
    }

    /** die(): "str: err", registers, process, stack words, call trace, code bytes. */
    static String die(String str, int err, PtRegs r, String comm, int pid, int stackpage, Memory mem) {
        StringBuilder b = new StringBuilder();
        boolean kernel = !r.fromUser();
        int esp = kernel ? r.addr + PtRegs.ESP : r.get(PtRegs.ESP);
        int ss = kernel ? Layout.KERNEL_DS_SEL : r.get(PtRegs.SS) & 0xFFFF;
        b.append(String.format("%s: %04x\n", str, err & 0xFFFF));
        b.append(String.format("CPU:    0\nEIP:    %04x:[<%08x>]\nEFLAGS: %08x\n",
                r.get(PtRegs.CS) & 0xFFFF, r.eip(), r.get(PtRegs.EFLAGS)));
        String where = mem.symbolize(r.eip());
        if (where != null) b.append("EIP is at ").append(where).append('\n');
        b.append(String.format("eax: %08x   ebx: %08x   ecx: %08x   edx: %08x\n",
                r.get(PtRegs.EAX), r.get(PtRegs.EBX), r.get(PtRegs.ECX), r.get(PtRegs.EDX)));
        b.append(String.format("esi: %08x   edi: %08x   ebp: %08x   esp: %08x\n",
                r.get(PtRegs.ESI), r.get(PtRegs.EDI), r.get(PtRegs.EBP), esp));
        b.append(String.format("ds: %04x   es: %04x   ss: %04x\n",
                r.get(PtRegs.DS) & 0xFFFF, r.get(PtRegs.ES) & 0xFFFF, ss));
        b.append(String.format("Process %s (pid: %d, stackpage=%08x)", comm, pid, stackpage));
        if (kernel) {
            b.append(String.format("\nStack: "));
            stack(b, esp, mem);
            b.append(String.format("\nCode: "));
            for (int i = 0; i < 20; i++) {
                int c = mem.read8(r.eip() + i);
                if (c < 0) { b.append(" Bad EIP value."); break; }
                b.append(String.format("%02x ", c));
            }
        }
        b.append(String.format("\n"));
        return b.toString();
    }

    /** Up to 24 words from esp to the end of the 8 KB stack, 8 a line; then the kernel-text ones. */
    private static void stack(StringBuilder b, int esp, Memory mem) {
        int p = esp;
        for (int i = 0; i < 24 && (p & (Layout.THREAD_SIZE - 1)) != 0; i++, p += 4) {
            if (i != 0 && i % 8 == 0) b.append(String.format("\n       "));
            Integer w = mem.read32(p);
            b.append(String.format("%08x ", w == null ? 0 : w));
        }
        b.append(String.format("\nCall Trace: "));
        int n = 1;
        for (p = esp; (p & (Layout.THREAD_SIZE - 1)) != 0; p += 4) {
            Integer w = mem.read32(p);
            if (w == null || !mem.isKernelText(w)) continue;
            if (n % 6 == 0) b.append(String.format("\n   "));
            b.append(String.format("[<%08x>] ", w));
            n++;
        }
    }
}

package dev.fixup.cpu;

/**
 * The memory accesses the CPU makes on its own behalf when it enters and leaves a handler: IDT
 * gates, GDT/LDT descriptors and the TSS (supervisor reads of system structures), and the words
 * an interrupt frame pushes or iret pops.
 *
 * <p>System-structure reads keep a translation memo of their own, a few linear pages (GDT, IDT,
 * TSS) with their RAM chunk, valid while the TLB's {@link Tlb#epoch} stays the same: it is a
 * second TLB for these pages, dropped whenever the TLB is (CR3 load, invlpg, CR0/CR4 writes, a
 * debugger's watchpoints), so a user page that shares their TLB slot cannot make every entry into
 * the kernel walk the page tables again. Contents are never cached: each read sees the bytes now
 * in RAM, so writes to the tables (the accessed bit, a new TLS descriptor, esp0) need no
 * invalidation. Stack words take the TLB's inline path when it hits and {@link Mmu} otherwise.
 */
final class SystemMemory {
    private static final int ENTRIES = 4;

    private final Cpu cpu;
    /** Linear page of each entry (Tlb.INVALID when empty), the chunk-relative offset of its frame, its chunk. */
    private final int[] page = new int[ENTRIES];
    private final int[] frameOffset = new int[ENTRIES];
    private final byte[][] chunk = new byte[ENTRIES][];
    /** The TLB epoch the entries were made in. */
    private int epoch = -1;

    SystemMemory(Cpu cpu) {
        this.cpu = cpu;
    }

    private static int entry(int lin) {
        return (lin >>> 12) & (ENTRIES - 1);
    }

    /** A supervisor dword read of a descriptor table or the TSS (faults as {@link Mmu#read32}). */
    int read32(int lin) {
        int e = entry(lin);
        if (page[e] == (lin & 0xFFFFF000) && epoch == cpu.mmu.tlb.epoch && (lin & 0xFFF) <= 0xFFC) {
            return PhysicalMemory.ramRead32(chunk[e], frameOffset[e] | (lin & 0xFFF));
        }
        int v = cpu.mmu.read32(lin, false);
        remember(lin);
        return v;
    }

    /** A supervisor word read of a system structure (the TSS's SS0). */
    int read16(int lin) {
        return (lin & 0xFFF) <= 0xFFC ? read32(lin) & 0xFFFF : cpu.mmu.read16(lin, false);
    }

    /** Enters the page of {@code lin}, just read through the MMU, unless a debugger watches memory or its frame is not RAM. */
    private void remember(int lin) {
        Mmu mmu = cpu.mmu;
        if (mmu.watcher != null) return;
        if (epoch != mmu.tlb.epoch) {
            java.util.Arrays.fill(page, Tlb.INVALID);
            epoch = mmu.tlb.epoch;
        }
        int pa = mmu.translateRead(lin, false); // a TLB hit after the read, unless the frame is outside RAM
        if (Integer.compareUnsigned(pa, mmu.mem.size()) >= 0) return;
        int e = entry(lin);
        page[e] = lin & 0xFFFFF000;
        frameOffset[e] = pa & 0xFFFFF000 & PhysicalMemory.CHUNK_MASK;
        chunk[e] = mmu.mem.chunk(pa);
    }

    /** A dword of an interrupt frame being pushed (the range was checked writable first). */
    void stackWrite32(int lin, int v, boolean user) {
        Tlb t = cpu.mmu.tlb;
        int s = Tlb.slot(lin);
        int tag = user ? t.userWrite[s] : t.kernelWrite[s];
        if (tag == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            PhysicalMemory.ramWrite32(t.chunk[s], (t.frame[s] | (lin & 0xFFF)) & PhysicalMemory.CHUNK_MASK, v);
            return;
        }
        cpu.mmu.write32(lin, v, user);
    }

    /** A dword of an iret frame. */
    int stackRead32(int lin, boolean user) {
        Tlb t = cpu.mmu.tlb;
        int s = Tlb.slot(lin);
        int tag = user ? t.userRead[s] : t.kernelRead[s];
        if (tag == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            return PhysicalMemory.ramRead32(t.chunk[s], (t.frame[s] | (lin & 0xFFF)) & PhysicalMemory.CHUNK_MASK);
        }
        return cpu.mmu.read32(lin, user);
    }
}

package dev.fixup.cpu;

/**
 * Linear-to-physical translation: two-level 4 KB paging and 4 MB pages (CR4.PSE), U/S and R/W
 * checks with CR0.WP for supervisor writes, accessed/dirty bits, CR2 and the #PF error code
 * (bit 0 protection, bit 1 write, bit 2 user). Accesses that cross a page boundary translate both
 * pages before touching memory, so a fault on the second page leaves the first untouched.
 */
final class Mmu {
    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80;

    final PhysicalMemory mem;
    final Tlb tlb;
    private final Cpu cpu;

    boolean paging;
    boolean writeProtect;
    boolean pse;
    int directory;
    /**
     * Set while a debugger has watchpoints: pages holding watched bytes are never entered in the
     * TLB, so every access to them comes through {@link #walk}, which reports it. Null otherwise:
     * then the only cost is this test on a TLB miss.
     */
    DebugControl watcher;

    Mmu(PhysicalMemory mem, Cpu cpu) {
        this.mem = mem;
        this.cpu = cpu;
        this.tlb = new Tlb(mem);
    }

    // ---- translation ----

    int translateRead(int lin, boolean user) {
        int s = (lin >>> 12) & Tlb.MASK;
        int tag = user ? tlb.userRead[s] : tlb.kernelRead[s];
        if (tag == (lin & 0xFFFFF000)) return tlb.frame[s] | (lin & 0xFFF);
        return walk(lin, false, user);
    }

    int translateWrite(int lin, boolean user) {
        int s = (lin >>> 12) & Tlb.MASK;
        int tag = user ? tlb.userWrite[s] : tlb.kernelWrite[s];
        if (tag == (lin & 0xFFFFF000)) return tlb.frame[s] | (lin & 0xFFF);
        return walk(lin, true, user);
    }

    /** Walks the page tables for one access, sets A/D, fills the TLB, or raises #PF. */
    private int walk(int lin, boolean write, boolean user) {
        int pa = walkTables(lin, write, user);
        if (watcher != null) watcher.accessed(lin, write); // only accesses that did not fault
        return pa;
    }

    private int walkTables(int lin, boolean write, boolean user) {
        if (!paging) {
            if (watcher == null || !watcher.watchesPage(lin)) tlb.fill(lin, lin, true, true, true);
            return lin;
        }
        int pdeAddr = directory | (lin >>> 22) << 2;
        int pde = mem.read32(pdeAddr);
        if ((pde & P) == 0) throw pageFault(lin, 0, write, user);
        if ((pde & PS) != 0 && pse) {
            checkAccess(lin, pde, write, user);
            int set = A | (write ? D : 0);
            if ((pde & set) != set) mem.write32(pdeAddr, pde |= set);
            int pa = (pde & 0xFFC00000) | (lin & 0x003FFFFF);
            fill(lin, pa, pde, pde);
            tlb.markLargePage(lin);
            return pa;
        }
        int pteAddr = (pde & 0xFFFFF000) | ((lin >>> 12) & 0x3FF) << 2;
        int pte = mem.read32(pteAddr);
        if ((pte & P) == 0) throw pageFault(lin, 0, write, user);
        int perms = pde & pte;
        checkAccess(lin, perms, write, user);
        if ((pde & A) == 0) mem.write32(pdeAddr, pde | A);
        int set = A | (write ? D : 0);
        if ((pte & set) != set) mem.write32(pteAddr, pte |= set);
        int pa = (pte & 0xFFFFF000) | (lin & 0xFFF);
        fill(lin, pa, perms, pte);
        return pa;
    }

    private void checkAccess(int lin, int perms, boolean write, boolean user) {
        if (user) {
            if ((perms & US) == 0 || (write && (perms & RW) == 0)) throw pageFault(lin, P, write, user);
        } else if (write && writeProtect && (perms & RW) == 0) {
            throw pageFault(lin, P, write, user);
        }
    }

    private void fill(int lin, int pa, int perms, int leaf) {
        if (watcher != null && watcher.watchesPage(lin)) return;
        boolean dirty = (leaf & D) != 0;
        boolean w = (perms & RW) != 0;
        tlb.fill(lin, pa, (perms & US) != 0, dirty && w, dirty && (w || !writeProtect));
    }

    private GuestFault pageFault(int lin, int present, boolean write, boolean user) {
        cpu.cr2 = lin;
        return cpu.fault.set(Vector.PF, present | (write ? 2 : 0) | (user ? 4 : 0));
    }

    /** Makes sure {@code size} bytes at {@code lin} may be written (read-modify-write, pushes of several words). */
    void checkWrite(int lin, int size, boolean user) {
        translateWrite(lin, user);
        int last = lin + size - 1;
        if (((last ^ lin) & 0xFFFFF000) != 0) translateWrite(last, user);
    }

    // ---- linear memory access ----

    int read8(int lin, boolean user) {
        return mem.read8(translateRead(lin, user));
    }

    int read16(int lin, boolean user) {
        if ((lin & 0xFFF) <= 0xFFE) return mem.read16(translateRead(lin, user));
        int a = translateRead(lin, user), b = translateRead(lin + 1, user);
        return mem.read8(a) | mem.read8(b) << 8;
    }

    int read32(int lin, boolean user) {
        if ((lin & 0xFFF) <= 0xFFC) return mem.read32(translateRead(lin, user));
        int a = translateRead(lin, user);
        int b = translateRead((lin | 0xFFF) + 1, user);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int l = lin + i;
            int pa = ((l ^ lin) & 0xFFFFF000) == 0 ? a + i : b + (l & 0xFFF);
            v |= mem.read8(pa) << (8 * i);
        }
        return v;
    }

    void write8(int lin, int v, boolean user) {
        mem.write8(translateWrite(lin, user), v);
    }

    void write16(int lin, int v, boolean user) {
        if ((lin & 0xFFF) <= 0xFFE) {
            mem.write16(translateWrite(lin, user), v);
            return;
        }
        int a = translateWrite(lin, user), b = translateWrite(lin + 1, user);
        mem.write8(a, v);
        mem.write8(b, v >> 8);
    }

    void write32(int lin, int v, boolean user) {
        if ((lin & 0xFFF) <= 0xFFC) {
            mem.write32(translateWrite(lin, user), v);
            return;
        }
        int a = translateWrite(lin, user);
        int b = translateWrite((lin | 0xFFF) + 1, user);
        for (int i = 0; i < 4; i++) {
            int l = lin + i;
            int pa = ((l ^ lin) & 0xFFFFF000) == 0 ? a + i : b + (l & 0xFFF);
            mem.write8(pa, v >> (8 * i));
        }
    }

    // ---- debugger view: no faults, no A/D updates, no TLB fill ----

    /** Physical address of {@code lin} by the current page tables, or -1 if not present. */
    long probe(int lin) {
        if (!paging) return lin & 0xFFFFFFFFL;
        int pde = mem.read32(directory | (lin >>> 22) << 2);
        if ((pde & P) == 0) return -1;
        if ((pde & PS) != 0 && pse) return ((pde & 0xFFC00000) | (lin & 0x003FFFFF)) & 0xFFFFFFFFL;
        int pte = mem.read32((pde & 0xFFFFF000) | ((lin >>> 12) & 0x3FF) << 2);
        if ((pte & P) == 0) return -1;
        return ((pte & 0xFFFFF000) | (lin & 0xFFF)) & 0xFFFFFFFFL;
    }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Layout;

/**
 * One i386 two-level page directory in guest physical memory (10/10/12 bits). The kernel half
 * (entries 768-1023) maps physical RAM at PAGE_OFFSET with 4 MB pages and is copied from the
 * master directory into every user directory; the user half gets page tables on demand.
 */
public final class PageDirectory {
    public static final int P = 0x1, RW = 0x2, US = 0x4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    /** Software bit of a NOT present PTE: the page exists but its vma is PROT_NONE. */
    public static final int PROTNONE = 0x80;
    /** What a page table's directory entry grants: the PTEs decide. */
    private static final int TABLE = P | RW | US | A | D;
    public static final int KERNEL_PDE0 = (int) (Layout.TASK_SIZE >>> 22);

    private final Ram ram;
    private final FrameAllocator frames;
    public final int phys;

    private PageDirectory(Ram ram, FrameAllocator frames, int phys) {
        this.ram = ram;
        this.frames = frames;
        this.phys = phys;
    }

    /** The master (swapper) directory: all of RAM at PAGE_OFFSET in 4 MB pages, nothing below. */
    public static PageDirectory kernel(Ram ram, FrameAllocator frames, int ramBytes) {
        PageDirectory d = new PageDirectory(ram, frames, frame(frames));
        for (int i = 0; (long) i << 22 < ramBytes && KERNEL_PDE0 + i < 1024; i++) {
            d.setPde(KERNEL_PDE0 + i, (i << 22) | PS | RW | P | A | D | G);
        }
        return d;
    }

    /** A new user directory sharing the kernel half of master; null when no frame is left (fork and exec: -ENOMEM). */
    public static PageDirectory user(PageDirectory master) {
        int f = master.frames.alloc();
        if (f == -1) return null;
        PageDirectory d = new PageDirectory(master.ram, master.frames, f);
        for (int i = KERNEL_PDE0; i < 1024; i++) d.setPde(i, master.pde(i));
        return d;
    }

    private static int frame(FrameAllocator frames) {
        int f = frames.alloc();
        if (f == -1) throw new IllegalStateException("guest RAM exhausted: no frame for a page directory");
        return f;
    }

    public int pde(int index) { return ram.read32(phys + 4 * index); }
    public void setPde(int index, int value) { ram.write32(phys + 4 * index, value); }

    /** The PTE for va, or 0 when there is no page table (4 MB entries are not walked). */
    public int pte(int va) {
        int pde = pde(va >>> 22);
        if ((pde & P) == 0 || (pde & PS) != 0) return 0;
        return ram.read32((pde & Layout.PAGE_MASK) + 4 * ((va >>> 12) & 1023));
    }

    /** Sets the PTE for a user address, creating its page table; false when out of memory. */
    public boolean setPte(int va, int value) {
        int idx = va >>> 22;
        int pde = pde(idx);
        if ((pde & P) == 0) {
            int table = frames.alloc();
            if (table == -1) return false;
            pde = table | TABLE;
            setPde(idx, pde);
        }
        ram.write32((pde & Layout.PAGE_MASK) + 4 * ((va >>> 12) & 1023), value);
        return true;
    }

    /**
     * Frees the page tables of directory entries [fromPde, toPde) that map nothing any more (a
     * table whose 1024 entries are all zero), as free_pgtables does after munmap: an unmapped
     * region gives back its tables, not only its pages. The caller flushes the TLB.
     */
    public void freeEmptyTables(int fromPde, int toPde) {
        for (int i = Math.max(0, fromPde); i < Math.min(toPde, KERNEL_PDE0); i++) {
            int pde = pde(i);
            if ((pde & P) == 0 || (pde & PS) != 0) continue;
            int table = pde & Layout.PAGE_MASK;
            boolean empty = true;
            for (int k = 0; k < 1024 && empty; k++) empty = ram.read32(table + 4 * k) == 0;
            if (!empty) continue;
            setPde(i, 0);
            frames.put(table);
        }
    }

    /** Page tables this directory holds for user space (for leak checks and tests). */
    public int userTables() {
        int n = 0;
        for (int i = 0; i < KERNEL_PDE0; i++) if ((pde(i) & P) != 0) n++;
        return n;
    }

    /** Drops the user mapping at va and its frame reference. */
    public void unmap(int va) {
        int pte = pte(va);
        if (pte == 0) return;
        setPte(va, 0);
        release(pte);
    }

    /**
     * Drops the mappings of [start, end) and their frame references, one page table at a time: a
     * directory entry is read once per 4 MB, and a block with no page table costs nothing.
     */
    public void unmapRange(long start, long end) {
        for (long va = start; va < end; ) {
            int index = (int) (va >>> 22);
            long blockEnd = Math.min(end, (long) (index + 1) << 22);
            int pde = pde(index);
            if ((pde & P) != 0 && (pde & PS) == 0) {
                int table = pde & Layout.PAGE_MASK;
                for (long page = va; page < blockEnd; page += Layout.PAGE_SIZE) {
                    int at = table + 4 * (int) ((page >>> 12) & 1023);
                    int pte = ram.read32(at);
                    if (pte == 0) continue;
                    ram.write32(at, 0);
                    release(pte);
                }
            }
            va = blockEnd;
        }
    }

    /** The frame reference a dropped PTE held (present, or kept while PROT_NONE), if the allocator manages it. */
    private void release(int pte) {
        if ((pte & (P | PROTNONE)) != 0 && frames.owns(pte & Layout.PAGE_MASK)) frames.put(pte & Layout.PAGE_MASK);
    }

    /** Frees every user page, page table and the directory itself (the task's mm goes away). */
    public void destroy() {
        for (int i = 0; i < KERNEL_PDE0; i++) {
            int pde = pde(i);
            if ((pde & P) == 0) continue;
            int table = pde & Layout.PAGE_MASK;
            for (int k = 0; k < 1024; k++) {
                int pte = ram.read32(table + 4 * k);
                if ((pte & (P | PROTNONE)) != 0 && frames.owns(pte & Layout.PAGE_MASK)) frames.put(pte & Layout.PAGE_MASK);
            }
            frames.put(table);
            setPde(i, 0);
        }
        frames.put(phys);
    }

    /** Translates a virtual address like the MMU would for a read (no permission check), or -1. */
    public int translate(int va) {
        int pde = pde(va >>> 22);
        if ((pde & P) == 0) return -1;
        if ((pde & PS) != 0) return (pde & 0xFFC00000) | (va & 0x3FFFFF);
        int pte = pte(va);
        return (pte & P) == 0 ? -1 : (pte & Layout.PAGE_MASK) | (va & 0xFFF);
    }
}

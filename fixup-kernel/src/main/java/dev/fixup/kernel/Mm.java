package dev.fixup.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's address space: the sorted vma list, its page directory, and the operations on them
 * (Linux 2.4 mm/mmap.c, mm/mprotect.c, mm/memory.c in the small): find_vma, demand paging,
 * expand_stack, mmap, munmap, mprotect, brk. Pages are filled on first touch, never in advance.
 */
public final class Mm {
    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
    public static final long RLIMIT_STACK = 8L << 20;

    final List<Vma> vmas = new ArrayList<>();
    public final PageDirectory pgd;
    private final Ram ram;
    private final FrameAllocator frames;
    /** Called after PTEs of this mm change (the CPU's TLB must forget them). */
    Runnable tlbFlush = () -> {};
    public long startBrk, brk, endCode;
    /** Tasks sharing this address space (a CLONE_VM child, as vfork and posix_spawn make, shares its parent's). */
    int users = 1;

    public Mm(PageDirectory pgd, Ram ram, FrameAllocator frames) {
        this.pgd = pgd;
        this.ram = ram;
        this.frames = frames;
    }

    public List<Vma> vmas() { return vmas; }

    /** The first vma that ends above addr (it may start above addr too), or null. */
    public Vma findVma(long addr) {
        for (Vma v : vmas) if (v.end > addr) return v;
        return null;
    }

    private Vma findVmaPrev(Vma v) {
        int i = vmas.indexOf(v);
        return i > 0 ? vmas.get(i - 1) : null;
    }

    /** Inserts an area; the range must be free. */
    public void insert(Vma v) {
        int i = 0;
        while (i < vmas.size() && vmas.get(i).start < v.start) i++;
        if (i > 0 && vmas.get(i - 1).end > v.start || i < vmas.size() && vmas.get(i).start < v.end) {
            throw new IllegalStateException("vma " + v + " overlaps");
        }
        vmas.add(i, v);
    }

    private boolean intersects(long start, long end) {
        Vma v = findVma(start);
        return v != null && v.start < end;
    }

    // ---- fork ----

    /**
     * The child's copy of this address space for fork: the same vmas, and every page shared. A
     * private writable page becomes read-only in both (each holds a reference to the frame); the
     * first write by either faults and copies it ({@link #handleMmFault}). Null when out of memory.
     */
    public Mm fork(PageDirectory childPgd) {
        Mm c = new Mm(childPgd, ram, frames);
        c.tlbFlush = tlbFlush;
        for (Vma v : vmas) c.vmas.add(v.copy());
        c.startBrk = startBrk;
        c.brk = brk;
        c.endCode = endCode;
        for (int dir = 0; dir < PageDirectory.KERNEL_PDE0; dir++) {
            if ((pgd.pde(dir) & PageDirectory.P) == 0) continue;
            for (int i = 0; i < 1024; i++) {
                int va = dir << 22 | i << 12;
                int pte = pgd.pte(va);
                if ((pte & (PageDirectory.P | PageDirectory.PROTNONE)) == 0) continue;
                Vma v = findVma(Layout.u(va));
                if (v != null && !v.has(Vma.VM_SHARED) && (pte & PageDirectory.RW) != 0) {
                    pte &= ~PageDirectory.RW;
                    pgd.setPte(va, pte);
                }
                frames.get(pte & Layout.PAGE_MASK);
                if (!c.pgd.setPte(va, pte)) {
                    frames.put(pte & Layout.PAGE_MASK);
                    tlbFlush.run();
                    c.destroy();
                    return null;
                }
            }
        }
        tlbFlush.run();
        return c;
    }

    /** The PTE bits for a page of vma v held in frame: no RW while another address space shares a private frame. */
    private int pteFor(Vma v, int frame) {
        int flags = pteFlags(v.flags);
        if (!v.has(Vma.VM_SHARED) && frames.refCount(frame) > 1) flags &= ~PageDirectory.RW;
        return frame | flags;
    }

    // ---- demand paging (handle_mm_fault) ----

    /** Brings in the page at address: 1 minor (anonymous zero page), 2 major (file page), -1 out of memory. */
    public int handleMmFault(Vma vma, long address, boolean write) {
        int va = (int) (address & Layout.PAGE_MASK);
        int pte = pgd.pte(va);
        if ((pte & PageDirectory.P) != 0) {
            // Present and still faulting: a write to a page that is read-only in the PTE although
            // the vma allows it (copy-on-write after fork). Copy unless we are the only user.
            int frame = pte & Layout.PAGE_MASK;
            if (write && vma.has(Vma.VM_WRITE)) {
                if (frames.refCount(frame) > 1) {
                    int copy = frames.alloc();
                    if (copy == -1) return -1;
                    ram.write(copy, ram.read(frame, Layout.PAGE_SIZE));
                    frames.put(frame);
                    frame = copy;
                }
                pgd.setPte(va, frame | pteFlags(vma.flags) | PageDirectory.D);
                tlbFlush.run();
            }
            return 1;
        }
        if ((pte & PageDirectory.PROTNONE) != 0) {          // kept while PROT_NONE: the vma allows it again
            pgd.setPte(va, pteFor(vma, pte & Layout.PAGE_MASK));
            tlbFlush.run();
            return 1;
        }
        int frame = frames.alloc();
        if (frame == -1) return -1;
        int result = 1;
        if (vma.file != null) {
            byte[] page = new byte[Layout.PAGE_SIZE];
            vma.readPage(va & 0xFFFFFFFFL, page);
            ram.write(frame, page);
            result = 2;
        }
        if (!pgd.setPte(va, frame | pteFlags(vma.flags))) { frames.put(frame); return -1; }
        tlbFlush.run();
        return result;
    }

    static int pteFlags(int vmFlags) {
        if ((vmFlags & (Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC)) == 0) return PageDirectory.PROTNONE;
        return PageDirectory.P | PageDirectory.US | ((vmFlags & Vma.VM_WRITE) != 0 ? PageDirectory.RW : 0);
    }

    /** Installs a prepared page (the initial stack); the frame's reference passes to the mm. */
    void installPage(long page, int frame) {
        Vma v = findVma(page);
        pgd.setPte((int) page, frame | pteFlags(v.flags));
        tlbFlush.run();
    }

    // ---- the stack ----

    /** Grows a VM_GROWSDOWN area down to address; false past RLIMIT_STACK or into the area below. */
    public boolean expandStack(Vma vma, long address) {
        long start = address & ~(long) (Layout.PAGE_SIZE - 1);
        if (vma.end - start > RLIMIT_STACK) return false;
        Vma prev = findVmaPrev(vma);
        if (prev != null && prev.end > start) return false;
        if (vma.file != null) vma.fileOffset -= vma.start - start;
        vma.start = start;
        return true;
    }

    // ---- mmap / munmap / mprotect / brk ----

    /** do_mmap for anonymous memory: the address, or -errno. */
    public long mmap(long addr, long len, int prot, int flags) {
        if (len == 0) return addr;
        len = Layout.pageAlign(len);
        if (len > Layout.TASK_SIZE || len == 0) return -Errno.EINVAL;
        if ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0) return -Errno.EINVAL;
        long at = getUnmappedArea(addr, len, (flags & MAP_FIXED) != 0);
        if (at < 0) return at;
        munmap(at, len);
        Vma v = new Vma(at, at + len, Vma.protToFlags(prot) | ((flags & MAP_SHARED) != 0 ? Vma.VM_SHARED : 0));
        insert(v);
        return at;
    }

    /** Maps an ELF segment's pages (file backed) at a fixed place. */
    public void mapFile(long start, long end, int vmFlags, byte[] file, long fileOffset, long fileEnd) {
        munmap(start, end - start);
        insert(new Vma(start, end, vmFlags, file, fileOffset, fileEnd));
    }

    long getUnmappedArea(long addr, long len, boolean fixed) {
        if (fixed) {
            if (addr > Layout.TASK_SIZE - len) return -Errno.ENOMEM;
            if ((addr & (Layout.PAGE_SIZE - 1)) != 0) return -Errno.EINVAL;
            return addr;
        }
        if (len > Layout.TASK_SIZE) return -Errno.ENOMEM;
        if (addr != 0) {
            addr = Layout.pageAlign(addr);
            if (Layout.TASK_SIZE - len >= addr && !intersects(addr, addr + len)) return addr;
        }
        addr = Layout.TASK_UNMAPPED_BASE;
        for (Vma v = findVma(addr); ; v = next(v)) {
            if (Layout.TASK_SIZE - len < addr) return -Errno.ENOMEM;
            if (v == null || addr + len <= v.start) return addr;
            addr = v.end;
        }
    }

    private Vma next(Vma v) {
        int i = vmas.indexOf(v);
        return i + 1 < vmas.size() ? vmas.get(i + 1) : null;
    }

    /** Makes addr a vma boundary if some area straddles it. */
    private void splitAt(long addr) {
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (v.start < addr && addr < v.end) { vmas.add(i + 1, v.splitAt(addr)); return; }
        }
    }

    /** do_munmap: 0 or -EINVAL. Unmapping a hole is not an error. */
    public int munmap(long start, long len) {
        if ((start & (Layout.PAGE_SIZE - 1)) != 0 || start > Layout.TASK_SIZE || len > Layout.TASK_SIZE - start) {
            return -Errno.EINVAL;
        }
        len = Layout.pageAlign(len);
        if (len == 0) return -Errno.EINVAL;
        long end = start + len;
        splitAt(start);
        splitAt(end);
        boolean changed = false;
        for (int i = vmas.size() - 1; i >= 0; i--) {
            Vma v = vmas.get(i);
            if (v.start >= start && v.end <= end) {
                for (long p = v.start; p < v.end; p += Layout.PAGE_SIZE) pgd.unmap((int) p);
                vmas.remove(i);
                changed = true;
            }
        }
        if (changed) tlbFlush.run();
        return 0;
    }

    /** sys_mprotect: 0, -EINVAL (unaligned start, bad prot) or -ENOMEM (a hole in the range). */
    public int mprotect(long start, long len, int prot) {
        if ((start & (Layout.PAGE_SIZE - 1)) != 0) return -Errno.EINVAL;
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) return -Errno.EINVAL;
        len = Layout.pageAlign(len);
        long end = start + len;
        if (end < start || end > Layout.TASK_SIZE) return -Errno.ENOMEM;
        if (end == start) return 0;
        for (long a = start; a < end; ) {
            Vma v = findVma(a);
            if (v == null || v.start > a) return -Errno.ENOMEM;
            a = v.end;
        }
        splitAt(start);
        splitAt(end);
        for (Vma v : vmas) {
            if (v.start < start || v.end > end) continue;
            v.flags = (v.flags & ~(Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC)) | Vma.protToFlags(prot);
            for (long p = v.start; p < v.end; p += Layout.PAGE_SIZE) {
                int pte = pgd.pte((int) p);
                if ((pte & (PageDirectory.P | PageDirectory.PROTNONE)) == 0) continue;
                pgd.setPte((int) p, (pte & (PageDirectory.A | PageDirectory.D)) | pteFor(v, pte & Layout.PAGE_MASK));
            }
        }
        tlbFlush.run();
        return 0;
    }

    /** sys_brk: the new break, or the old one when the request cannot be met. */
    public long brk(long newBrk) {
        if (newBrk < endCode) return brk;
        long newEnd = Layout.pageAlign(newBrk), oldEnd = Layout.pageAlign(brk);
        if (newEnd == oldEnd) { brk = newBrk; return brk; }
        if (newBrk <= brk) {
            if (munmap(newEnd, oldEnd - newEnd) == 0) brk = newBrk;
            return brk;
        }
        if (newEnd > Layout.TASK_SIZE || intersects(oldEnd, newEnd + Layout.PAGE_SIZE)) return brk;
        Vma prev = oldEnd > 0 ? findVma(oldEnd - 1) : null;
        int flags = Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC;
        if (prev != null && prev.end == oldEnd && prev.file == null && prev.flags == flags) prev.end = newEnd;
        else insert(new Vma(oldEnd, newEnd, flags));
        brk = newBrk;
        return brk;
    }

    /** Releases every page and the page directory. */
    public void destroy() {
        vmas.clear();
        pgd.destroy();
    }
}

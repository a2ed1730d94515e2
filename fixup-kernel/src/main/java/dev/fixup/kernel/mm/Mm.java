package dev.fixup.kernel.mm;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * A task's address space: the sorted vma list, its page directory, and the operations on them
 * (Linux 2.4's mm/mmap.c, mprotect.c, mremap.c, madvise.c, memory.c in the small, with the
 * argument checks and errno values of Linux 6.x as a program sees them): find_vma, demand paging,
 * copy-on-write, expand_stack, mmap, munmap, mprotect, mremap, madvise, brk. Pages are filled on
 * first touch, never in advance. Adjacent areas that could have been one mapping are merged
 * (vma_merge), as a program can tell from mremap, which refuses to cross an area boundary.
 *
 * <p>Resource limits are the caller's (a task's RLIMIT_AS and RLIMIT_STACK soft limits, in
 * bytes, {@link #NO_LIMIT} for RLIM_INFINITY): the mm is shared by CLONE_VM tasks, the limits are
 * not.
 */
public final class Mm {
    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_SEM = 8,
            PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
    public static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_TYPE = 0xf,
            MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_NORESERVE = 0x4000,
            MAP_FIXED_NOREPLACE = 0x100000;
    public static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    public static final int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
            MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_DOFORK = 11,
            MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13, MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15,
            MADV_DONTDUMP = 16, MADV_DODUMP = 17, MADV_WIPEONFORK = 18, MADV_KEEPONFORK = 19, MADV_COLD = 20,
            MADV_PAGEOUT = 21, MADV_DONTNEED_LOCKED = 24, MADV_HWPOISON = 100, MADV_SOFT_OFFLINE = 101;
    /** RLIM_INFINITY as the kernel stores it. */
    public static final long NO_LIMIT = -1L;
    /** The default RLIMIT_STACK soft limit (8 MB), for callers that have no task at hand. */
    public static final long DEFAULT_STACK_LIMIT = 8L << 20;
    private static final long PAGE = Layout.PAGE_SIZE;

    final List<Vma> vmas = new ArrayList<>();
    public final PageDirectory pgd;
    private final Ram ram;
    private final FrameAllocator frames;
    /** Called after PTEs of this mm change (the CPU's TLB must forget them). */
    public Runnable tlbFlush = () -> {};
    /** Called after one PTE of this mm changed (what invlpg is for): only that page's TLB entry must go. */
    public java.util.function.IntConsumer tlbFlushPage = va -> tlbFlush.run();
    public long startBrk, brk, endCode;
    /** Where exec put the argument strings ([argStart, argEnd) on the stack): what /proc/PID/cmdline shows. */
    public long argStart, argEnd;
    /** The local descriptor table modify_ldt built ({lo, hi} per entry), or null: shared by CLONE_VM, copied by fork. */
    int[] ldt;
    /** Tasks sharing this address space (a CLONE_VM child, as vfork and posix_spawn make, shares its parent's). */
    public int users = 1;

    public Mm(PageDirectory pgd, Ram ram, FrameAllocator frames) {
        this.pgd = pgd;
        this.ram = ram;
        this.frames = frames;
    }

    public List<Vma> vmas() { return vmas; }

    /**
     * The first vma that ends above addr (it may start above addr too), or null. The areas are
     * sorted and disjoint, so their ends are sorted too: a binary search, as a process with a
     * thousand areas faults as often as one with ten.
     */
    public Vma findVma(long addr) {
        int lo = 0, hi = vmas.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (vmas.get(mid).end > addr) hi = mid;
            else lo = mid + 1;
        }
        return lo < vmas.size() ? vmas.get(lo) : null;
    }

    /** The vma that contains addr, or null (vma_lookup). */
    public Vma vmaAt(long addr) {
        Vma v = findVma(addr);
        return v != null && v.start <= addr ? v : null;
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

    /** Bytes mapped by all areas (total_vm, what RLIMIT_AS limits). */
    public long totalVm() {
        long n = 0;
        for (Vma v : vmas) n += v.length();
        return n;
    }

    /** may_expand_vm: whether bytes more of mappings stay within the address-space limit. */
    boolean mayExpand(long bytes, long asLimit) {
        return asLimit == NO_LIMIT || Long.compareUnsigned(totalVm() + bytes, asLimit) <= 0;
    }

    /**
     * __vm_enough_memory under Linux's default overcommit policy (OVERCOMMIT_GUESS): one request
     * for more pages than the machine has RAM (Fixup has no swap) fails with ENOMEM; anything
     * smaller is granted, and the pages are found, or the OOM killer runs, when they are touched.
     */
    boolean enoughMemory(long bytes) {
        return Long.compareUnsigned(bytes >>> 12, frames.totalFrames()) <= 0;
    }

    /** Whether making or growing v charges memory (VM_ACCOUNT): private writable memory and shared anonymous memory. */
    private static boolean accountable(Vma v) { return accountable(v.flags, v.file != null); }

    private static boolean accountable(int flags, boolean file) {
        if ((flags & Vma.VM_NORESERVE) != 0) return false;
        return (flags & Vma.VM_SHARED) != 0 ? !file : (flags & Vma.VM_WRITE) != 0;
    }

    /** Bytes of [start, end) that areas cover now (what a MAP_FIXED mapping there replaces). */
    private long mappedIn(long start, long end) {
        long n = 0;
        for (Vma v : vmas) n += Math.max(0, Math.min(end, v.end) - Math.max(start, v.start));
        return n;
    }

    /** PAGE_ALIGN of a 32-bit length: it wraps to 0 near 4 GB, as the C macro does. */
    private static long align32(long len) { return Layout.pageAlign(len) & 0xFFFFFFFFL; }

    private static boolean unaligned(long addr) { return (addr & (PAGE - 1)) != 0; }

    // ---- fork ----

    /**
     * The child's copy of this address space for fork: the same vmas, and every page shared. A
     * private writable page becomes read-only in both (each holds a reference to the frame); the
     * first write by either faults and copies it ({@link #handleMmFault}). An area advised
     * MADV_DONTFORK is left out, one advised MADV_WIPEONFORK comes without its pages. Null when
     * out of memory.
     */
    public Mm fork(PageDirectory childPgd) {
        Mm c = new Mm(childPgd, ram, frames);
        c.tlbFlush = tlbFlush;
        c.tlbFlushPage = tlbFlushPage;
        for (Vma v : vmas) if (!v.has(Vma.VM_DONTCOPY)) c.vmas.add(v.copy());
        c.startBrk = startBrk;
        c.brk = brk;
        c.endCode = endCode;
        c.argStart = argStart;
        c.argEnd = argEnd;
        c.ldt = ldt == null ? null : ldt.clone();
        for (int dir = 0; dir < PageDirectory.KERNEL_PDE0; dir++) {
            if ((pgd.pde(dir) & PageDirectory.P) == 0) continue;
            for (int i = 0; i < 1024; i++) {
                int va = dir << 22 | i << 12;
                int pte = pgd.pte(va);
                if ((pte & (PageDirectory.P | PageDirectory.PROTNONE)) == 0) continue;
                Vma v = findVma(Layout.u(va));
                if (v != null && v.has(Vma.VM_DONTCOPY | Vma.VM_WIPEONFORK)) continue;
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

    /**
     * Brings in the page at address: 1 minor (anonymous zero page, copy-on-write), 2 major (file
     * page), 0 when the page lies wholly past the end of an mmapped file (SIGBUS), -1 out of memory.
     */
    public int handleMmFault(Vma vma, long address, boolean write) {
        int va = (int) (address & Layout.PAGE_MASK);
        int pte = pgd.pte(va);
        if ((pte & PageDirectory.P) != 0) return writeProtectedPage(vma, va, pte, write);
        if ((pte & PageDirectory.PROTNONE) != 0) {          // kept while PROT_NONE: the vma allows it again
            pgd.setPte(va, pteFor(vma, pte & Layout.PAGE_MASK));
            tlbFlushPage.accept(va);
            return 1;
        }
        if (vma.pastEndOfFile(va & 0xFFFFFFFFL)) return 0;
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
        // No flush: the entry was not present, and a TLB never holds a not-present translation.
        return result;
    }

    /**
     * Present and still faulting: a write to a page that is read-only in the PTE although the vma
     * allows it (copy-on-write after fork). Copy unless we are the only user.
     */
    private int writeProtectedPage(Vma vma, int va, int pte, boolean write) {
        int frame = pte & Layout.PAGE_MASK;
        if (write && vma.has(Vma.VM_WRITE)) {
            if (frames.refCount(frame) > 1) {
                int copy = frames.allocCopy(frame);
                if (copy == -1) return -1;
                frames.put(frame);
                frame = copy;
            }
            pgd.setPte(va, frame | pteFlags(vma.flags) | PageDirectory.D);
            tlbFlushPage.accept(va);
        }
        return 1;
    }

    static int pteFlags(int vmFlags) {
        if ((vmFlags & (Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC)) == 0) return PageDirectory.PROTNONE;
        return PageDirectory.P | PageDirectory.US | ((vmFlags & Vma.VM_WRITE) != 0 ? PageDirectory.RW : 0);
    }

    /** Installs a prepared page (the initial stack); the frame's reference passes to the mm. False (the frame freed) when no page table can be had. */
    public boolean installPage(long page, int frame) {
        Vma v = findVma(page);
        if (!pgd.setPte((int) page, frame | pteFlags(v.flags))) {
            frames.put(frame);
            return false;
        }
        tlbFlush.run();
        return true;
    }

    // ---- the stack ----

    /** expand_stack with Linux's default limits (8 MB of stack, no address-space limit). */
    public boolean expandStack(Vma vma, long address) {
        return expandStack(vma, address, DEFAULT_STACK_LIMIT, NO_LIMIT);
    }

    /**
     * Grows a VM_GROWSDOWN area down to address (acct_stack_growth): false when the new size
     * passes stackLimit (RLIMIT_STACK), the growth passes asLimit (RLIMIT_AS), or it would reach
     * the area below.
     */
    public boolean expandStack(Vma vma, long address, long stackLimit, long asLimit) {
        long start = address & ~(PAGE - 1);
        if (start >= vma.start) return true;
        if (!mayExpand(vma.start - start, asLimit) || !enoughMemory(vma.start - start)) return false;
        if (stackLimit != NO_LIMIT && Long.compareUnsigned(vma.end - start, stackLimit) > 0) return false;
        Vma prev = findVmaPrev(vma);
        if (prev != null && prev.end > start) return false;
        if (vma.file != null) vma.fileOffset -= vma.start - start;
        vma.start = start;
        return true;
    }

    // ---- mmap ----

    /** Anonymous mmap with no address-space limit (tests, the kernel's own mappings). */
    public long mmap(long addr, long len, int prot, int flags) {
        return mmap(addr, len, prot, flags, null, 0, NO_LIMIT);
    }

    /**
     * do_mmap: the address, or -errno, in Linux's order of checks: the length, the place (with
     * MAP_FIXED_NOREPLACE's EEXIST), the mapping type, then the file's own terms
     * ({@link Vma.Backing#mayMap}), then RLIMIT_AS. file is null for anonymous memory; offset is
     * the file offset in bytes (page aligned).
     */
    long mmap(long addr, long len, int prot, int flags, Vma.Backing file, long offset, long asLimit) {
        if (len == 0) return -Errno.EINVAL;
        if ((flags & MAP_FIXED_NOREPLACE) != 0) flags |= MAP_FIXED;
        len = align32(len);
        if (len == 0) return -Errno.ENOMEM;
        if ((offset >>> 12) + (len >>> 12) > 0xFFFFFFFFL) return -Errno.EOVERFLOW;   // pgoff wraps
        long at = getUnmappedArea(addr, len, (flags & MAP_FIXED) != 0);
        if (at < 0) return at;
        if ((flags & MAP_FIXED_NOREPLACE) != 0 && intersects(at, at + len)) return -Errno.EEXIST;
        int type = flags & MAP_TYPE;
        boolean shared = type == MAP_SHARED || file != null && type == MAP_SHARED_VALIDATE;
        if (!shared && type != MAP_PRIVATE) return -Errno.EINVAL;
        if (file != null) {
            int r = file.mayMap(shared, (prot & PROT_WRITE) != 0);
            if (r != 0) return r;
        }
        int vmFlags = Vma.protToFlags(prot) | (shared ? Vma.VM_SHARED : 0);
        if ((flags & MAP_GROWSDOWN) != 0) {
            if (file != null || shared) return -Errno.EINVAL;
            vmFlags |= Vma.VM_GROWSDOWN;
        }
        if ((flags & MAP_NORESERVE) != 0) vmFlags |= Vma.VM_NORESERVE;
        // MAP_FIXED over existing mappings only counts what it adds.
        if (!mayExpand(len - mappedIn(at, at + len), asLimit)) return -Errno.ENOMEM;
        if (accountable(vmFlags, file != null) && !enoughMemory(len)) return -Errno.ENOMEM;
        munmap(at, len);
        if (file != null) file.get();
        Vma v = new Vma(at, at + len, vmFlags, file, file == null ? 0 : offset, Long.MAX_VALUE);
        insert(v);
        merge(v);
        return at;
    }

    /** Maps an ELF segment's pages (file backed) at a fixed place; file data stops at virtual address fileEnd. */
    public void mapFile(long start, long end, int vmFlags, byte[] file, long fileOffset, long fileEnd) {
        munmap(start, end - start);
        insert(new Vma(start, end, vmFlags, Vma.bytes(file), fileOffset, fileOffset + (fileEnd - start)));
    }

    /** Where a mapping of len bytes goes: addr itself if fixed, the hint if free, else the first hole from TASK_UNMAPPED_BASE. */
    long getUnmappedArea(long addr, long len, boolean fixed) {
        if (len > Layout.TASK_SIZE) return -Errno.ENOMEM;
        if (fixed) {
            if (addr > Layout.TASK_SIZE - len) return -Errno.ENOMEM;
            if (unaligned(addr)) return -Errno.EINVAL;
            return addr;
        }
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

    // ---- splitting and merging ----

    /** Makes addr a vma boundary if some area straddles it. */
    private void splitAt(long addr) {
        for (int i = 0; i < vmas.size(); i++) {
            Vma v = vmas.get(i);
            if (v.start < addr && addr < v.end) { vmas.add(i + 1, v.splitAt(addr)); return; }
        }
    }

    /** The area exactly [start, end), split out of the one area that holds that range. */
    private Vma isolate(long start, long end) {
        splitAt(start);
        splitAt(end);
        return vmaAt(start);
    }

    /**
     * vma_merge: joins v with the area before and the one after when they could have been one
     * mapping. The page tables need no change: only the bookkeeping of areas does.
     */
    private void merge(Vma v) {
        int i = vmas.indexOf(v);
        if (i + 1 < vmas.size() && v.canMergeWith(vmas.get(i + 1))) absorbNext(i);
        if (i > 0 && vmas.get(i - 1).canMergeWith(v)) absorbNext(i - 1);
    }

    private void absorbNext(int i) {
        Vma gone = vmas.remove(i + 1);
        vmas.get(i).end = gone.end;
        gone.release();
    }

    // ---- munmap ----

    /** do_munmap: 0 or -EINVAL. Unmapping a hole is not an error. */
    public int munmap(long start, long len) {
        if (unaligned(start) || start > Layout.TASK_SIZE || len > Layout.TASK_SIZE - start) return -Errno.EINVAL;
        len = Layout.pageAlign(len);
        if (len == 0) return -Errno.EINVAL;
        boolean big = len >= 1 << 20;                       // a phase worth timing (-Dfixup.phases): mmap and munmap of a megabyte or more
        if (big) dev.fixup.kernel.PhaseClock.mark("unmap " + (len >> 20) + " MB");
        long end = start + len;
        splitAt(start);
        splitAt(end);
        boolean changed = false;
        for (int i = vmas.size() - 1; i >= 0; i--) {
            Vma v = vmas.get(i);
            if (v.start >= start && v.end <= end) {
                zap(v.start, v.end);
                vmas.remove(i);
                v.release();
                changed = true;
            }
        }
        if (changed) {
            freePageTables(start, end);
            tlbFlush.run();
        }
        if (big) dev.fixup.kernel.PhaseClock.mark("unmapped");
        return 0;
    }

    /**
     * free_pgtables after an unmap: the page table of each 4 MB block that [start, end) touches
     * goes when no area is left anywhere in that block.
     */
    private void freePageTables(long start, long end) {
        for (long block = start >>> 22; block <= (end - 1) >>> 22; block++) {
            if (!intersects(block << 22, (block + 1) << 22)) pgd.freeEmptyTables((int) block, (int) block + 1);
        }
    }

    /** Drops the pages of [start, end) and their frame references (zap_page_range). */
    private void zap(long start, long end) {
        pgd.unmapRange(start, end);
    }

    // ---- mprotect ----

    /**
     * sys_mprotect: 0 or -errno. As in Linux, the areas before a hole in the range are changed
     * before the hole is found (-ENOMEM): mprotect is not atomic.
     */
    public int mprotect(long start, long len, int prot) {
        if (unaligned(start)) return -Errno.EINVAL;
        if (len == 0) return 0;
        int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
        prot &= ~grows;
        if (grows == (PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
        long end = start + align32(len);
        if (end <= start) return -Errno.ENOMEM;
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) != 0) return -Errno.EINVAL;
        Vma first = findVma(start);
        if (first == null || first.start >= end) return -Errno.ENOMEM;
        if (grows == PROT_GROWSDOWN) {
            if (!first.has(Vma.VM_GROWSDOWN)) return -Errno.EINVAL;
            start = first.start;                            // the change reaches down to the stack's bottom
        } else if (first.start > start) {
            return -Errno.ENOMEM;
        } else if (grows == PROT_GROWSUP) {
            return -Errno.EINVAL;                           // no area grows up on i386
        }
        int access = Vma.protToFlags(prot);
        for (long a = start; a < end; ) {
            Vma v = findVma(a);
            if (v == null || v.start > a) { tlbFlush.run(); return -Errno.ENOMEM; }
            long to = Math.min(end, v.end);
            boolean charge = (access & Vma.VM_WRITE) != 0 && !v.has(Vma.VM_WRITE | Vma.VM_SHARED | Vma.VM_NORESERVE);
            if (charge && !enoughMemory(to - a)) { tlbFlush.run(); return -Errno.ENOMEM; }
            protect(isolate(a, to), access);
            a = to;
        }
        tlbFlush.run();
        return 0;
    }

    /** Gives area v new access flags, rewrites its present PTEs, and merges it with its neighbours. */
    private void protect(Vma v, int access) {
        v.flags = (v.flags & ~(Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC)) | access;
        for (long p = v.start; p < v.end; p += PAGE) {
            int pte = pgd.pte((int) p);
            if ((pte & (PageDirectory.P | PageDirectory.PROTNONE)) == 0) continue;
            pgd.setPte((int) p, (pte & (PageDirectory.A | PageDirectory.D)) | pteFor(v, pte & Layout.PAGE_MASK));
        }
        merge(v);
    }

    // ---- mremap ----

    /**
     * sys_mremap: the (possibly new) address of the area, or -errno. Shrinking unmaps the tail;
     * growing extends the area in place when the space after it is free; otherwise, with
     * MREMAP_MAYMOVE, the area moves, its page-table entries going with their frames (no copy).
     */
    public long mremap(long addr, long oldLen, long newLen, int flags, long newAddr, long asLimit) {
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return -Errno.EINVAL;
        boolean mayMove = (flags & MREMAP_MAYMOVE) != 0;
        if ((flags & MREMAP_FIXED) != 0 && !mayMove) return -Errno.EINVAL;
        if ((flags & MREMAP_DONTUNMAP) != 0 && (!mayMove || oldLen != newLen)) return -Errno.EINVAL;
        if (unaligned(addr)) return -Errno.EINVAL;
        oldLen = align32(oldLen);
        newLen = align32(newLen);
        if (newLen == 0) return -Errno.EINVAL;
        if (vmaAt(addr) == null) return -Errno.EFAULT;
        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return mremapTo(addr, oldLen, newLen, flags, newAddr, asLimit);
        if (oldLen >= newLen) {                             // shrinking is always allowed
            if (oldLen > newLen) {
                int r = munmap(addr + newLen, oldLen - newLen);
                if (r != 0) return r;
            }
            return addr;
        }
        Object resized = vmaToResize(addr, oldLen, newLen, asLimit);
        if (resized instanceof Integer err) return err;
        Vma vma = (Vma) resized;
        if (oldLen == vma.end - addr && expandable(vma, newLen - oldLen)) {
            vma.end += newLen - oldLen;
            merge(vma);
            return addr;
        }
        if (!mayMove) return -Errno.ENOMEM;
        long at = getUnmappedArea(0, newLen, false);
        if (at < 0) return at;
        return moveVma(vma, addr, oldLen, newLen, at, false);
    }

    /** MREMAP_FIXED (and MREMAP_DONTUNMAP): the area goes to newAddr, replacing what was there. */
    private long mremapTo(long addr, long oldLen, long newLen, int flags, long newAddr, long asLimit) {
        if (unaligned(newAddr)) return -Errno.EINVAL;
        if (newLen > Layout.TASK_SIZE || newAddr > Layout.TASK_SIZE - newLen) return -Errno.EINVAL;
        if (addr + oldLen > newAddr && newAddr + newLen > addr) return -Errno.EINVAL;   // the ranges overlap
        boolean fixed = (flags & MREMAP_FIXED) != 0, dontUnmap = (flags & MREMAP_DONTUNMAP) != 0;
        if (fixed) munmap(newAddr, newLen);
        if (oldLen > newLen) {
            munmap(addr + newLen, oldLen - newLen);
            oldLen = newLen;
        }
        Object resized = vmaToResize(addr, oldLen, newLen, asLimit);
        if (resized instanceof Integer err) return err;
        Vma vma = (Vma) resized;
        if (dontUnmap && !mayExpand(oldLen, asLimit)) return -Errno.ENOMEM;   // the old range stays mapped
        long at = getUnmappedArea(newAddr, newLen, fixed);
        if (at < 0) return at;
        return moveVma(vma, addr, oldLen, newLen, at, dontUnmap);
    }

    /**
     * vma_to_resize: the one area that holds [addr, addr + oldLen), when it may grow to newLen;
     * else an Integer -errno (EFAULT across an area boundary, EINVAL for a zero-length source,
     * ENOMEM past RLIMIT_AS). Linux refuses a zero-length source only for private memory: of a
     * shared mapping it makes a second mapping of the same pages. Fixup's shared anonymous pages
     * are frames held by page tables, with no object behind them to map again, so it refuses
     * that too rather than make an area that would not share.
     */
    private Object vmaToResize(long addr, long oldLen, long newLen, long asLimit) {
        Vma vma = vmaAt(addr);
        if (vma == null) return -Errno.EFAULT;
        if (oldLen == 0) return -Errno.EINVAL;
        if (oldLen > vma.end - addr) return -Errno.EFAULT;
        if (newLen == oldLen) return vma;
        if (!mayExpand(newLen - oldLen, asLimit)) return -Errno.ENOMEM;
        if (accountable(vma) && !enoughMemory(newLen - oldLen)) return -Errno.ENOMEM;
        return vma;
    }

    /** Whether v can grow by delta bytes where it is: nothing mapped there, still below TASK_SIZE. */
    private boolean expandable(Vma v, long delta) {
        long end = v.end + delta;
        return end <= Layout.TASK_SIZE && !intersects(v.end, end);
    }

    /**
     * move_vma: a new area at newAddr takes over [addr, addr + oldLen) of vma, page-table entries
     * and all, and is newLen long; then the old range is unmapped (or, with MREMAP_DONTUNMAP, left
     * mapped and empty, so it reads zeros again).
     */
    private long moveVma(Vma vma, long addr, long oldLen, long newLen, long newAddr, boolean dontUnmap) {
        Vma moved = vma.movedTo(newAddr, newAddr + newLen, vma.fileOffset + (addr - vma.start));
        insert(moved);
        if (!movePageTables(addr, newAddr, oldLen)) {
            vmas.remove(moved);
            moved.release();
            tlbFlush.run();
            return -Errno.ENOMEM;
        }
        if (!dontUnmap) munmap(addr, oldLen);
        merge(moved);
        tlbFlush.run();
        return newAddr;
    }

    /**
     * Moves the PTEs of len bytes from one address to another: the frames change place, not
     * content, and keep their reference counts. False (with everything moved back) when a page
     * table for the destination cannot be had.
     */
    private boolean movePageTables(long from, long to, long len) {
        for (long off = 0; off < len; off += PAGE) {
            int pte = pgd.pte((int) (from + off));
            if (pte == 0) continue;
            if (!pgd.setPte((int) (to + off), pte)) {
                movePageTables(to, from, off);
                return false;
            }
            pgd.setPte((int) (from + off), 0);
        }
        return true;
    }

    // ---- madvise ----

    /**
     * sys_madvise: 0 or -errno. Hints about access patterns, huge pages, core dumps and reclaim
     * are accepted and change nothing; MADV_DONTNEED drops the pages, so private anonymous memory
     * reads back as zeros and a private file mapping as the file's bytes; MADV_FREE (private
     * anonymous only) is done the same way, which Linux allows. MADV_DONTFORK, MADV_WIPEONFORK
     * and their undoing mark the areas for {@link #fork}, splitting them as mprotect does. What
     * needs a page cache or shared memory (MADV_REMOVE), KSM or huge-page collapsing is refused
     * with -EINVAL, as from a kernel built without it. A hole in the range: -ENOMEM, after the
     * mapped parts were advised.
     */
    public int madvise(long start, long len, int advice) {
        if (!knownAdvice(advice)) return advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE ? -Errno.EPERM : -Errno.EINVAL;
        if (unaligned(start)) return -Errno.EINVAL;
        long aligned = align32(len);
        if (len != 0 && aligned == 0) return -Errno.EINVAL;
        long end = start + aligned;
        if (end > 0xFFFFFFFFL) return -Errno.EINVAL;
        if (end == start) return 0;
        int result = 0;
        for (long a = start; a < end; ) {
            Vma v = findVma(a);
            if (v == null) return -Errno.ENOMEM;
            if (v.start > a) {
                result = -Errno.ENOMEM;
                a = v.start;
                if (a >= end) break;
            }
            long to = Math.min(end, v.end);
            int r = advise(v, a, to, advice);
            if (r != 0) return r;
            a = to;
        }
        return result;
    }

    private static boolean knownAdvice(int advice) {
        switch (advice) {
            case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED: case MADV_DONTNEED:
            case MADV_FREE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
            case MADV_COLD: case MADV_PAGEOUT: case MADV_DONTNEED_LOCKED: case MADV_DONTFORK: case MADV_DOFORK:
            case MADV_WIPEONFORK: case MADV_KEEPONFORK:
                return true;
            default:
                return false;
        }
    }

    private int advise(Vma v, long start, long end, int advice) {
        switch (advice) {
            case MADV_FREE:
                if (v.file != null || v.has(Vma.VM_SHARED)) return -Errno.EINVAL;
                dropPages(start, end);
                return 0;
            case MADV_DONTNEED:
            case MADV_DONTNEED_LOCKED:
                dropPages(start, end);
                return 0;
            case MADV_DONTFORK:
                return mark(start, end, Vma.VM_DONTCOPY, true);
            case MADV_DOFORK:
                return mark(start, end, Vma.VM_DONTCOPY, false);
            case MADV_WIPEONFORK:
                if (v.file != null || v.has(Vma.VM_SHARED)) return -Errno.EINVAL;   // private anonymous memory only
                return mark(start, end, Vma.VM_WIPEONFORK, true);
            case MADV_KEEPONFORK:
                return mark(start, end, Vma.VM_WIPEONFORK, false);
            default:
                return 0;
        }
    }

    /** Sets or clears a flag on [start, end) of one area, splitting it off and merging it back as flags allow. */
    private int mark(long start, long end, int flag, boolean on) {
        Vma v = isolate(start, end);
        v.flags = on ? v.flags | flag : v.flags & ~flag;
        merge(v);
        return 0;
    }

    private void dropPages(long start, long end) {
        zap(start, end);
        tlbFlush.run();
    }

    // ---- brk ----

    /** sys_brk with no address-space limit. */
    public long brk(long newBrk) { return brk(newBrk, NO_LIMIT); }

    /**
     * sys_brk: the new break, or the old one when the request cannot be met (below the start of
     * the heap, into another mapping or the page before it, past asLimit). Linux's min_brk is
     * start_brk when the heap is randomized, as it is on a native run, so that is ours.
     */
    public long brk(long newBrk, long asLimit) {
        if (newBrk < startBrk) return brk;
        long newEnd = Layout.pageAlign(newBrk), oldEnd = Layout.pageAlign(brk);
        if (newEnd == oldEnd) { brk = newBrk; return brk; }
        if (newBrk <= brk) return shrinkBrk(newBrk, newEnd, oldEnd);
        if (newEnd > Layout.TASK_SIZE || intersects(oldEnd, newEnd + PAGE)) return brk;
        if (!mayExpand(newEnd - oldEnd, asLimit) || !enoughMemory(newEnd - oldEnd)) return brk;
        Vma prev = oldEnd > 0 ? findVma(oldEnd - 1) : null;
        int flags = Vma.VM_READ | Vma.VM_WRITE | Vma.VM_EXEC;
        if (prev != null && prev.end == oldEnd && prev.file == null && prev.flags == flags) prev.end = newEnd;
        else insert(new Vma(oldEnd, newEnd, flags));
        brk = newBrk;
        return brk;
    }

    /** The heap shrinks only if its pages are still there: a program that unmapped them keeps its break. */
    private long shrinkBrk(long newBrk, long newEnd, long oldEnd) {
        Vma heap = findVma(newEnd);
        if (heap == null || heap.start >= oldEnd) return brk;
        brk = newBrk;
        munmap(newEnd, oldEnd - newEnd);
        return brk;
    }

    /** Releases every page, every file reference and the page directory. */
    public void destroy() {
        for (Vma v : vmas) v.release();
        vmas.clear();
        pgd.destroy();
    }
}

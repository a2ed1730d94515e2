package dev.fixup.kernel.mm;

import dev.fixup.kernel.Errno;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MmTest {
    private Ram ram;
    private FrameAllocator frames;
    private PageDirectory master;
    private Mm mm;

    @BeforeEach
    void setUp() {
        ram = Ram.ofArray(new byte[8 << 20]);
        frames = new FrameAllocator(ram, 0x200000, 8 << 20);
        master = PageDirectory.kernel(ram, frames, 8 << 20);
        mm = new Mm(PageDirectory.user(master), ram, frames);
    }

    @Test
    void kernelHalfMapsRamWithLargePages() {
        assertEquals(0x1e3, master.pde(768) & 0xfff);
        assertEquals(0, master.pde(768) & 0xffc00000);
        assertEquals(0x00400000, master.pde(769) & 0xffc00000);
        assertEquals(0, master.pde(770), "8 MB of RAM: two 4 MB pages");
        assertEquals(master.pde(768), mm.pgd.pde(768), "user directories share the kernel half");
        assertEquals(0x123456, mm.pgd.translate(0xc0123456));
        assertEquals(-1, mm.pgd.translate(0x08048000));
    }

    @Test
    void findVmaReturnsTheFirstAreaEndingAboveTheAddress() {
        mm.insert(new Vma(0x1000, 0x3000, Vma.VM_READ));
        mm.insert(new Vma(0x8000, 0x9000, Vma.VM_READ));
        assertEquals(0x1000, mm.findVma(0).start);
        assertEquals(0x1000, mm.findVma(0x2fff).start);
        assertEquals(0x8000, mm.findVma(0x3000).start, "in the hole: the next area");
        assertNull(mm.findVma(0x9000));
        assertThrows(IllegalStateException.class, () -> mm.insert(new Vma(0x2000, 0x4000, 0)));
    }

    @Test
    void mmapPlacesAnonymousMemoryFromTaskUnmappedBase() {
        assertEquals(0x40000000L, mm.mmap(0, 4096, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS));
        assertEquals(0x40001000L, mm.mmap(0, 1, 0, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS));
        assertEquals(0, mm.munmap(0x40000000L, 4096));
        assertEquals(0x40000000L, mm.mmap(0, 4096, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS), "the hole is reused");
        assertEquals(-Errno.EINVAL, mm.mmap(0x50000001L, 4096, 3, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED));
        assertEquals(-Errno.ENOMEM, mm.mmap(0xbffff000L, 8192, 3, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED));
        assertEquals(-Errno.EINVAL, mm.mmap(0, 4096, 3, Mm.MAP_ANONYMOUS), "neither shared nor private");
    }

    @Test
    void munmapSplitsAreasAndFreesFrames() {
        mm.mmap(0x50000000L, 3 * 4096, 3, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED);
        int before = frames.freeFrames();
        Vma v = mm.findVma(0x50001000L);
        assertEquals(1, mm.handleMmFault(v, 0x50001234L, true));
        assertTrue(frames.freeFrames() < before);
        int pte = mm.pgd.pte(0x50001000);
        assertEquals(PageDirectory.P | PageDirectory.US | PageDirectory.RW, pte & 7);
        assertEquals(0, mm.munmap(0x50001000L, 4096));
        assertEquals(2, mm.vmas().size());
        assertEquals(0x50001000L, mm.vmas().get(0).end);
        assertEquals(0x50002000L, mm.vmas().get(1).start);
        assertEquals(0, mm.pgd.pte(0x50001000));
        assertEquals(-Errno.EINVAL, mm.munmap(0x50000001L, 4096));
        assertEquals(-Errno.EINVAL, mm.munmap(0x50000000L, 0));
    }

    @Test
    void mprotectNeedsContiguousAreasAndRewritesPtes() {
        mm.mmap(0x50000000L, 2 * 4096, 3, Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_FIXED);
        mm.handleMmFault(mm.findVma(0x50000000L), 0x50000000L, true);
        assertEquals(0, mm.mprotect(0x50000000L, 4096, Mm.PROT_READ));
        assertEquals(0, mm.pgd.pte(0x50000000) & PageDirectory.RW, "read-only now");
        assertEquals(Vma.VM_READ, mm.findVma(0x50000000L).flags);
        assertEquals(Vma.VM_READ | Vma.VM_WRITE, mm.findVma(0x50001000L).flags);
        assertEquals(0, mm.mprotect(0x50000000L, 4096, 0));
        int pte = mm.pgd.pte(0x50000000);
        assertEquals(0, pte & PageDirectory.P, "PROT_NONE: not present...");
        assertEquals(PageDirectory.PROTNONE, pte & PageDirectory.PROTNONE, "...but the page is kept");
        assertEquals(-Errno.ENOMEM, mm.mprotect(0x50000000L, 3 * 4096, Mm.PROT_READ), "a hole in the range");
        assertEquals(-Errno.EINVAL, mm.mprotect(0x50000800L, 4096, Mm.PROT_READ));
    }

    @Test
    void filePagesAreReadOnDemandWithZerosAfterTheFileData() {
        byte[] file = new byte[0x2000];
        for (int i = 0; i < file.length; i++) file[i] = (byte) (i + 1);
        // An ELF-like data segment: vaddr 0x0804a100, file offset 0x100, filesz 0x20, memsz 0x2000.
        mm.mapFile(0x0804a000L, 0x0804d000L, Vma.VM_READ | Vma.VM_WRITE, file, 0, 0x0804a120L);
        Vma v = mm.findVma(0x0804a000L);
        assertEquals(2, mm.handleMmFault(v, 0x0804a110L, false), "a file page is a major fault");
        int pa = mm.pgd.translate(0x0804a000);
        assertEquals(file[0x100] & 0xff, ram.read8(pa + 0x100));
        assertEquals(file[0x11f] & 0xff, ram.read8(pa + 0x11f));
        assertEquals(0, ram.read8(pa + 0x120), "bss starts after filesz");
        assertEquals(0, ram.read8(pa + 0xfff));
    }

    @Test
    void stackGrowsWithinRlimitAndNotIntoTheAreaBelow() {
        Vma stack = new Vma(0xbfff0000L, 0xc0000000L, Vma.VM_READ | Vma.VM_WRITE | Vma.VM_GROWSDOWN);
        mm.insert(stack);
        assertTrue(mm.expandStack(stack, 0xbffe0123L));
        assertEquals(0xbffe0000L, stack.start);
        assertFalse(mm.expandStack(stack, 0xc0000000L - Mm.DEFAULT_STACK_LIMIT - 1), "RLIMIT_STACK");
        mm.insert(new Vma(0xbf000000L, 0xbf001000L, Vma.VM_READ));
        assertFalse(mm.expandStack(stack, 0xbf000800L));
    }

    @Test
    void brkGrowsAndShrinksTheHeap() {
        mm.endCode = 0x08049000L;
        mm.startBrk = mm.brk = 0x0804b123L;
        assertEquals(0x0804b123L, mm.brk(0), "below end_code: unchanged");
        assertEquals(0x0804b800L, mm.brk(0x0804b800L), "same page: no new area");
        assertEquals(0x0804e000L, mm.brk(0x0804e000L));
        assertEquals(0x0804c000L, mm.findVma(0x0804c000L).start);
        assertEquals(0x0804e000L, mm.findVma(0x0804c000L).end);
        assertEquals(0x0804c100L, mm.brk(0x0804c100L));
        assertEquals(0x0804d000L, mm.findVma(0x0804c000L).end);
        mm.insert(new Vma(0x08050000L, 0x08051000L, Vma.VM_READ));
        assertEquals(0x0804c100L, mm.brk(0x08050000L), "would run into a mapping: refused");
    }

    @Test
    void frameAllocatorCountsReferencesAndAlignsStacks() {
        int a = frames.allocContiguous(2);
        assertEquals(0, a & 0x1fff, "8 KB aligned");
        int f = frames.alloc();
        frames.get(f);
        assertEquals(2, frames.refCount(f));
        int free = frames.freeFrames();
        frames.put(f);
        assertEquals(free, frames.freeFrames());
        frames.put(f);
        assertEquals(free + 1, frames.freeFrames());
        assertThrows(IllegalStateException.class, () -> frames.put(f));
    }

    @Test
    void unmapRangeDropsExactlyTheRangeAcrossPageTables() {
        PageDirectory d = mm.pgd;
        int below = 0x003FE000, first = 0x003FF000, second = 0x00400000, last = 0x00401000, above = 0x00402000;
        int[] frame = new int[5];
        int[] va = {below, first, second, last, above};
        for (int i = 0; i < 5; i++) {
            frame[i] = frames.alloc();
            assertTrue(d.setPte(va[i], frame[i] | PageDirectory.P | PageDirectory.US));
        }
        frames.get(frame[2]);                                      // a second user (copy-on-write): one reference goes
        int protNone = frames.alloc();
        assertTrue(d.setPte(0x00800000, protNone | PageDirectory.PROTNONE));
        int free = frames.freeFrames();
        d.unmapRange(first, above);                                // the last page of one table, the first two of the next
        assertEquals(0, d.pte(first));
        assertEquals(0, d.pte(second));
        assertEquals(0, d.pte(last));
        assertEquals(frame[0], d.pte(below) & ~0xfff, "the page below the range stays");
        assertEquals(frame[4], d.pte(above) & ~0xfff, "the page above the range stays");
        assertEquals(free + 2, frames.freeFrames());
        assertEquals(1, frames.refCount(frame[2]));
        d.unmapRange(0x00800000, 0x00C00000 + 0x400000);            // a PROT_NONE page gives its frame back; a block with no table is skipped
        assertEquals(0, frames.refCount(protNone));
        assertEquals(0, d.pte(0x00800000));
    }
}

package dev.fixup.kernel.mm;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.fs.FileSystem;
import dev.fixup.kernel.fs.OpenFile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The memory calls on one address space, with exact results: file mappings, MAP_FIXED and
 * MAP_FIXED_NOREPLACE, split and merge, mremap, madvise, brk and the limits; and the frames and
 * file references each one takes and gives back.
 */
class MmCallsTest {
    private static final int PG = Layout.PAGE_SIZE;
    private static final long A = 0x50000000L;
    private static final int RW = Mm.PROT_READ | Mm.PROT_WRITE;
    private static final int ANON = Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS, FIXED = ANON | Mm.MAP_FIXED;
    private Ram ram;
    private FrameAllocator frames;
    private PageDirectory master;
    private Mm mm;
    /** Free frames before the address space had its page directory. */
    private int freeAtStart;

    /** A file whose references are counted, as an OpenFile's are. */
    private static final class CountedFile implements Vma.Backing {
        final byte[] data;
        int refs;

        CountedFile(int size) {
            data = new byte[size];
            for (int i = 0; i < size; i++) data[i] = (byte) (i * 7 + 3);
        }

        public int read(long off, byte[] buf, int len) {
            int n = (int) Math.max(0, Math.min(len, data.length - off));
            System.arraycopy(data, (int) Math.min(off, data.length), buf, 0, n);
            return n;
        }
        public long size() { return data.length; }
        public boolean busPastEnd() { return true; }
        public void get() { refs++; }
        public void put() { refs--; }
    }

    @BeforeEach
    void setUp() {
        ram = Ram.ofArray(new byte[8 << 20]);
        frames = new FrameAllocator(ram, 0x200000, 8 << 20);
        master = PageDirectory.kernel(ram, frames, 8 << 20);
        freeAtStart = frames.freeFrames();
        mm = new Mm(PageDirectory.user(master), ram, frames);
    }

    private long anon(long at, int pages, int prot) {
        return mm.mmap(at, (long) pages * PG, prot, FIXED);
    }

    private void touch(long addr) {
        assertTrue(mm.handleMmFault(mm.findVma(addr), addr, true) > 0);
    }

    private int frameOf(long addr) { return mm.pgd.translate((int) addr) & Layout.PAGE_MASK; }

    private String layout() {
        StringBuilder b = new StringBuilder();
        for (Vma v : mm.vmas()) b.append(v).append(';');
        return b.toString();
    }

    // ---- file mappings ----

    @Test
    void aFileMappingReadsItsPagesOnDemandFromTheOffsetAndPastTheEndIsSigbus() {
        CountedFile f = new CountedFile(10000);
        int free = frames.freeFrames();
        long at = mm.mmap(0, 4 * PG, Mm.PROT_READ, Mm.MAP_PRIVATE, f, PG, Mm.NO_LIMIT);
        assertEquals(Layout.TASK_UNMAPPED_BASE, at);
        assertEquals(1, f.refs, "the area holds the file");
        assertEquals(free, frames.freeFrames(), "nothing is read before it is touched");
        Vma v = mm.findVma(at);
        assertEquals(2, mm.handleMmFault(v, at + 5, false), "a file page: major fault");
        assertEquals(f.data[PG] & 0xff, ram.read8(frameOf(at)), "page 0 of the mapping is page 1 of the file");
        assertEquals(2, mm.handleMmFault(v, at + PG, false));
        assertEquals(f.data[9999] & 0xff, ram.read8(frameOf(at + PG) + 9999 - 2 * PG));
        assertEquals(0, ram.read8(frameOf(at + PG) + 10000 - 2 * PG), "zeros after the end of the file");
        int used = frames.freeFrames();
        assertEquals(0, mm.handleMmFault(v, at + 2 * PG, false), "offset 12288 >= size 10000: SIGBUS");
        assertEquals(used, frames.freeFrames(), "and no frame taken for it");
        assertEquals(0, mm.munmap(at, 4 * PG));
        assertEquals(0, f.refs);
        mm.destroy();
        assertEquals(freeAtStart, frames.freeFrames(), "every page given back, and the page table");
    }

    @Test
    void whichFilesMayBeMappedAndHow() throws Exception {
        Path tmp = Files.createTempFile("fixup-mm", ".dat");
        Files.write(tmp, new byte[100]);
        FileSystem fs = new FileSystem(null, null, null);
        OpenFile ro = (OpenFile) fs.open(tmp.toString(), FileSystem.O_RDONLY);
        OpenFile wo = (OpenFile) fs.open(tmp.toString(), FileSystem.O_WRONLY);
        OpenFile rw = (OpenFile) fs.open(tmp.toString(), FileSystem.O_RDWR);
        int shared = Mm.MAP_SHARED, priv = Mm.MAP_PRIVATE;
        assertEquals(-Errno.EACCES, mm.mmap(0, PG, RW, shared, Vma.file(ro), 0, Mm.NO_LIMIT), "shared writable, read-only fd");
        assertEquals(-Errno.ENODEV, mm.mmap(0, PG, Mm.PROT_READ, shared, Vma.file(ro), 0, Mm.NO_LIMIT), "shared: not supported");
        assertEquals(-Errno.ENODEV, mm.mmap(0, PG, RW, Mm.MAP_SHARED_VALIDATE, Vma.file(rw), 0, Mm.NO_LIMIT));
        assertEquals(-Errno.EACCES, mm.mmap(0, PG, Mm.PROT_READ, priv, Vma.file(wo), 0, Mm.NO_LIMIT), "write-only fd");
        assertEquals(-Errno.ENODEV, mm.mmap(0, PG, Mm.PROT_READ, priv, Vma.file(new OpenFile.Null(true, false)), 0, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mmap(0, PG, Mm.PROT_READ, priv | Mm.MAP_GROWSDOWN, Vma.file(ro), 0, Mm.NO_LIMIT));
        assertEquals(Layout.TASK_UNMAPPED_BASE, mm.mmap(0, PG, RW, priv, Vma.file(ro), 0, Mm.NO_LIMIT), "private writable of a read-only fd");
        assertEquals(-Errno.EOVERFLOW, mm.mmap(0, 2 * PG, Mm.PROT_READ, priv, Vma.file(ro), 0xFFFFFFFFL << 12, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mmap(0, 0, Mm.PROT_READ, priv, Vma.file(ro), 0, Mm.NO_LIMIT), "length 0");
        assertEquals(-Errno.ENOMEM, mm.mmap(0, 0xFFFFFFFFL, Mm.PROT_READ, ANON), "the length rounds up to 0");
        mm.destroy();
        ro.put();
        wo.put();
        rw.put();
        Files.delete(tmp);
    }

    @Test
    void fileReferencesFollowForkSplitMergeAndExit() {
        CountedFile f = new CountedFile(4 * PG);
        mm.mmap(A, 4 * PG, RW, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 0, Mm.NO_LIMIT);
        assertEquals(0, mm.mprotect(A + PG, PG, Mm.PROT_READ));
        assertEquals(3, mm.vmas().size());
        assertEquals(3, f.refs, "one per area");
        Mm child = mm.fork(PageDirectory.user(master));
        assertEquals(6, f.refs);
        child.destroy();
        assertEquals(3, f.refs);
        assertEquals(0, mm.mprotect(A + PG, PG, RW));
        assertEquals(1, mm.vmas().size(), "the same file at contiguous offsets merges again");
        assertEquals(1, f.refs);
        mm.destroy();
        assertEquals(0, f.refs);
    }

    @Test
    void fileAreasMergeOnlyAtContiguousOffsets() {
        CountedFile f = new CountedFile(8 * PG);
        mm.mmap(A, PG, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 0, Mm.NO_LIMIT);
        mm.mmap(A + PG, PG, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 2 * PG, Mm.NO_LIMIT);
        assertEquals(2, mm.vmas().size(), "offsets 0 and 8192 are not contiguous");
        mm.mmap(A + 2 * PG, PG, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 3 * PG, Mm.NO_LIMIT);
        assertEquals(2, mm.vmas().size(), "offset 12288 continues offset 8192");
        assertEquals(2, f.refs);
    }

    // ---- MAP_FIXED, hints, RLIMIT_AS ----

    @Test
    void mapFixedReplacesAndNoReplaceRefuses() {
        assertEquals(A, anon(A, 3, RW));
        touch(A + PG);
        int free = frames.freeFrames();
        assertEquals(A + PG, mm.mmap(A + PG, PG, Mm.PROT_READ, FIXED));
        assertEquals(free + 1, frames.freeFrames(), "the replaced page is freed");
        assertEquals(3, mm.vmas().size());
        assertEquals(-Errno.EEXIST, mm.mmap(A + 2 * PG, 2 * PG, RW, ANON | Mm.MAP_FIXED_NOREPLACE));
        assertEquals(A + 3 * PG, mm.mmap(A + 3 * PG, PG, RW, ANON | Mm.MAP_FIXED_NOREPLACE));
        assertEquals(A + 6 * PG, mm.mmap(A + 5 * PG + 1, PG, RW, ANON), "a free hint, rounded up to a page");
        assertEquals(Layout.TASK_UNMAPPED_BASE, mm.mmap(A, PG, RW, ANON), "a hint that is taken: the first hole");
        assertEquals(-Errno.ENOMEM, mm.mmap(0xbffff000L, 2 * PG, RW, FIXED));
        assertEquals(-Errno.EINVAL, mm.mmap(0, PG, RW, Mm.MAP_ANONYMOUS | Mm.MAP_SHARED_VALIDATE));
    }

    @Test
    void rlimitAsCountsWhatAMappingAdds() {
        long limit = 4L * PG;
        assertEquals(A, mm.mmap(A, 4 * PG, RW, FIXED, null, 0, limit));
        assertEquals(A + PG, mm.mmap(A + PG, 2 * PG, Mm.PROT_READ, FIXED, null, 0, limit), "replacing adds nothing");
        assertEquals(-Errno.ENOMEM, mm.mmap(0, PG, RW, ANON, null, 0, limit));
        assertEquals(-Errno.ENOMEM, mm.mremap(A + 3 * PG, PG, 2 * PG, Mm.MREMAP_MAYMOVE, 0, limit));
        mm.startBrk = mm.brk = 0x08050000L;
        assertEquals(0x08050000L, mm.brk(0x08052000L, limit), "brk past RLIMIT_AS: the old break");
        assertEquals(0, mm.munmap(A, PG));
        assertEquals(0x08050800L, mm.brk(0x08050800L, limit));
        assertEquals(4L * PG, mm.totalVm());
    }

    @Test
    void stackGrowthStopsAtRlimitStackAndRlimitAs() {
        Vma stack = new Vma(0xbfff0000L, 0xc0000000L, Vma.VM_READ | Vma.VM_WRITE | Vma.VM_GROWSDOWN);
        mm.insert(stack);
        assertFalse(mm.expandStack(stack, 0xbffeffffL, 0x10000, Mm.NO_LIMIT), "RLIMIT_STACK 64 KB: no page more");
        assertTrue(mm.expandStack(stack, 0xbffef000L, 0x11000, Mm.NO_LIMIT));
        assertEquals(0xbffef000L, stack.start);
        assertFalse(mm.expandStack(stack, 0xbffee000L, Mm.NO_LIMIT, 0x11000), "RLIMIT_AS");
        assertTrue(mm.expandStack(stack, 0xbffee000L, Mm.NO_LIMIT, 0x12000));
        assertTrue(mm.expandStack(stack, 0xbffee800L, 0, 0), "inside the area: nothing to grow");
    }

    // ---- split and merge ----

    @Test
    void mprotectSplitsAndMergesBack() {
        anon(A, 4, RW);
        assertEquals(0, mm.mprotect(A + PG, 2 * PG, Mm.PROT_READ));
        assertEquals("50000000-50001000 rw-;50001000-50003000 r--;50003000-50004000 rw-;", layout());
        assertEquals(0, mm.mprotect(A + PG, PG, RW));
        assertEquals("50000000-50002000 rw-;50002000-50003000 r--;50003000-50004000 rw-;", layout());
        assertEquals(0, mm.mprotect(A + 2 * PG, PG, RW));
        assertEquals("50000000-50004000 rw-;", layout());
        anon(A + 4 * PG, 1, RW);
        assertEquals("50000000-50005000 rw-;", layout(), "an adjacent mapping like it merges");
        anon(A + 5 * PG, 1, Mm.PROT_READ);
        assertEquals(2, mm.vmas().size(), "one with other permissions does not");
    }

    @Test
    void mprotectChangesWhatComesBeforeAHole() {
        anon(A, 1, RW);
        anon(A + 2 * PG, 1, RW);
        assertEquals(-Errno.ENOMEM, mm.mprotect(A, 3 * PG, Mm.PROT_READ));
        assertEquals("50000000-50001000 r--;50002000-50003000 rw-;", layout());
        assertEquals(0, mm.mprotect(A, 0, 0x40), "length 0 first");
        assertEquals(-Errno.EINVAL, mm.mprotect(A, PG, 0x40));
        assertEquals(-Errno.EINVAL, mm.mprotect(A, PG, Mm.PROT_READ | Mm.PROT_GROWSDOWN), "not a stack");
        assertEquals(-Errno.ENOMEM, mm.mprotect(A + PG, PG, Mm.PROT_READ));
    }

    @Test
    void mprotectGrowsdownReachesTheBottomOfTheStack() {
        mm.insert(new Vma(0xbff00000L, 0xc0000000L, Vma.VM_READ | Vma.VM_WRITE | Vma.VM_GROWSDOWN));
        assertEquals(0, mm.mprotect(0xbfff0000L, PG, RW | Mm.PROT_EXEC | Mm.PROT_GROWSDOWN));
        assertEquals("bff00000-bfff1000 rwx [stack];bfff1000-c0000000 rw- [stack];", layout());
    }

    // ---- mremap ----

    @Test
    void mremapMovesPageTableEntriesWithTheirFrames() {
        long b = Layout.TASK_UNMAPPED_BASE;                 // where the moved area lands: the same page table
        anon(b, 2, RW);
        touch(b);
        touch(b + PG);
        int f0 = frameOf(b), f1 = frameOf(b + PG);
        anon(b + 2 * PG, 1, Mm.PROT_READ);                 // in the way
        int free = frames.freeFrames();
        assertEquals(-Errno.ENOMEM, mm.mremap(b, 2 * PG, 4 * PG, 0, 0, Mm.NO_LIMIT));
        long to = mm.mremap(b, 2 * PG, 4 * PG, Mm.MREMAP_MAYMOVE, 0, Mm.NO_LIMIT);
        assertEquals(b + 3 * PG, to);
        assertEquals(f0, frameOf(to));
        assertEquals(f1, frameOf(to + PG));
        assertEquals(0, mm.pgd.pte((int) b), "the old entries are gone");
        assertNull(mm.vmaAt(b));
        assertEquals(free, frames.freeFrames(), "no frame copied, none freed");
        assertEquals("40002000-40003000 r--;40003000-40007000 rw-;", layout());
        mm.destroy();
        assertEquals(freeAtStart, frames.freeFrames());
    }

    @Test
    void aMovedFilePageKeepsItsFileOffset() {
        CountedFile f = new CountedFile(8 * PG);
        mm.mmap(A, 4 * PG, Mm.PROT_READ, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 0, Mm.NO_LIMIT);
        long to = mm.mremap(A + PG, 2 * PG, 3 * PG, Mm.MREMAP_MAYMOVE, 0, Mm.NO_LIMIT);
        assertEquals(Layout.TASK_UNMAPPED_BASE, to);
        assertEquals(2, mm.handleMmFault(mm.findVma(to), to + 2 * PG, false));
        assertEquals(f.data[3 * PG] & 0xff, ram.read8(frameOf(to + 2 * PG)), "page 2 of the moved part: file page 3");
        assertEquals("40000000-40003000 r-- [file];50000000-50001000 r-- [file];50003000-50004000 r-- [file];", layout());
        assertEquals(3, f.refs);
    }

    @Test
    void mremapGrowsInPlaceShrinksAndRefusesToCrossAreas() {
        anon(A, 2, RW);
        assertEquals(A, mm.mremap(A, 2 * PG, 3 * PG, 0, 0, Mm.NO_LIMIT));
        assertEquals("50000000-50003000 rw-;", layout());
        anon(A + 3 * PG, 1, RW);
        assertEquals("50000000-50004000 rw-;", layout(), "merged with the mapping after it");
        assertEquals(0, mm.mprotect(A + PG, PG, Mm.PROT_READ));
        assertEquals(-Errno.EFAULT, mm.mremap(A, 2 * PG, 3 * PG, Mm.MREMAP_MAYMOVE, 0, Mm.NO_LIMIT));
        assertEquals(A, mm.mremap(A, 3 * PG, PG, 0, 0, Mm.NO_LIMIT), "shrinking may cross areas");
        assertEquals("50000000-50001000 rw-;50003000-50004000 rw-;", layout());
        assertEquals(-Errno.EFAULT, mm.mremap(A + PG, PG, 2 * PG, Mm.MREMAP_MAYMOVE, 0, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mremap(A, PG, 0, 0, 0, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mremap(A, 0, PG, Mm.MREMAP_MAYMOVE, 0, Mm.NO_LIMIT), "old length 0 of private memory");
        assertEquals(-Errno.EINVAL, mm.mremap(A, PG, PG, Mm.MREMAP_FIXED, A + 8 * PG, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mremap(A, PG, PG, 8, 0, Mm.NO_LIMIT));
        assertEquals(-Errno.EINVAL, mm.mremap(A, PG, 2 * PG, Mm.MREMAP_MAYMOVE | Mm.MREMAP_DONTUNMAP, 0, Mm.NO_LIMIT));
    }

    @Test
    void mremapFixedReplacesTheTargetAndDontUnmapLeavesAnEmptyArea() {
        anon(A, 1, RW);
        touch(A);
        int f = frameOf(A);
        anon(A + 4 * PG, 2, Mm.PROT_READ);
        touch(A + 4 * PG);
        int free = frames.freeFrames();
        assertEquals(-Errno.EINVAL, mm.mremap(A, PG, 2 * PG, Mm.MREMAP_MAYMOVE | Mm.MREMAP_FIXED, A - PG, Mm.NO_LIMIT),
                "overlapping ranges");
        assertEquals(A + 4 * PG, mm.mremap(A, PG, PG, Mm.MREMAP_MAYMOVE | Mm.MREMAP_FIXED, A + 4 * PG, Mm.NO_LIMIT));
        assertEquals(free + 1, frames.freeFrames(), "the target's page is freed");
        assertEquals(f, frameOf(A + 4 * PG));
        assertEquals("50004000-50005000 rw-;50005000-50006000 r--;", layout());
        assertEquals(A + 8 * PG, mm.mremap(A + 4 * PG, PG, PG, Mm.MREMAP_MAYMOVE | Mm.MREMAP_FIXED | Mm.MREMAP_DONTUNMAP,
                A + 8 * PG, Mm.NO_LIMIT));
        assertEquals(f, frameOf(A + 8 * PG));
        assertNotNull(mm.vmaAt(A + 4 * PG), "DONTUNMAP: the old area stays...");
        assertEquals(0, mm.pgd.pte((int) (A + 4 * PG)), "...without its page, which reads zero again");
    }

    // ---- madvise, brk ----

    @Test
    void madviseDontneedDropsPagesAndHolesAreEnomem() {
        anon(A, 2, RW);
        touch(A);
        int free = frames.freeFrames();
        assertEquals(0, mm.madvise(A, PG, Mm.MADV_DONTNEED));
        assertEquals(free + 1, frames.freeFrames());
        assertEquals(0, mm.pgd.pte((int) A));
        assertEquals(0, mm.madvise(A, 2 * PG, Mm.MADV_WILLNEED));
        assertEquals(-Errno.ENOMEM, mm.madvise(A, 3 * PG, Mm.MADV_NORMAL));
        assertEquals(-Errno.EINVAL, mm.madvise(A + 1, PG, Mm.MADV_NORMAL));
        assertEquals(-Errno.EINVAL, mm.madvise(A, PG, Mm.MADV_REMOVE), "not built: refused rather than ignored");
        assertEquals(-Errno.EPERM, mm.madvise(A, PG, Mm.MADV_HWPOISON));
        assertEquals(0, mm.madvise(A, 0, Mm.MADV_NORMAL));
    }

    @Test
    void forkLeavesOutDontforkAreasAndWipesWipeonforkOnes() {
        anon(A, 3, RW);
        touch(A);
        touch(A + PG);
        touch(A + 2 * PG);
        assertEquals(0, mm.madvise(A, PG, Mm.MADV_DONTFORK));
        assertEquals(0, mm.madvise(A + PG, PG, Mm.MADV_WIPEONFORK));
        assertEquals(3, mm.vmas().size(), "each advice splits the area");
        int free = frames.freeFrames();
        Mm child = mm.fork(PageDirectory.user(master));
        assertNull(child.vmaAt(A), "MADV_DONTFORK: no area in the child");
        assertNotNull(child.vmaAt(A + PG), "MADV_WIPEONFORK: an area...");
        assertEquals(0, child.pgd.pte((int) (A + PG)), "...without the page, which reads zero");
        assertEquals(frameOf(A + 2 * PG), child.pgd.translate((int) (A + 2 * PG)) & Layout.PAGE_MASK, "the rest is shared");
        child.destroy();
        assertEquals(free, frames.freeFrames());
        assertEquals(0, mm.madvise(A, PG, Mm.MADV_DOFORK));
        assertEquals(0, mm.madvise(A + PG, PG, Mm.MADV_KEEPONFORK));
        assertEquals("50000000-50003000 rw-;", layout(), "undone, the areas merge again");
        CountedFile f = new CountedFile(PG);
        mm.mmap(A + 8 * PG, PG, RW, Mm.MAP_PRIVATE | Mm.MAP_FIXED, f, 0, Mm.NO_LIMIT);
        assertEquals(-Errno.EINVAL, mm.madvise(A + 8 * PG, PG, Mm.MADV_WIPEONFORK), "private anonymous memory only");
    }

    @Test
    void aForkThatRunsOutOfMemoryGivesBackWhatItTook() {
        for (int i = 0; i < 3; i++) {                       // three pages, in three page tables
            anon(A + ((long) i << 22), 1, RW);
            touch(A + ((long) i << 22));
        }
        java.util.List<Integer> hog = new java.util.ArrayList<>();
        while (frames.freeFrames() > 2) hog.add(frames.alloc());
        PageDirectory childPgd = PageDirectory.user(master);   // one frame left: one page table
        int free = frames.freeFrames();
        assertNull(mm.fork(childPgd), "no frame for the second page table");
        assertEquals(free + 1, frames.freeFrames(), "the first table and the directory are back");
        assertEquals(1, frames.refCount(frameOf(A)), "the parent's pages are its own again");
        assertEquals(1, mm.handleMmFault(mm.findVma(A), A, true), "a write just makes the page writable again");
        assertEquals(free + 1, frames.freeFrames());
        for (int f : hog) frames.put(f);
    }

    @Test
    void brkEdges() {
        mm.endCode = 0x08049000L;
        mm.startBrk = mm.brk = 0x0804b123L;
        assertEquals(0x0804b123L, mm.brk(0x0804a000L), "below the start of the heap");
        assertEquals(0x0804e000L, mm.brk(0x0804e000L));
        assertEquals(0x0804c000L, mm.findVma(0x0804c000L).start);
        assertEquals(0, mm.munmap(0x0804c000L, 2 * PG));
        assertEquals(0x0804e000L, mm.brk(0x0804c800L), "the heap's pages are gone: no shrinking");
        anon(0x08060000L, 1, Mm.PROT_READ);
        assertEquals(0x0805f000L, mm.brk(0x0805f000L), "up to the page before a mapping");
        assertEquals(0x0805f000L, mm.brk(0x0805f001L), "not into that page");
        assertEquals(0x0804b123L, mm.brk(0x0804b123L));
        assertEquals(0, mm.totalVm() - PG, "only the mapping is left");
    }
}

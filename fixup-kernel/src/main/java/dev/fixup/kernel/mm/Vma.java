package dev.fixup.kernel.mm;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.fs.OpenFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One virtual memory area [start, end) of a task: page aligned, with its permissions and, for
 * ELF segments and mmapped files, the file whose bytes demand paging reads (anonymous memory
 * reads zeros). Addresses are unsigned 32-bit values held in longs; file positions are kept in
 * file coordinates, so an area that moves (mremap) or splits keeps reading the right bytes.
 */
public final class Vma {
    public static final int VM_READ = 0x1, VM_WRITE = 0x2, VM_EXEC = 0x4, VM_SHARED = 0x8, VM_GROWSDOWN = 0x100;
    /** madvise's fork advice: the area is not in a forked child (MADV_DONTFORK), or is there empty (MADV_WIPEONFORK). */
    public static final int VM_DONTCOPY = 0x20000, VM_WIPEONFORK = 0x2000000;
    /** MAP_NORESERVE: the area's pages are not charged against memory when it is made. */
    public static final int VM_NORESERVE = 0x200000;

    /** What a file-backed area reads its pages from. */
    interface Backing {
        /** Reads up to len bytes at file offset off into buf[0..len); the count read (0 at or past the end). */
        int read(long off, byte[] buf, int len);

        /** The file's size now: a page wholly past it cannot be read (SIGBUS for an mmapped file). */
        long size();

        /** Whether a page past the end of the file is an error (mmap) rather than zeros (an ELF bss). */
        boolean busPastEnd();

        /**
         * 0 if the file may be mapped so (shared or private, writable or not), else -errno: EACCES
         * for a file not open for reading, or a shared writable mapping of a file not open for
         * writing; ENODEV for what cannot be mapped at all.
         */
        default int mayMap(boolean shared, boolean write) { return 0; }

        /** One more area refers to the file (fork, split, mremap); {@link #put} drops that reference. */
        default void get() {}

        default void put() {}
    }

    /** The bytes of an executable, read whole by execve. */
    static Backing bytes(byte[] file) { return new ProgramBytes(file); }

    /** An open regular file mapped with mmap. */
    static Backing file(OpenFile f) { return new MappedFile(f); }

    /**
     * An executable's bytes; equal only to itself. equals and hashCode are written out: a record's
     * own are bootstrapped through invokedynamic on first use, which costs every program's start
     * (its first mprotect compares two areas) some tens of milliseconds.
     */
    private record ProgramBytes(byte[] file) implements Backing {
        @Override public boolean equals(Object o) { return o instanceof ProgramBytes p && p.file == file; }
        @Override public int hashCode() { return System.identityHashCode(file); }

        public int read(long off, byte[] buf, int len) {
            if (off >= file.length) return 0;
            int n = (int) Math.min(len, file.length - off);
            System.arraycopy(file, (int) off, buf, 0, n);
            return n;
        }
        public long size() { return file.length; }
        public boolean busPastEnd() { return false; }
    }

    /**
     * A file mapped with mmap: pages are read at fault time, and each area holds a reference to
     * the open file (as a vma holds its struct file), so closing the descriptor leaves the mapping
     * usable; the last area to go drops the reference. Two areas over one open file are equal,
     * which is what lets them merge.
     */
    private record MappedFile(OpenFile f) implements Backing {
        @Override public boolean equals(Object o) { return o instanceof MappedFile m && m.f == f; }
        @Override public int hashCode() { return System.identityHashCode(f); }

        public int read(long off, byte[] buf, int len) {
            try {
                return Math.max(f.readAt(off, buf, len), 0);
            } catch (IOException e) {
                return 0;
            }
        }
        public long size() {
            try {
                return f.size();
            } catch (IOException e) {
                return 0;
            }
        }
        public boolean busPastEnd() { return true; }

        /**
         * Shared file mappings are refused with ENODEV (after the EACCES checks a program may
         * rely on): without a page cache, a shared page could not see the file's later writes,
         * nor could the file see the page's.
         */
        public int mayMap(boolean shared, boolean write) {
            if (shared && write && !f.writable) return -Errno.EACCES;
            if (!f.readable) return -Errno.EACCES;
            if (!f.mappable() || shared) return -Errno.ENODEV;
            return 0;
        }

        public void get() { f.get(); }
        public void put() {
            try {
                f.put();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public long start, end;
    public int flags;
    /** The file behind the area, or null for anonymous memory. */
    public final Backing file;
    /** File offset that corresponds to {@link #start}. */
    public long fileOffset;
    /** File offset where the area's data stops (an ELF segment's p_offset + p_filesz); zeros follow. */
    final long fileLimit;

    public Vma(long start, long end, int flags) { this(start, end, flags, null, 0, 0); }

    Vma(long start, long end, int flags, Backing file, long fileOffset, long fileLimit) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.file = file;
        this.fileOffset = fileOffset;
        this.fileLimit = fileLimit;
    }

    public boolean contains(long a) { return start <= a && a < end; }
    public boolean has(int flag) { return (flags & flag) != 0; }
    long length() { return end - start; }

    /** A second area over the same file: it takes a reference. */
    private Vma sibling(long s, long e, long off) {
        if (file != null) file.get();
        return new Vma(s, e, flags, file, off, fileLimit);
    }

    Vma copy() { return sibling(start, end, fileOffset); }

    /** The same kind of area at another place (mremap moving part of it), its start at file offset off. */
    Vma movedTo(long newStart, long newEnd, long off) { return sibling(newStart, newEnd, off); }

    /** Splits off and returns the part from addr on; this keeps [start, addr). */
    Vma splitAt(long addr) {
        Vma tail = sibling(addr, end, fileOffset + (addr - start));
        end = addr;
        return tail;
    }

    /** The area is gone (munmap, exit): its file reference goes with it. */
    void release() {
        if (file != null) file.put();
    }

    /**
     * Whether next, which starts where this ends, can become part of this area (vma_merge): the
     * same flags and either both anonymous or the same file continuing at the same offset.
     */
    boolean canMergeWith(Vma next) {
        if (end != next.start || flags != next.flags || !Objects.equals(file, next.file)) return false;
        return file == null || fileLimit == next.fileLimit && fileOffset + length() == next.fileOffset;
    }

    /** Whether the page at virtual address page lies wholly past the end of an mmapped file (SIGBUS). */
    boolean pastEndOfFile(long page) {
        if (file == null || !file.busPastEnd()) return false;
        return fileOffset + (page - start) >= file.size();
    }

    /** Fills one page of this area (virtual address page) into buf: file bytes, then zeros. */
    void readPage(long page, byte[] buf) {
        Arrays.fill(buf, (byte) 0);
        if (file == null) return;
        long off = fileOffset + (page - start);
        if (off < 0 || off >= fileLimit) return;
        file.read(off, buf, (int) Math.min(buf.length, fileLimit - off));
    }

    static int protToFlags(int prot) {
        return ((prot & 1) != 0 ? VM_READ : 0) | ((prot & 2) != 0 ? VM_WRITE : 0) | ((prot & 4) != 0 ? VM_EXEC : 0);
    }

    @Override
    public String toString() {
        return String.format("%08x-%08x %c%c%c%s", start, end, has(VM_READ) ? 'r' : '-', has(VM_WRITE) ? 'w' : '-',
                has(VM_EXEC) ? 'x' : '-', has(VM_GROWSDOWN) ? " [stack]" : file != null ? " [file]" : "");
    }
}

package dev.fixup.kernel;

/**
 * One virtual memory area [start, end) of a task: page aligned, with its permissions and, for
 * ELF segments, the file bytes that demand paging reads (anonymous memory reads zeros).
 * Addresses are unsigned 32-bit values held in longs.
 */
public final class Vma {
    public static final int VM_READ = 0x1, VM_WRITE = 0x2, VM_EXEC = 0x4, VM_SHARED = 0x8, VM_GROWSDOWN = 0x100;

    public long start, end;
    public int flags;
    /** File contents behind the area, or null for anonymous memory. */
    final byte[] file;
    /** File offset that corresponds to {@link #start}. */
    long fileOffset;
    /** Virtual address where the file's data stops (an ELF segment's vaddr + filesz); zeros follow. */
    final long fileEnd;

    public Vma(long start, long end, int flags) { this(start, end, flags, null, 0, 0); }

    public Vma(long start, long end, int flags, byte[] file, long fileOffset, long fileEnd) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.file = file;
        this.fileOffset = fileOffset;
        this.fileEnd = fileEnd;
    }

    public boolean contains(long a) { return start <= a && a < end; }
    public boolean has(int flag) { return (flags & flag) != 0; }

    Vma copy() { return new Vma(start, end, flags, file, fileOffset, fileEnd); }

    /** Splits off and returns the part from addr on; this keeps [start, addr). */
    Vma splitAt(long addr) {
        Vma tail = new Vma(addr, end, flags, file, fileOffset + (addr - start), fileEnd);
        end = addr;
        return tail;
    }

    /** Fills one page of this area (virtual address page) into buf: file bytes, then zeros. */
    void readPage(long page, byte[] buf) {
        java.util.Arrays.fill(buf, (byte) 0);
        if (file == null) return;
        for (int i = 0; i < buf.length; i++) {
            long va = page + i;
            if (va >= fileEnd) break;
            long off = fileOffset + (va - start);
            if (off >= 0 && off < file.length) buf[i] = file[(int) off];
        }
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

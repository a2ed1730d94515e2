package dev.fixup.kernel.proc;

import dev.fixup.kernel.Bytes;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.Vma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ELF32 program loader (binfmt_elf without an interpreter). Like Linux it reads only the ELF
 * header and the program headers: section headers may be missing or odd, as in stripped
 * programs. ET_EXEC programs load at their addresses; a static PIE (ET_DYN without PT_INTERP) at
 * {@link #PIE_BASE}; a program that needs a dynamic linker is refused with its interpreter's name.
 */
public final class ProgramLoader {
    private ProgramLoader() {}

    static final int ET_EXEC = 2, ET_DYN = 3, EM_386 = 3;
    public static final int PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
    static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int EHDR_SIZE = 52, PHDR_SIZE = 32, MAX_PHNUM = 65536 / PHDR_SIZE;
    /** Where a static PIE is placed: the address a non-randomized i386 PIE gets from Linux. */
    static final long PIE_BASE = 0x56555000L;

    /** A program that cannot be executed (Linux: ENOEXEC); the message says why. */
    static final class ExecFormatException extends IllegalArgumentException {
        ExecFormatException(String m) { super(m); }
    }

    public record Phdr(int type, long offset, long vaddr, long filesz, long memsz, int flags) {}

    /** What the loader needs of a program: its type, entry, and program headers. */
    public record Program(int type, long entry, long phoff, List<Phdr> phdrs) {
        boolean executableStack() {
            for (Phdr p : phdrs) if (p.type == PT_GNU_STACK) return (p.flags & PF_X) != 0;
            return true;                                     // no PT_GNU_STACK: Linux assumes an executable stack
        }
    }

    private static long u32(byte[] b, long off) { return Integer.toUnsignedLong(Bytes.get32(b, (int) off)); }

    private static int u16(byte[] b, int off) { return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8; }

    /** Checks the headers of a program file; throws ExecFormatException naming what is wrong. */
    public static Program parse(byte[] b) {
        if (b.length < EHDR_SIZE || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
            throw new ExecFormatException("not a valid ELF file: bad magic");
        }
        if (b[4] != 1) throw new ExecFormatException("not a valid ELF file: e_ident[EI_CLASS] " + b[4] + " is not ELFCLASS32");
        if (b[5] != 1) throw new ExecFormatException("not a valid ELF file: e_ident[EI_DATA] " + b[5] + " is not little-endian");
        int type = u16(b, 16), machine = u16(b, 18);
        if (type != ET_EXEC && type != ET_DYN) throw new ExecFormatException("not an executable (e_type " + type + ")");
        if (machine != EM_386) throw new ExecFormatException("not an i386 program (e_machine " + machine + ")");
        long entry = u32(b, 24), phoff = u32(b, 28);
        int phentsize = u16(b, 42), phnum = u16(b, 44);
        if (phentsize != PHDR_SIZE) throw new ExecFormatException("not a valid ELF file: e_phentsize " + phentsize);
        if (phnum == 0 || phnum > MAX_PHNUM) throw new ExecFormatException("not a valid ELF file: e_phnum " + phnum);
        if (phoff + (long) phnum * PHDR_SIZE > b.length) throw new ExecFormatException("not a valid ELF file: e_phoff " + phoff + " past the end of the file");
        List<Phdr> phdrs = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * PHDR_SIZE);
            Phdr p = new Phdr(Bytes.get32(b, o), u32(b, o + 4), u32(b, o + 8), u32(b, o + 16), u32(b, o + 20), Bytes.get32(b, o + 24));
            phdrs.add(p);
            if (p.type == PT_INTERP) throw new ExecFormatException("dynamically linked: it needs the program interpreter "
                    + interpreter(b, p) + ", and Fixup runs static programs only");
            if (p.type != PT_LOAD) continue;
            any = true;
            String at = String.format("segment at %08x", p.vaddr);
            if (p.filesz > p.memsz) throw new ExecFormatException(at + ": p_filesz > p_memsz");
            if (p.offset + p.filesz > b.length) throw new ExecFormatException(at + ": p_offset+p_filesz past the end of the file");
            if (((p.vaddr - p.offset) & (Layout.PAGE_SIZE - 1)) != 0) throw new ExecFormatException(at + ": p_vaddr and p_offset differ modulo the page size");
            long base = type == ET_DYN ? PIE_BASE : 0;
            if (base + p.vaddr + p.memsz > Layout.TASK_SIZE) throw new ExecFormatException(at + " reaches into kernel space");
        }
        if (!any) throw new ExecFormatException("no PT_LOAD segment");
        return new Program(type, entry, phoff, phdrs);
    }

    private static String interpreter(byte[] b, Phdr p) {
        if (p.offset + p.filesz > b.length || p.filesz == 0) return "(unreadable)";
        int n = (int) p.filesz;
        while (n > 0 && b[(int) p.offset + n - 1] == 0) n--;
        return new String(b, (int) p.offset, n, StandardCharsets.UTF_8);
    }

    /** Room the new stack needs below its top: Linux's setup_arg_pages makes the stack area 128 KB at least, plus the strings. */
    private static final long STACK_ROOM = 256 << 10;
    /** How far Linux i386 may move the stack top down when it randomizes it (0x7ff pages). */
    public static final long STACK_RANDOM_RANGE = 0x7ffL << 12;

    /**
     * The top of the initial stack: STACK_TOP, unless segments lie where the stack would be.
     * Linux maps the stack first, at STACK_TOP less a random offset of up to 8 MB, then the
     * segments with MAP_FIXED_NOREPLACE; a program with a segment in the top pages of user space
     * (say at 0xbffff000) thus runs, its stack placed lower, unless the offset happened to be 0.
     * Fixup places the stack at no random offset, so it takes the highest top below every such
     * segment: a placement Linux's randomization could have chosen (within 8 MB of STACK_TOP) or,
     * for segments lower than that, the nearest one like it.
     */
    public static long stackTop(Program prog) {
        long bias = prog.type() == ET_DYN ? PIE_BASE : 0, top = Layout.STACK_TOP;
        for (boolean moved = true; moved; ) {
            moved = false;
            for (Phdr p : prog.phdrs()) {
                if (p.type != PT_LOAD || p.memsz == 0) continue;
                long start = (bias + p.vaddr) & ~(long) (Layout.PAGE_SIZE - 1), end = Layout.pageAlign(bias + p.vaddr + p.memsz);
                if (start < top && end > top - STACK_ROOM) {
                    if (start < STACK_ROOM) throw new ExecFormatException(String.format("segment at %08x leaves no room for the stack", p.vaddr));
                    top = start;
                    moved = true;
                }
            }
        }
        return top;
    }

    /** Maps the segments into mm (pages are read on first touch); returns what the initial stack's auxv describes. */
    static UserStack.ProgramInfo load(Program prog, byte[] bytes, Mm mm) {
        long bias = prog.type() == ET_DYN ? PIE_BASE : 0;
        long brk = 0, endCode = 0, phdr = 0;
        for (Phdr s : prog.phdrs()) {
            if (s.type == PT_PHDR) phdr = bias + s.vaddr;
            if (s.type != PT_LOAD) continue;
            long vaddr = bias + s.vaddr;
            long start = vaddr & ~(long) (Layout.PAGE_SIZE - 1);
            long end = Layout.pageAlign(vaddr + s.memsz);
            int flags = ((s.flags & PF_R) != 0 ? Vma.VM_READ : 0) | ((s.flags & PF_W) != 0 ? Vma.VM_WRITE : 0)
                    | ((s.flags & PF_X) != 0 ? Vma.VM_EXEC : 0);
            if (end > start) mm.mapFile(start, end, flags, bytes, s.offset - (vaddr - start), vaddr + s.filesz);
            if (phdr == 0 && prog.phoff() >= s.offset && prog.phoff() < s.offset + s.filesz) {
                phdr = vaddr + prog.phoff() - s.offset;
            }
            brk = Math.max(brk, vaddr + s.memsz);
            if ((s.flags & PF_X) != 0) endCode = Math.max(endCode, vaddr + s.filesz);
        }
        mm.startBrk = mm.brk = Layout.pageAlign(brk); // the break starts on the page after the last segment, as on Linux
        mm.endCode = endCode;
        return new UserStack.ProgramInfo((int) (bias + prog.entry()), (int) phdr, PHDR_SIZE, prog.phdrs().size());
    }
}

package dev.fixup.kernel;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Segment;

/**
 * The ELF32 static-executable loader (binfmt_elf without an interpreter): checks the file, maps
 * each PT_LOAD segment as a file-backed vma (pages are read on first touch), and sets the break
 * after the highest segment.
 */
final class ProgramLoader {
    private ProgramLoader() {}

    private static final int PT_INTERP = 3;

    /** A program that cannot be executed (Linux: ENOEXEC); the message says why. */
    static final class ExecFormatException extends IllegalArgumentException {
        ExecFormatException(String m) { super(m); }
    }

    static ElfFile parse(byte[] bytes) {
        ElfFile f;
        try {
            f = ElfReader.read(bytes);
        } catch (ElfFormatException e) {
            throw new ExecFormatException("not a valid ELF file: " + e.getMessage());
        }
        if (f.type != Elf.ET_EXEC) throw new ExecFormatException("not an executable (e_type " + f.type + ")");
        if (f.machine != Elf.EM_386) throw new ExecFormatException("not an i386 program (e_machine " + f.machine + ")");
        boolean any = false;
        for (Segment s : f.segments) {
            if (s.type == PT_INTERP) throw new ExecFormatException("dynamically linked programs are not supported");
            if (s.type != Elf.PT_LOAD) continue;
            any = true;
            long end = Layout.u(s.vaddr) + Layout.u(s.memsz);
            if (Layout.u(s.filesz) > Layout.u(s.memsz)) throw new ExecFormatException(String.format("segment at %08x: p_filesz > p_memsz", s.vaddr));
            if (end > Layout.TASK_SIZE) throw new ExecFormatException(String.format("segment at %08x reaches into kernel space", s.vaddr));
            if (Layout.u(s.offset) + Layout.u(s.filesz) > bytes.length) throw new ExecFormatException(String.format("segment at %08x: p_offset+p_filesz past the end of the file", s.vaddr));
            if (((s.vaddr - s.offset) & (Layout.PAGE_SIZE - 1)) != 0) throw new ExecFormatException(String.format("segment at %08x: p_vaddr and p_offset differ modulo the page size", s.vaddr));
        }
        if (!any) throw new ExecFormatException("no PT_LOAD segment");
        return f;
    }

    /** Maps the segments into mm; returns what the initial stack's auxv describes. */
    static UserStack.ProgramInfo load(ElfFile f, byte[] bytes, Mm mm) {
        long brk = 0, endCode = 0;
        int phdr = 0;
        long phoff = phoff(bytes);
        for (Segment s : f.segments) {
            if (s.type != Elf.PT_LOAD) continue;
            long vaddr = Layout.u(s.vaddr);
            long start = vaddr & ~(long) (Layout.PAGE_SIZE - 1);
            long end = Layout.pageAlign(vaddr + Layout.u(s.memsz));
            int flags = ((s.flags & Elf.PF_R) != 0 ? Vma.VM_READ : 0) | ((s.flags & Elf.PF_W) != 0 ? Vma.VM_WRITE : 0)
                    | ((s.flags & Elf.PF_X) != 0 ? Vma.VM_EXEC : 0);
            if (end > start) mm.mapFile(start, end, flags, bytes, Layout.u(s.offset) - (vaddr - start), vaddr + Layout.u(s.filesz));
            if (phoff >= Layout.u(s.offset) && phoff < Layout.u(s.offset) + Layout.u(s.filesz)) {
                phdr = (int) (vaddr + phoff - Layout.u(s.offset));
            }
            brk = Math.max(brk, vaddr + Layout.u(s.memsz));
            if ((s.flags & Elf.PF_X) != 0) endCode = Math.max(endCode, vaddr + Layout.u(s.filesz));
        }
        mm.startBrk = mm.brk = brk;
        mm.endCode = endCode;
        return new UserStack.ProgramInfo(f.entry, phdr, Elf.PHDR_SIZE, f.segments.size());
    }

    private static long phoff(byte[] b) {
        return (b[28] & 0xFFL) | (b[29] & 0xFFL) << 8 | (b[30] & 0xFFL) << 16 | (b[31] & 0xFFL) << 24;
    }
}

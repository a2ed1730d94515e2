package dev.fixup.kernel.proc;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.Layout;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.mm.Mm;
import dev.fixup.kernel.mm.PageDirectory;
import dev.fixup.kernel.mm.Vma;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Making a new program image (fs/exec.c, binfmt_elf, binfmt_script in the small): the argument
 * and environment strings copied from the caller's memory, {@code #!} scripts resolved to their
 * interpreter, the ELF segments mapped into a fresh address space and the initial stack built.
 * Until the new image is complete nothing of the caller changes, so a failing execve returns an
 * error to a caller that goes on running.
 */
public final class Exec {
    /** Linux's limits: one string, and all of them (a quarter of the 8 MB stack limit). */
    static final int MAX_ARG_STRLEN = 32 * Layout.PAGE_SIZE, MAX_ARG_TOTAL = 2 << 20;
    private static final int MAX_SCRIPT_DEPTH = 4, SCRIPT_LINE = 256;

    /** A loaded image ready to be installed in a task. */
    public record Image(Mm mm, int entry, int esp, String comm) {}

    private final Kernel k;
    private final SecureRandom random = new SecureRandom();

    Exec(Kernel k) { this.k = k; }

    /**
     * Builds the image of a program file. Throws ExecFormatException (ENOEXEC) for a file that is
     * not a program we run, and returns null when memory runs out.
     */
    Image load(byte[] file, String path, List<byte[]> argv, List<byte[]> envp) {
        ProgramLoader.Program prog = ProgramLoader.parse(file);
        PageDirectory pgd = PageDirectory.user(k.masterPgd);
        if (pgd == null) return null;
        Mm mm = new Mm(pgd, k.ram, k.frames);
        mm.tlbFlush = k::flushTlb;
        mm.tlbFlushPage = k::flushTlbPage;
        try {
            UserStack.ProgramInfo info = ProgramLoader.load(prog, file, mm);
            byte[] rnd = new byte[16];
            random.nextBytes(rnd);
            UserStack.Image stack = UserStack.build(ProgramLoader.stackTop(prog), path.getBytes(StandardCharsets.UTF_8), argv, envp, info, rnd);
            mm.argStart = stack.argStart();
            mm.argEnd = stack.argEnd();
            if (!installStack(mm, stack, prog.executableStack())) {
                mm.destroy();
                return null;
            }
            return new Image(mm, info.entry(), (int) stack.esp(), Task.shortName(path));
        } catch (RuntimeException e) {
            mm.destroy();
            throw e;
        }
    }

    /** The stack vma and its first pages, written by the kernel before the task runs; false when out of memory. */
    private boolean installStack(Mm mm, UserStack.Image s, boolean exec) {
        long low = s.low() & ~(long) (Layout.PAGE_SIZE - 1);
        mm.insert(new Vma(low, s.top(), Vma.VM_READ | Vma.VM_WRITE | (exec ? Vma.VM_EXEC : 0) | Vma.VM_GROWSDOWN));
        for (long page = low; page < s.top(); page += Layout.PAGE_SIZE) {
            int frame = k.frames.alloc();
            if (frame == -1) return false;
            long from = Math.max(page, s.low());
            k.ram.write(frame + (int) (from - page), s.bytes(), (int) (from - s.low()), (int) (Math.min(page + Layout.PAGE_SIZE, s.top()) - from));
            if (!mm.installPage(page, frame)) return false;
        }
        return true;
    }

    /** The interpreter line of a #! script: {interpreter, optional argument}, or null when file is not a script. */
    static String[] scriptInterpreter(byte[] file) {
        if (file.length < 2 || file[0] != '#' || file[1] != '!') return null;
        int end = 2;
        while (end < file.length && end < SCRIPT_LINE && file[end] != '\n') end++;
        String line = new String(file, 2, end - 2, StandardCharsets.UTF_8).replace('\t', ' ').trim();
        if (line.isEmpty()) return new String[0];
        int sp = line.indexOf(' ');
        if (sp < 0) return new String[] {line};
        return new String[] {line.substring(0, sp), line.substring(sp + 1).trim()};
    }

    /**
     * Resolves #! scripts (up to four levels, as Linux does): the program to load and its
     * argument list. The result is {file bytes, path, argv} or an Integer errno.
     */
    Object resolve(String cwd, String path, List<byte[]> argv) {
        List<byte[]> args = new ArrayList<>(argv);
        String file = path;
        for (int depth = 0; ; depth++) {
            Object bytes = k.fs.readProgram(cwd, file);
            if (bytes instanceof Integer err) return err;
            String[] interp = scriptInterpreter((byte[]) bytes);
            if (interp == null) return new Object[] {bytes, file, args};
            if (interp.length == 0) return -Errno.ENOEXEC;
            if (depth == MAX_SCRIPT_DEPTH) return -Errno.ELOOP;
            // argv becomes: interpreter [argument] script-path original-argv[1..]
            List<byte[]> next = new ArrayList<>();
            next.add(interp[0].getBytes(StandardCharsets.UTF_8));
            if (interp.length > 1 && !interp[1].isEmpty()) next.add(interp[1].getBytes(StandardCharsets.UTF_8));
            next.add(file.getBytes(StandardCharsets.UTF_8));
            if (!args.isEmpty()) next.addAll(args.subList(1, args.size()));
            args = next;
            file = interp[0];
        }
    }

    /** Strings for argv or envp from a NULL-terminated user array; an Integer errno on failure. */
    Object copyStrings(int array, int[] total) {
        List<byte[]> out = new ArrayList<>();
        if (array == 0) return out;                          // Linux accepts NULL as an empty list
        for (int i = 0; ; i++) {
            int[] p = k.uaccess.getUser(4, array + 4 * i);
            if (p[0] != 0) return -Errno.EFAULT;
            if (p[1] == 0) return out;
            Object s = copyString(p[1]);
            if (s instanceof Integer err) return err;
            total[0] += ((byte[]) s).length + 1 + 4;
            if (total[0] > MAX_ARG_TOTAL) return -Errno.E2BIG;
            out.add((byte[]) s);
        }
    }

    /** One string, through strncpy_from_user a bounce buffer at a time: its bytes, or an Integer errno. */
    private Object copyString(int addr) {
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        for (int off = 0; ; off += UserAccess.CHUNK) {
            int r = k.uaccess.strncpyFromUser(addr + off, UserAccess.CHUNK);
            if (r < 0) return r;
            s.write(k.ram.read(Layout.pa(k.uaccess.bounce), r), 0, r);
            if (r < UserAccess.CHUNK) return s.toByteArray();
            if (s.size() >= MAX_ARG_STRLEN) return -Errno.E2BIG;
        }
    }

    public static List<byte[]> bytes(String[] strings) {
        List<byte[]> l = new ArrayList<>();
        for (String s : strings) l.add(s.getBytes(StandardCharsets.UTF_8));
        return l;
    }

    static String show(List<byte[]> l) {
        List<String> s = new ArrayList<>();
        for (byte[] b : l) s.add(new String(b, StandardCharsets.UTF_8));
        return Arrays.toString(s.toArray());
    }
}

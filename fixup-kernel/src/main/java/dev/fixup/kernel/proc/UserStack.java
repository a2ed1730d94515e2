package dev.fixup.kernel.proc;

import dev.fixup.kernel.Layout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The initial stack of a new program, as the Linux ELF loader lays it out below STACK_TOP:
 * <pre>
 *   esp -> argc, argv[0..argc-1], NULL, envp[..], NULL, auxv pairs ..., AT_NULL 0
 *          (16-byte aligned) ... 16 random bytes, "i686", argument strings, environment
 *          strings, the program's file name, 4 zero bytes at the very top
 * </pre>
 */
public final class UserStack {
    public static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
            AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31;

    /** The stack image [low, top), the initial esp (which points at argc), and where the argument strings lie [argStart, argEnd). */
    public record Image(long low, long top, long esp, byte[] bytes, long argStart, long argEnd) {}

    /** What the loader knows about the program. */
    public record ProgramInfo(int entry, int phdr, int phent, int phnum) {}

    private UserStack() {}

    public static Image build(long top, String execfn, String[] argv, String[] envp, ProgramInfo prog, byte[] random16) {
        return build(top, execfn.getBytes(StandardCharsets.UTF_8), Exec.bytes(argv), Exec.bytes(envp), prog, random16);
    }

    /** The same for strings as raw bytes (what execve copied from the caller). */
    public static Image build(long top, byte[] execfn, List<byte[]> argvList, List<byte[]> envpList, ProgramInfo prog, byte[] random16) {
        byte[][] argv = argvList.toArray(new byte[0][]), envp = envpList.toArray(new byte[0][]);
        // The strings end at the top: platform, arguments, environment, file name, a zero word.
        ByteArrayOutputStream high = new ByteArrayOutputStream();
        List<byte[]> blobs = new ArrayList<>();
        blobs.add(cstr("i686".getBytes(StandardCharsets.US_ASCII)));
        for (byte[] a : argv) blobs.add(cstr(a));
        for (byte[] e : envp) blobs.add(cstr(e));
        blobs.add(cstr(execfn));
        blobs.add(new byte[4]);
        long stringsLen = 0;
        for (byte[] b : blobs) stringsLen += b.length;
        long p = top - stringsLen;
        long platform = p;
        long[] argvAddr = new long[argv.length], envAddr = new long[envp.length];
        long a = p + blobs.get(0).length;
        for (int i = 0; i < argv.length; i++) { argvAddr[i] = a; a += blobs.get(1 + i).length; }
        for (int i = 0; i < envp.length; i++) { envAddr[i] = a; a += blobs.get(1 + argv.length + i).length; }
        long argStart = p + blobs.get(0).length, argEnd = argStart;
        for (int i = 0; i < argv.length; i++) argEnd += blobs.get(1 + i).length;
        long execfnAddr = a;
        for (byte[] b : blobs) high.writeBytes(b);

        long randomAddr = (platform - 16) & ~15L;
        long[][] aux = {
                {AT_HWCAP, Layout.u(dev.fixup.cpu.Cpuid.leaf(1)[3])}, {AT_PAGESZ, Layout.PAGE_SIZE}, {AT_CLKTCK, 100}, {AT_PHDR, Layout.u(prog.phdr)},
                {AT_PHENT, prog.phent}, {AT_PHNUM, prog.phnum}, {AT_BASE, 0}, {AT_FLAGS, 0},
                {AT_ENTRY, Layout.u(prog.entry)}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0},
                {AT_SECURE, 0}, {AT_RANDOM, randomAddr}, {AT_EXECFN, execfnAddr}, {AT_PLATFORM, platform},
                {AT_NULL, 0}};
        int words = 1 + argv.length + 1 + envp.length + 1 + 2 * aux.length;
        long esp = (randomAddr - 4L * words) & ~15L;

        int size = (int) (top - esp);
        byte[] img = new byte[size];
        int w = 0;
        w = put(img, w, argv.length);
        for (long x : argvAddr) w = put(img, w, x);
        w = put(img, w, 0);
        for (long x : envAddr) w = put(img, w, x);
        w = put(img, w, 0);
        for (long[] e : aux) { w = put(img, w, e[0]); w = put(img, w, e[1]); }
        System.arraycopy(random16, 0, img, (int) (randomAddr - esp), 16);
        byte[] strings = high.toByteArray();
        System.arraycopy(strings, 0, img, (int) (platform - esp), strings.length);
        return new Image(esp, top, esp, img, argStart, argEnd);
    }

    private static byte[] cstr(byte[] b) {
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    private static int put(byte[] img, int off, long v) {
        for (int i = 0; i < 4; i++) img[off + i] = (byte) (v >> 8 * i);
        return off + 4;
    }
}

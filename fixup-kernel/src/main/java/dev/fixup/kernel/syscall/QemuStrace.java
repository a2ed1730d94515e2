package dev.fixup.kernel.syscall;

import dev.fixup.cpu.Cpu;
import dev.fixup.cpu.UnmappedAddressException;

/**
 * System calls in qemu-user's {@code -strace} format: {@code PID name(args)} as the call starts,
 * then {@code " = result"} when it returns ({@code " = -1 errno=N (text)"} on failure), so that a
 * program's own output interleaves with the lines as it does under qemu-i386. Arguments print as
 * qemu prints them for the calls it knows (decimal counts, hexadecimal pointers, quoted paths,
 * symbolic open and mmap flags); a call without a format here prints its six arguments in decimal,
 * as qemu does for a call it has no format for. exit and exit_group print no result.
 */
public final class QemuStrace {
    /** Argument formats by syscall name: d decimal, x hex (%#x), n pointer or (nil), b NULL or hex, s string, o open flags, m octal mode, P mmap prot, M mmap flags. */
    private static final java.util.Map<String, String> FORMATS = java.util.Map.ofEntries(
            java.util.Map.entry("exit", "d"), java.util.Map.entry("exit_group", "d"),
            java.util.Map.entry("read", "dxd"), java.util.Map.entry("write", "dxd"),
            java.util.Map.entry("readv", "dxd"), java.util.Map.entry("writev", "dxd"),
            java.util.Map.entry("open", "so"), java.util.Map.entry("close", "d"),
            java.util.Map.entry("creat", "sm"), java.util.Map.entry("unlink", "s"), java.util.Map.entry("rmdir", "s"),
            java.util.Map.entry("mkdir", "sm"), java.util.Map.entry("chdir", "s"), java.util.Map.entry("access", "sd"),
            java.util.Map.entry("execve", "sxx"), java.util.Map.entry("waitpid", "dxd"), java.util.Map.entry("wait4", "dxdx"),
            java.util.Map.entry("getpid", ""), java.util.Map.entry("getppid", ""), java.util.Map.entry("getuid", ""),
            java.util.Map.entry("geteuid", ""), java.util.Map.entry("getgid", ""), java.util.Map.entry("getegid", ""),
            java.util.Map.entry("gettid", ""), java.util.Map.entry("fork", ""), java.util.Map.entry("vfork", ""),
            java.util.Map.entry("kill", "dd"), java.util.Map.entry("dup", "d"), java.util.Map.entry("dup2", "dd"),
            java.util.Map.entry("pipe", "x"), java.util.Map.entry("ioctl", "dxx"), java.util.Map.entry("lseek", "ddd"),
            java.util.Map.entry("brk", "b"), java.util.Map.entry("munmap", "xd"), java.util.Map.entry("mprotect", "xdP"),
            java.util.Map.entry("mmap2", "bdPMdd"), java.util.Map.entry("uname", "n"), java.util.Map.entry("nanosleep", "xx"),
            java.util.Map.entry("getcwd", "xd"), java.util.Map.entry("set_thread_area", "x"), java.util.Map.entry("time", "x"));

    private QemuStrace() { }

    /** Thrown when a string argument's page is not present yet: the call is shown after it ran (the kernel faults it in). */
    public static final class NotYetReadable extends RuntimeException {
        NotYetReadable() { super(null, null, false, false); }
    }

    /** "PID name(args)": the start of a line (exit and exit_group end it here); NotYetReadable if a path cannot be read now. */
    public static String call(Cpu cpu, int pid, String name, int[] args) {
        return call(cpu, pid, name, args, true);
    }

    /** As {@link #call(Cpu, int, String, int[])}; with {@code strict} false an unreadable path prints as its address, as qemu prints it. */
    public static String call(Cpu cpu, int pid, String name, int[] args, boolean strict) {
        String fmt = FORMATS.get(name);
        StringBuilder b = new StringBuilder().append(pid).append(' ').append(name).append('(');
        if (fmt == null) {
            for (int i = 0; i < 6; i++) b.append(i > 0 ? "," : "").append(args[i]);
        } else {
            for (int i = 0; i < fmt.length(); i++) b.append(i > 0 ? "," : "").append(arg(cpu, fmt.charAt(i), args[i], strict));
        }
        b.append(')');
        if (name.equals("exit") || name.equals("exit_group")) b.append(System.lineSeparator());
        return b.toString();
    }

    /** " = result" and the end of the line. */
    public static String result(String name, int r) {
        String end = System.lineSeparator();
        if (r < 0 && r >= -4095) return " = -1 errno=" + -r + " (" + strerror(-r) + ")" + end;
        if (name.equals("brk") || name.equals("mmap2") || name.equals("mmap")) return String.format(" = 0x%08x%s", r, end);
        return " = " + r + end;
    }

    private static String arg(Cpu cpu, char kind, int v, boolean strict) {
        switch (kind) {
            case 'x': return v == 0 ? "0" : "0x" + Integer.toHexString(v);
            case 'n': return v == 0 ? "(nil)" : "0x" + Integer.toHexString(v);
            case 'b': return v == 0 ? "NULL" : "0x" + Integer.toHexString(v);
            case 's': return v == 0 ? "NULL" : string(cpu, v, strict);
            case 'o': return openFlags(v);
            case 'm': return "0" + Integer.toOctalString(v);
            case 'P': return protFlags(v);
            case 'M': return mapFlags(v);
            default: return Integer.toString(v);
        }
    }

    /** The guest's NUL-terminated string through the current page tables, or its address when unreadable. */
    private static String string(Cpu cpu, int addr, boolean strict) {
        StringBuilder s = new StringBuilder("\"");
        try {
            for (int i = 0; i < 4096; i++) {
                int c = cpu.readLinear8(addr + i);
                if (c == 0) return s.append('"').toString();
                s.append((char) c);
            }
            return s.append("\"...").toString();
        } catch (UnmappedAddressException e) {
            if (strict) throw new NotYetReadable();
            return "0x" + Integer.toHexString(addr);
        }
    }

    private static String openFlags(int f) {
        String[] access = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
        StringBuilder b = new StringBuilder(access[f & 3]);
        String[] names = {"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_DSYNC", "O_ASYNC",
            "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC"};
        int[] bits = {0100, 0200, 0400, 01000, 02000, 04000, 010000, 020000, 040000, 0100000, 0200000, 0400000, 01000000, 02000000};
        int rest = f & ~3;
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) != 0) { b.append('|').append(names[i]); rest &= ~bits[i]; }
        }
        if (rest != 0) b.append("|0x").append(Integer.toHexString(rest));
        return b.toString();
    }

    private static String protFlags(int p) {
        if (p == 0) return "PROT_NONE";
        return flags(p, new int[] {1, 2, 4}, new String[] {"PROT_READ", "PROT_WRITE", "PROT_EXEC"});
    }

    private static String mapFlags(int f) {
        return flags(f, new int[] {1, 2, 0x10, 0x20, 0x100, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x100000},
                new String[] {"MAP_SHARED", "MAP_PRIVATE", "MAP_FIXED", "MAP_ANONYMOUS", "MAP_GROWSDOWN", "MAP_DENYWRITE",
                    "MAP_EXECUTABLE", "MAP_LOCKED", "MAP_NORESERVE", "MAP_POPULATE", "MAP_NONBLOCK", "MAP_STACK",
                    "MAP_HUGETLB", "MAP_FIXED_NOREPLACE"});
    }

    private static String flags(int v, int[] bits, String[] names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if ((v & bits[i]) != 0) { b.append(b.length() > 0 ? "|" : "").append(names[i]); v &= ~bits[i]; }
        }
        if (v != 0) b.append(b.length() > 0 ? "|" : "").append("0x").append(Integer.toHexString(v));
        return b.toString();
    }

    /** The C library's message for an errno, as qemu prints it. */
    static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 3 -> "No such process";
            case 4 -> "Interrupted system call";
            case 5 -> "Input/output error";
            case 6 -> "No such device or address";
            case 7 -> "Argument list too long";
            case 8 -> "Exec format error";
            case 9 -> "Bad file descriptor";
            case 10 -> "No child processes";
            case 11 -> "Resource temporarily unavailable";
            case 12 -> "Cannot allocate memory";
            case 13 -> "Permission denied";
            case 14 -> "Bad address";
            case 16 -> "Device or resource busy";
            case 17 -> "File exists";
            case 18 -> "Invalid cross-device link";
            case 19 -> "No such device";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            case 22 -> "Invalid argument";
            case 24 -> "Too many open files";
            case 25 -> "Inappropriate ioctl for device";
            case 27 -> "File too large";
            case 28 -> "No space left on device";
            case 29 -> "Illegal seek";
            case 30 -> "Read-only file system";
            case 32 -> "Broken pipe";
            case 33 -> "Numerical argument out of domain";
            case 34 -> "Numerical result out of range";
            case 36 -> "File name too long";
            case 38 -> "Function not implemented";
            case 39 -> "Directory not empty";
            case 40 -> "Too many levels of symbolic links";
            case 61 -> "No data available";
            default -> "Unknown error " + errno;
        };
    }
}

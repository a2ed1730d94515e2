package dev.fixup.kernel.syscall;

import dev.fixup.kernel.Errno;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.PtRegs;
import dev.fixup.kernel.UserAccess;
import dev.fixup.kernel.proc.Scheduler;
import dev.fixup.kernel.proc.Task;

import java.io.IOException;

/**
 * The system-call table (Linux i386 numbers): eax = number, ebx ecx edx esi edi ebp = arguments,
 * the result or -errno back in eax. Each subsystem registers its calls here with a name and an
 * argument format for {@code -d sys}. Every user pointer is touched through
 * {@link UserAccess}, so a bad pointer comes back as -EFAULT by way of the exception table.
 *
 * <p>A call that must wait puts the task to sleep ({@link Scheduler#sleep}) and returns
 * {@link #RESTART}: the task's EIP is rewound to the {@code int $0x80}, and the call is issued
 * again, from the start, when the task wakes.
 */
public final class Syscalls {
    /** -ERESTARTSYS: kernel-internal, never seen by a program. */
    public static final int RESTART = -512;
    public static final int EXIT = 1, EXIT_GROUP = 252;
    /** Debug only (KernelConfig.debugSyscalls): read a user dword with no exception-table entry. */
    static final int FIXUP_UNCHECKED_READ = 1000;
    /** Unit tests only (Kernel.testProbe set): run Java checks inside a syscall of a live task. */
    static final int TEST_PROBE = 1001;
    private static final int TABLE_SIZE = 1002;
    /** Length of int $0x80, by which a rewound syscall's EIP goes back. */
    private static final int INT80_LENGTH = 2;

    /** The saved registers and the six argument registers of one call. */
    public record Args(PtRegs regs, int a, int b, int c, int d, int e, int f) {}

    @FunctionalInterface
    public interface Handler {
        int call(Args x) throws IOException;
    }

    private record Entry(String name, String format, boolean addressResult, Handler handler) {}

    private final Kernel k;
    private final Entry[] table = new Entry[TABLE_SIZE];

    public Syscalls(Kernel k) { this.k = k; }

    /**
     * Registers a call. format has one letter per argument shown in traces: d decimal, x hex,
     * p pointer; a trailing '&gt;' prints the result as a pointer (brk, mmap).
     */
    public void add(int nr, String name, String format, Handler h) {
        if (table[nr] != null) throw new IllegalStateException("syscall " + nr + " registered twice");
        boolean addr = format.endsWith(">");
        table[nr] = new Entry(name, addr ? format.substring(0, format.length() - 1) : format, addr, h);
    }

    /** Runs the syscall saved in regs; entry.S stores the result in the task's saved eax. */
    public int dispatch(PtRegs regs) {
        Task t = k.current;
        int nr = regs.get(PtRegs.ORIG_EAX);
        Args x = new Args(regs, regs.get(PtRegs.EBX), regs.get(PtRegs.ECX), regs.get(PtRegs.EDX),
                regs.get(PtRegs.ESI), regs.get(PtRegs.EDI), regs.get(PtRegs.EBP));
        Entry e = nr >= 0 && nr < TABLE_SIZE ? table[nr] : null;
        boolean trace = k.cfg.tracing(KernelConfig.TraceClass.SYS);
        // Untraced (the common case), a call costs no name, argument array or closure.
        boolean traced = trace || k.cfg.observer != null || k.cfg.tracing(KernelConfig.TraceClass.STRACE)
                || k.cfg.tracing(KernelConfig.TraceClass.PAGE);
        String name = traced ? name(nr, e) : null;
        if (traced) k.tracer.syscallStart(name, new int[] {x.a, x.b, x.c, x.d, x.e, x.f}, t.restarting);
        if (trace && (nr == EXIT || nr == EXIT_GROUP)) k.tracer.sys(format(nr, x, null));
        int r;
        t.restartNoHandler = false;
        try {
            r = e == null ? -Errno.ENOSYS : e.handler.call(x);
        } catch (IOException ex) {
            r = -Errno.EIO;
        } catch (java.nio.file.InvalidPathException ex) {
            // A name whose bytes the host's charset cannot spell (non-ASCII under the C locale): the
            // JVM cannot reach such a host file, so for the guest it does not exist.
            r = -Errno.ENOENT;
        }
        if (r == RESTART) {
            // Sleep, then issue the same call again: back to the int $0x80 with the number in eax.
            regs.set(PtRegs.EIP, regs.eip() - INT80_LENGTH);
            t.restarting = true;
            return nr;
        }
        t.restarting = false;
        t.restart = null;
        int result = r;
        if (traced) k.tracer.syscallEnd(name, r, () -> format(nr, x, result));
        return r;
    }

    private static String name(int nr, Entry e) {
        String known = SyscallNames.of(nr);
        return e != null ? e.name : known != null ? known : "syscall_" + nr;
    }

    /** strace-like: name(args) = result. */
    String format(int nr, Args x, Integer result) {
        Entry e = nr >= 0 && nr < TABLE_SIZE ? table[nr] : null;
        String known = SyscallNames.of(nr);
        String name = e != null ? e.name : known != null ? known : "syscall_" + nr;
        String fmt = e == null ? "ppp" : e.format;
        int[] a = {x.a, x.b, x.c, x.d, x.e, x.f};
        StringBuilder b = new StringBuilder("syscall: ").append(name).append('(');
        for (int i = 0; i < fmt.length(); i++) {
            if (i > 0) b.append(", ");
            b.append(show(fmt.charAt(i), a[i]));
        }
        b.append(") = ");
        if (result == null) b.append('?');
        else if (e != null && e.addressResult && Integer.compareUnsigned(result, -4095) < 0) b.append(show('p', result));
        else b.append(result);
        return b.toString();
    }

    private static String show(char kind, int v) {
        switch (kind) {
            case 'p': return String.format("0x%08x", v);
            case 'x': return "0x" + Integer.toHexString(v);
            default: return Integer.toString(v);
        }
    }

    /** The calls that are not any subsystem's: the debug and test hooks. */
    public void registerDebug() {
        add(FIXUP_UNCHECKED_READ, "fixup_unchecked_read", "p", x -> {
            if (!k.cfg.debugSyscalls) return -Errno.ENOSYS;
            return k.callGuest(k.image.symbol("unchecked_get_user_4"), x.a);
        });
        add(TEST_PROBE, "fixup_test_probe", "", x -> {
            if (k.testProbe == null) return -Errno.ENOSYS;
            k.testProbe.accept(k);
            return 0;
        });
    }
}

package dev.fixup.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** How to run the kernel: memory, traces, the program's standard streams and files, debug options. */
public final class KernelConfig {
    /**
     * The kernel's own log items of {@code -d}. Their names differ from every QEMU log item: QEMU's
     * ({@code int}, {@code exec}, {@code in_asm}, {@code cpu}) are written by the debug tools in QEMU's
     * formats, and {@link #STRACE} and {@link #PAGE} are QEMU's formats written by the kernel.
     */
    public enum TraceClass {
        /** One line per CPU exception: vector, error code, CR2, EIP, CPL. */
        FAULT,
        /** Each exception-table fixup: the faulting instruction and the fixup it resumes at. */
        EXTABLE,
        /** Each oops: its first line (the whole text is in the kernel log). */
        OOPS,
        /** fork and exit. */
        SCHED,
        /** What exec made (entry, stack, vmas) and do_page_fault's decision for each page fault. */
        MM,
        /** Each system call in the kernel's own format: name(args) = result. */
        SYS,
        /** Hardware and software interrupts other than CPU exceptions. */
        IRQ,
        /** System calls in qemu-user's -strace format: PID name(args) = result. */
        STRACE,
        /** QEMU's page dump: the address space of each exec'd program and its layout fields. */
        PAGE
    }

    /** How user pointers are checked: by the MMU and the exception table, or by the seed's older verify_area. */
    public enum UaccessMode { EXTABLE, VERIFY }

    /** Linux's low memory: the most RAM the kernel maps at PAGE_OFFSET beside its own pages. */
    public static final int MAX_RAM = 896 << 20;

    /** Guest RAM; the host allocates it as the guest first touches it. */
    public int ramBytes = defaultRamBytes();

    /**
     * All the RAM the kernel can map, or less when the Java heap could not hold that much beside
     * the JVM's own objects (see {@link #heapRoomForRam}).
     */
    public static int defaultRamBytes() {
        return (int) Math.min(MAX_RAM, heapRoomForRam());
    }

    /** The guest RAM this JVM's heap can hold: the maximum heap less a reserve for everything else, in 4 MB steps. */
    public static long heapRoomForRam() {
        long max = Runtime.getRuntime().maxMemory();
        long room = max == Long.MAX_VALUE ? Long.MAX_VALUE : max - Math.min(256L << 20, max / 2);
        return room & ~((4L << 20) - 1);
    }
    public Set<TraceClass> trace = EnumSet.noneOf(TraceClass.class);
    /** Where trace lines go. */
    public PrintStream traceOut = System.err;
    /** The kernel log (printk: oops text, "VM: killing process"). */
    public PrintStream klog = System.err;
    public InputStream stdin = System.in;
    public PrintStream stdout = System.out;
    public PrintStream stderr = System.err;
    /** Host directory that is the guest's file system root; null for the host's own /. */
    public Path root;
    /** Host directory the first program starts in (null: Fixup's own working directory). */
    public Path workingDir;
    /** Host path of the program run first, for /proc/self/exe (null: unknown). */
    public String programPath;
    /** Enables syscall 1000, an unchecked kernel read of a user pointer (the oops demonstration). */
    public boolean debugSyscalls;
    /** Halt the machine on an oops instead of killing the task. */
    public boolean panicOnOops;
    public UaccessMode uaccess = UaccessMode.EXTABLE;
    /** Stop a program after this many guest instructions (SIGKILL); 0 = no limit. */
    public long maxInstructions;
    /** Starts of a block of guest code before it is translated to JVM bytecode; 0 interprets only; -1 the CPU's default. */
    public int translateThreshold = -1;

    /** The program's standard streams are a terminal: the tty ioctls answer (TCGETS, TIOCGWINSZ, ...). */
    public boolean interactive;
    /**
     * Reads of stdin may block (it is a terminal, a pipe or a FIFO, not a regular file): a host
     * thread does them so that the machine's other tasks and timers go on meanwhile.
     */
    public boolean stdinMayBlock;
    /**
     * stdin is the host terminal and Fixup may drive it (with {@link #interactive} and
     * {@link #stdinMayBlock}): raw mode while a program runs, the guest's termios carried out in
     * Java, Ctrl-C as SIGINT for the guest's foreground process group. Only for Fixup's own
     * descriptor 0, never for a stream a test or an embedding passes.
     */
    public boolean hostTerminal;

    /** Told of faults, fixups, oopses and syscalls as they happen (the web view); null: nobody. */
    public KernelObserver observer;

    public boolean tracing(TraceClass c) { return trace.contains(c); }
}

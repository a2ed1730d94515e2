package dev.fixup.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** How to run the kernel: memory, traces, the program's standard streams and files, debug options. */
public final class KernelConfig {
    /** Trace classes of {@code -d}. */
    public enum TraceClass { FAULT, EXTABLE, SYSCALL, INT, EXEC, SCHED }

    /** How user pointers are checked: by the MMU and the exception table, or by the seed's older verify_area. */
    public enum UaccessMode { EXTABLE, VERIFY }

    public int ramBytes = 64 << 20;
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

    public boolean tracing(TraceClass c) { return trace.contains(c); }
}

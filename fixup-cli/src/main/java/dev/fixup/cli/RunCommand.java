package dev.fixup.cli;

import dev.fixup.debug.GdbStub;
import dev.fixup.debug.LogItem;
import dev.fixup.debug.web.Session;
import dev.fixup.debug.web.WebView;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfWriter;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.KernelView;
import dev.fixup.kernel.KernelConfig.UaccessMode;
import dev.fixup.kernel.KernelImage;
import dev.fixup.link.LinkException;
import dev.fixup.link.Linker;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code fixup run}: boot the kernel and run one Linux i386 static executable on it, like
 * {@code qemu-i386}: the program's standard streams pass through and its exit status is ours.
 *
 * <p>Its picocli model is built by {@link #commandSpec}, not read from annotations: picocli's
 * reflective model of this command (annotation parsing, one proxy class per annotation type)
 * cost more CPU than booting the kernel, on every run.
 */
final class RunCommand implements Callable<Integer> {
    static final String NAME = "run";
    CommandSpec spec;

    List<String> traceClasses = new ArrayList<>();
    Path traceFile;
    boolean strace;
    Path klogFile;
    Path root;
    boolean debugSyscalls;
    boolean panicOnOops;
    String uaccess = "extable";
    String ram;
    long maxInstructions;
    Integer translate;
    List<Path> modules = new ArrayList<>();
    Path dumpKernel;
    List<String> setEnv = new ArrayList<>();
    List<String> unsetEnv = new ArrayList<>();
    String argv0;
    String selftest;
    Path program;
    Integer gdbPort;
    boolean gdbWait;
    Integer webPort;
    List<String> args = new ArrayList<>();

    /**
     * The command's model: options and parameters with picocli's built-in type converters and
     * messages. Options end at PROGRAM: whatever follows belongs to the guest, "-D FILE" and "--"
     * included, as for qemu-user (picocli otherwise takes options anywhere on the line).
     */
    static CommandSpec commandSpec() {
        CommandSpec s = CommandSpec.wrapWithoutInspection(new RunCommand());
        ((RunCommand) s.userObject()).spec = s;
        s.name(NAME).version(Main.VERSION);
        s.usageMessage().description("Run a Linux i386 static executable (or a .S file, assembled and linked on the fly) on the Fixup kernel.");
        s.parser().stopAtPositional(true);
        Main.addStandardHelpOptions(s);
        s.addOption(option(List.class, "ITEMS", "Log items, comma separated: QEMU's int, in_asm, exec, cpu, page, strace and Fixup's fault, extable, oops, mm, sched, sys, irq ('-d help' describes them).", "-d")
                .splitRegex(",").auxiliaryTypes(String.class).build());
        s.addOption(option(Path.class, "FILE", "Write the logs to FILE instead of stderr.", "-D").build());
        s.addOption(option(boolean.class, null, "Same as -d strace: system calls in qemu-user's format.", "-strace").build());
        s.addOption(option(Path.class, "FILE", "Write the kernel log to FILE instead of stderr.", "--klog").build());
        s.addOption(option(Path.class, "DIR", "Host directory served as the guest file system.", "--root").build());
        s.addOption(option(boolean.class, null, "Enable syscall 1000: an unchecked kernel read of a user pointer (the oops demonstration).", "--debug-syscalls").build());
        s.addOption(option(boolean.class, null, "Halt the machine on an oops instead of killing the task.", "--panic-on-oops").build());
        s.addOption(option(String.class, "MODE", "extable (the table, default) or verify (check the vmas before every access, the old verify_area design).", "--uaccess").build());
        s.addOption(option(String.class, "SIZE", "Guest RAM: megabytes, or a size with K, M or G (default 896M, or what the Java heap can hold; 4M to 896M). Allocated as the guest touches it.", "--ram").build());
        s.addOption(option(long.class, "N", "Kill the program with SIGKILL after N instructions (0: no limit).", "--max-insns").build());
        s.addOption(option(Integer.class, "N", "Translate a block of guest code to JVM bytecode once it has started N times (default 1024; 0: interpret every instruction).", "--translate").build());
        s.addOption(option(List.class, "FILE.o", "Load a kernel module (an ELF32 relocatable object, or a .S file assembled first) before the program; repeatable.", "--module")
                .auxiliaryTypes(Path.class).build());
        s.addOption(option(Path.class, "FILE", "Also write the kernel image (vmlinux) that is booted.", "--dump-kernel").build());
        s.addOption(option(List.class, "VAR=VALUE", "Set VAR in the program's environment (repeatable).", "-E").auxiliaryTypes(String.class).build());
        s.addOption(option(List.class, "VAR", "Remove VAR from the program's environment (repeatable).", "-U").auxiliaryTypes(String.class).build());
        s.addOption(option(String.class, "ARGV0", "The program's argv[0] (default: PROGRAM as given).", "-0").build());
        s.addOption(option(String.class, "NAME", "Run an in-kernel self-test instead of a program: usercopy (the user-access routines; one PASS/FAIL line per case, status 1 on any FAIL).", "--selftest").build());
        s.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("PROGRAM").type(Path.class)
                .description("ELF32 static executable, or an assembly source (.S/.s).").build());
        s.addOption(option(Integer.class, "PORT", "Serve the gdb remote protocol on localhost:PORT (gdb: target remote :PORT).", "-g").build());
        s.addOption(option(boolean.class, null, "With -g: wait for gdb and stop before the first instruction.", "-S").build());
        s.addOption(option(Integer.class, "PORT", "Serve the live web view on localhost:PORT (registers, tasks, page tables, faults, the exception table); it stays up after the program ends, until Ctrl-C.", "--web").build());
        s.addPositional(PositionalParamSpec.builder().index("1..*").arity("0..*").paramLabel("ARG").type(List.class).auxiliaryTypes(String.class)
                .description("Arguments for the program.").build());
        return s;
    }

    private static OptionSpec.Builder option(Class<?> type, String label, String description, String name) {
        OptionSpec.Builder b = OptionSpec.builder(name).type(type).description(description);
        if (type == boolean.class) b.initialValue(false);
        if (type == long.class) b.initialValue(0L);
        return label == null ? b : b.paramLabel(label);
    }

    /** The parsed command line into this command's fields (what picocli's annotations did). */
    void takeOptions() {
        traceClasses = listValue("-d");
        traceFile = value("-D");
        strace = value("-strace");
        klogFile = value("--klog");
        root = value("--root");
        debugSyscalls = value("--debug-syscalls");
        panicOnOops = value("--panic-on-oops");
        String mode = value("--uaccess");
        if (mode != null) uaccess = mode;
        ram = value("--ram");
        maxInstructions = value("--max-insns");
        translate = value("--translate");
        modules = listValue("--module");
        dumpKernel = value("--dump-kernel");
        setEnv = listValue("-E");
        unsetEnv = listValue("-U");
        argv0 = value("-0");
        selftest = value("--selftest");
        gdbPort = value("-g");
        gdbWait = value("-S");
        webPort = value("--web");
        program = spec.positionalParameters().get(0).getValue();
        List<String> rest = spec.positionalParameters().get(1).getValue();
        args = rest == null ? new ArrayList<>() : rest;
    }

    private <T> T value(String option) { return spec.findOption(option).getValue(); }

    private <T> List<T> listValue(String option) {
        List<T> v = value(option);
        return v == null ? new ArrayList<>() : v;
    }

    @Override public Integer call() {
        takeOptions();
        if (traceClasses.stream().anyMatch(c -> c.trim().equals("help"))) {
            spec.commandLine().getOut().print(LogItem.help());
            spec.commandLine().getOut().flush();
            return 0;
        }
        dev.fixup.kernel.PhaseClock.mark("command line");
        KernelConfig cfg = new KernelConfig();
        logItems = logItems();
        cfg.trace = LogItem.kernelClasses(logItems);
        cfg.uaccess = uaccessMode();
        cfg.root = root;
        cfg.interactive = System.console() != null;
        cfg.stdin = new java.io.FileInputStream(java.io.FileDescriptor.in);   // unbuffered: no read-ahead past what the guest asked for
        cfg.stdinMayBlock = !stdinIsRegularFile();
        cfg.hostTerminal = cfg.interactive;
        cfg.debugSyscalls = debugSyscalls;
        cfg.panicOnOops = panicOnOops;
        if (ram != null) cfg.ramBytes = fitsHeap(ram, ramBytes(ram), KernelConfig.heapRoomForRam());
        cfg.maxInstructions = maxInstructions;
        if (translate != null) {
            if (translate < 0) throw new ToolException("--translate must be >= 0");
            cfg.translateThreshold = translate;
        }
        if (selftest != null && program != null) throw new ToolException("--selftest runs no PROGRAM");
        if (selftest == null && program == null) throw new ToolException("missing PROGRAM (or --selftest NAME)");
        byte[] elf = program == null ? null : loadProgram(program, spec.commandLine().getErr());
        KernelImage image = KernelCommand.buildKernel();
        dev.fixup.kernel.PhaseClock.mark("kernel image");
        if (dumpKernel != null) ToolFiles.write(dumpKernel, image.bytes);
        try (PrintStream trace = open(traceFile); PrintStream klog = open(klogFile)) {
            if (trace != null) cfg.traceOut = trace;
            if (klog != null) cfg.klog = klog;
            if (selftest != null) return Kernel.selfTest(cfg, image, selftest);
            cfg.programPath = program.toAbsolutePath().toString();
            return runProgram(cfg, image, elf, guestArgv());
        } catch (Kernel.KernelPanic e) {
            return 128 + 9;   // the machine stopped; the panic text is already in the kernel log
        } catch (IllegalArgumentException | dev.fixup.cpu.HostMemoryExhausted e) {
            throw new ToolException((program == null ? "--selftest" : program) + ": " + e.getMessage());
        } finally {
            System.out.flush();
        }
    }

    /** argv for the guest: -0 or PROGRAM, then the arguments, each with the bytes the host gave Fixup. */
    private List<byte[]> guestArgv() {
        List<String> typed = new ArrayList<>();
        if (argv0 == null) typed.add(program.toString());
        typed.addAll(args);
        List<byte[]> argv = new ArrayList<>(HostStrings.commandLineTail(typed));
        if (argv0 != null) argv.add(0, HostStrings.optionValue(argv0));
        return argv;
    }

    /** The guest's environment with the host's bytes: the host's, then -U and -E. */
    private List<byte[]> guestEnvironment() {
        List<String> set = new ArrayList<>(), unset = new ArrayList<>();
        for (String e : setEnv) set.add(HostStrings.latin1(e));
        for (String u : unsetEnv) unset.add(HostStrings.latin1(u));
        return HostStrings.bytesOfLatin1(environment(HostStrings.environmentLatin1(), set, unset));
    }

    /** Whether descriptor 0 is a regular file (reads never block, so no reader thread is needed). */
    private static boolean stdinIsRegularFile() {
        try {
            return java.nio.file.Files.isRegularFile(Path.of("/proc/self/fd/0"));
        } catch (SecurityException e) {
            return false;
        }
    }

    /**
     * Fixup's SIGINT goes to the guest's foreground process group, as qemu-user delivers it to
     * its guest: a program that catches it goes on, one that does not dies and Fixup exits 130.
     * (Ctrl-C typed on a terminal Fixup drives never reaches Fixup: the terminal is in raw mode
     * and the guest's line discipline turns it into SIGINT.)
     */
    private static void forwardInterrupts(Kernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> kernel.interruptFromHost());
        } catch (IllegalArgumentException e) {
            // the JVM keeps SIGINT (-Xrs): it ends Fixup as before
        }
    }

    static final long MAX_RAM = KernelConfig.MAX_RAM, MIN_RAM = 4L << 20;

    /** An explicit --ram the Java heap ({@code room} bytes for guest RAM) cannot hold is refused before the run, not midway. */
    static int fitsHeap(String text, int bytes, long room) {
        if (bytes > room) {
            throw new ToolException("--ram: " + text + " is more than the " + (room >> 20) + "M of guest RAM this Java heap can hold (give the JVM more, e.g. JAVA_TOOL_OPTIONS=-Xmx2g)");
        }
        return bytes;
    }

    /** --ram: a number of megabytes, or a number with a K, M or G suffix (powers of 1024), checked before anything is allocated. */
    static int ramBytes(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,12})([KkMmGg]?)").matcher(text.trim());
        if (!m.matches()) throw new ToolException("--ram: '" + text + "' is not a size (megabytes, or a number with K, M or G)");
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "G" -> 30;
            default -> 20;
        };
        if (n > (MAX_RAM >> shift) || n << shift > MAX_RAM) {
            throw new ToolException("--ram: " + text + " is more than the " + (MAX_RAM >> 20) + "M of RAM the kernel can map");
        }
        long bytes = n << shift;
        if (bytes < MIN_RAM) throw new ToolException("--ram: " + text + " is less than the " + (MIN_RAM >> 20) + "M the kernel needs");
        if ((bytes & 0xfff) != 0) throw new ToolException("--ram: " + text + " is not a whole number of 4K pages");
        return (int) bytes;
    }

    /** --module: loads before the first program; a module the kernel refuses stops the run with the kernel's reason. */
    private static void loadModule(Kernel kernel, Path file) {
        byte[] bytes = ToolFiles.read(file);
        if (file.toString().endsWith(".S")) {
            try {
                bytes = dev.fixup.asm.Assembler.assembleToBytes(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            } catch (dev.fixup.asm.AsmException e) {
                throw new ToolException(e.getMessage());
            }
        }
        try {
            kernel.modules().load(bytes, "", file.getFileName().toString());
        } catch (dev.fixup.kernel.module.ModuleLoader.ModuleException e) {
            throw new ToolException(file + ": " + e.getMessage());
        }
    }

    /** Kernel.run, with qemu's -d int lines and the gdb stub (-g) when asked for. */
    private int runProgram(KernelConfig cfg, KernelImage image, byte[] elf, List<byte[]> argv) {
        if (gdbWait && gdbPort == null) throw new ToolException("-S needs -g PORT");
        if (webPort != null && gdbPort != null) throw new ToolException("--web and -g cannot be used together (both drive the CPU's debugger)");
        WebView web = null;
        Session session = null;
        if (webPort != null) {
            try {
                web = WebView.start(webPort, List.of(), null);
            } catch (IllegalStateException e) {
                throw new ToolException(e.getMessage());
            }
            session = web.newSession(program.getFileName().toString());
            session.configure(cfg);
        }
        Kernel kernel = Kernel.boot(cfg, image);
        dev.fixup.kernel.PhaseClock.mark("boot");
        for (Path m : modules) loadModule(kernel, m);
        LogItem.installCpuLogs(kernel.cpu(), logItems, cfg.traceOut, new KernelView(kernel)::symbol);
        forwardInterrupts(kernel);
        if (web != null) return runWithWebView(web, session, kernel, cfg, elf, argv);
        if (gdbPort == null) return kernel.exec(elf, argv, guestEnvironment());
        GdbStub stub;
        try {
            stub = GdbStub.listen(kernel.cpu(), gdbPort);
        } catch (IllegalStateException e) {
            throw new ToolException(e.getMessage());
        }
        try (stub) {
            spec.commandLine().getErr().println("fixup: gdb stub on localhost:" + stub.port() + (gdbWait ? ", waiting for gdb" : ""));
            spec.commandLine().getErr().flush();
            if (gdbWait) stub.awaitDebugger();
            int status = kernel.exec(elf, argv, guestEnvironment());
            stub.exited(status);
            return status;
        } catch (GdbStub.Killed e) {
            return 128 + 9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 128 + 2;
        }
    }

    /** The program under the web view; the view stays up after it ends (until the user interrupts fixup). */
    private int runWithWebView(WebView web, Session session, Kernel kernel, KernelConfig cfg, byte[] elf, List<byte[]> argv) {
        session.attach(kernel, cfg);
        PrintWriter err = spec.commandLine().getErr();
        err.println("fixup: web view at " + web.url());
        err.flush();
        Integer status = null;
        try {
            status = kernel.exec(elf, argv, guestEnvironment());
        } finally {
            session.exited(status);
        }
        err.println("fixup: " + program + " exited with status " + status + "; the web view stays at " + web.url() + " (Ctrl-C to quit)");
        err.flush();
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        web.close();
        return status;
    }

    private Set<LogItem> logItems = EnumSet.noneOf(LogItem.class);

    private EnumSet<LogItem> logItems() {
        try {
            EnumSet<LogItem> set = LogItem.parse(traceClasses);
            if (strace) set.add(LogItem.STRACE);
            return set;
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        }
    }

    private UaccessMode uaccessMode() {
        return switch (uaccess) {
            case "extable" -> UaccessMode.EXTABLE;
            case "verify" -> UaccessMode.VERIFY;
            default -> throw new ToolException("unknown --uaccess mode '" + uaccess + "' (extable or verify)");
        };
    }

    /**
     * The program's environment as qemu-user builds it: the host's, in the host's order, then
     * each -U removes a variable and each -E sets one (replacing it in place, or at the end).
     */
    static String[] environment(List<String> host, List<String> set, List<String> unset) {
        List<String> env = new ArrayList<>(host);
        for (String var : unset) {
            if (var.isEmpty() || var.indexOf('=') >= 0) throw new ToolException("-U wants a variable name, got '" + var + "'");
            env.removeIf(e -> e.startsWith(var + "=") || e.equals(var));
        }
        for (String def : set) {
            int eq = def.indexOf('=');
            if (eq <= 0) throw new ToolException("-E wants VAR=VALUE, got '" + def + "'");
            String name = def.substring(0, eq + 1);
            int at = -1;
            for (int i = 0; i < env.size(); i++) if (env.get(i).startsWith(name)) at = i;
            if (at >= 0) env.set(at, def); else env.add(def);
        }
        return env.toArray(String[]::new);
    }

    /** Fixup's own environment in its original order (/proc/self/environ on Linux; the map's order elsewhere). */
    static List<String> hostEnvironment() {
        List<String> env = new ArrayList<>();
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(Path.of("/proc/self/environ"));
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] != 0) continue;
                if (i > start) env.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                start = i + 1;
            }
            if (!env.isEmpty()) return env;
        } catch (java.io.IOException | SecurityException e) {
            // not Linux: fall back to the JVM's map
        }
        System.getenv().forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    /** An executable as is; an assembly source assembled and linked with the default user layout. */
    static byte[] loadProgram(Path program) {
        return loadProgram(program, new PrintWriter(System.err, true));
    }

    static byte[] loadProgram(Path program, PrintWriter err) {
        String name = program.getFileName().toString();
        if (!name.endsWith(".S") && !name.endsWith(".s")) return ToolFiles.read(program);
        ElfFile object = AsCommand.assemble(program, err);
        try {
            return new Linker().add(name.replaceAll("\\.[sS]$", ".o"), object).link().bytes();
        } catch (LinkException e) {
            throw LdCommand.failure(e);
        }
    }

    private static PrintStream open(Path p) {
        if (p == null) return null;
        try {
            return new PrintStream(new FileOutputStream(p.toFile()), true);
        } catch (FileNotFoundException e) {
            throw new ToolException("cannot write '" + p + "': " + e.getMessage());
        }
    }
}

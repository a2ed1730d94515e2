package dev.fixup.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fixup} command: binutils-style tools and the machine, as subcommands. */
@Command(name = "fixup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The Linux i386 exception table, end to end: assembler, linker, objdump, machine and kernel.")
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(AsCommand.class, LdCommand.class, ObjdumpCommand.class,
            RunCommand.class, WebCommand.class, KernelCommand.class, DifftestCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.err); }

    public static void main(String[] args) {
        if (isVersionOnly(args)) {
            // picocli's model of even the top-level command costs more than the JVM's own start
            System.out.println(VERSION);
            System.exit(0);
        }
        Preload.start(args.length > 0 ? args[0] : null);
        System.exit(execute(args));
    }

    /** A command line that asks for nothing but the version text: answered without picocli, the same text picocli prints. */
    static boolean isVersionOnly(String[] args) {
        return args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]));
    }

    /** The version line every tool prints for -V/--version. */
    static final String VERSION = "fixup 0.1.0";

    /** Supplies {@link #VERSION} to the commands that let picocli print it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {VERSION}; }
    }

    /**
     * Runs one command line and returns its exit status; every tool reports errors through
     * {@link ToolException}, and whatever else escapes (errors included) is an {@link InternalErrorHandler}.
     */
    public static int execute(String... args) {
        return execute(commandLine(args.length > 0 ? args[0] : null), args);
    }

    /** {@link #execute(String...)} on a command line whose out and err a test has redirected. */
    static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (Throwable t) {
            return InternalErrorHandler.report(toolName(args), t, cli.getErr());
        }
    }

    /** The subcommand a command line names, for messages raised before picocli knows it. */
    private static String toolName(String[] args) {
        for (String a : args) if (!a.startsWith("-")) return a;
        return "fixup";
    }

    /** The command line with every subcommand and its error handler installed; tests redirect its out and err. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for a run whose first word is {@code first}: when that names a subcommand,
     * only that one is modelled, since picocli's reflective model of each subcommand is most of
     * the start-up cost of a short run; none for the version text; otherwise (help, a typo) all of them.
     */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(new Main());
        boolean versionOnly = "--version".equals(first) || "-V".equals(first);
        Class<?> only = SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).findFirst().orElse(null);
        for (Class<?> c : SUBCOMMANDS) if (!versionOnly && (only == null || c == only)) cli.addSubcommand(c);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String tool = cmd.getCommandName();
            if (ex instanceof ToolException te) {
                for (String line : te.lines()) cmd.getErr().println(line.startsWith(tool + ":") || te.raw() ? line : "fixup " + tool + ": " + line);
                return te.status();
            }
            return InternalErrorHandler.report(tool, ex, cmd.getErr());
        });
        return cli;
    }
}

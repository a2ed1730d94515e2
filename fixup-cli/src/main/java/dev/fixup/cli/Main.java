package dev.fixup.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fixup} command: binutils-style tools and the machine, as subcommands. */
@Command(name = "fixup", mixinStandardHelpOptions = true, version = "fixup 0.1.0",
        description = "The Linux i386 exception table, end to end: assembler, linker, objdump, machine and kernel.")
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(AsCommand.class, LdCommand.class, ObjdumpCommand.class,
            RunCommand.class, WebCommand.class, KernelCommand.class, DifftestCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.err); }

    public static void main(String[] args) {
        Preload.start(args.length > 0 ? args[0] : null);
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit status; every tool reports errors through {@link ToolException}. */
    public static int execute(String... args) {
        return commandLine(args.length > 0 ? args[0] : null).execute(args);
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
            cmd.getErr().println("fixup " + tool + ": internal error: " + ex);
            return 70;
        });
        return cli;
    }
}

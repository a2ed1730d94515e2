package dev.fixup.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fixup} command: binutils-style tools and the machine, as subcommands. */
@Command(name = "fixup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = Main.DESCRIPTION)
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
        dev.fixup.kernel.PhaseClock.mark("main");
        Preload.start(args.length > 0 ? args[0] : null);
        int status = execute(args);
        dev.fixup.kernel.PhaseClock.mark("exit");
        System.exit(status);
    }

    /** A command line that asks for nothing but the version text: answered without picocli, the same text picocli prints. */
    static boolean isVersionOnly(String[] args) {
        return args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]));
    }

    static final String DESCRIPTION = "The Linux i386 exception table, end to end: assembler, linker, objdump, machine and kernel.";

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
        CommandLine cli = commandLine(args.length > 0 ? args[0] : null);
        dev.fixup.kernel.PhaseClock.mark("picocli model");
        return execute(cli, args);
    }

    /** {@link #execute(String...)} on a command line whose out and err a test has redirected. */
    static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (Throwable t) {
            return InternalErrorHandler.report(toolName(args), t, cli.getErr());
        }
    }

    /** A subcommand's name: RunCommand's model is built by hand, the others' read from their annotation. */
    private static String name(Class<?> c) {
        return c == RunCommand.class ? RunCommand.NAME : c.getAnnotation(Command.class).name();
    }

    /** This command's model as its annotation declares it, built without reflection (for {@code run}). */
    private static CommandLine.Model.CommandSpec topLevelSpec() {
        Main main = new Main();
        CommandLine.Model.CommandSpec s = CommandLine.Model.CommandSpec.wrapWithoutInspection(main);
        main.spec = s;
        s.name("fixup").version(VERSION);
        s.usageMessage().description(DESCRIPTION);
        addStandardHelpOptions(s);
        return s;
    }

    /** -h/--help and -V/--version as picocli's mixinStandardHelpOptions declares them (same names, texts, order). */
    static void addStandardHelpOptions(CommandLine.Model.CommandSpec s) {
        s.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class).initialValue(false)
                .descriptionKey("mixinStandardHelpOptions.help").description("Show this help message and exit.").build());
        s.addOption(CommandLine.Model.OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class).initialValue(false)
                .descriptionKey("mixinStandardHelpOptions.version").description("Print version information and exit.").build());
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
     * the start-up cost of a short run; for {@code run}, nothing is modelled by reflection (see
     * {@link RunCommand#commandSpec}); none for the version text; otherwise (help, a typo) all of them.
     */
    static CommandLine commandLine(String first) {
        CommandLine cli;
        if (RunCommand.NAME.equals(first)) {
            cli = new CommandLine(topLevelSpec());
            cli.addSubcommand(RunCommand.NAME, new CommandLine(RunCommand.commandSpec()));
        } else {
            cli = new CommandLine(new Main());
            boolean versionOnly = "--version".equals(first) || "-V".equals(first);
            Class<?> only = SUBCOMMANDS.stream().filter(c -> name(c).equals(first)).findFirst().orElse(null);
            for (Class<?> c : SUBCOMMANDS) {
                if (versionOnly || only != null && c != only) continue;
                if (c == RunCommand.class) cli.addSubcommand(RunCommand.NAME, new CommandLine(RunCommand.commandSpec()));
                else cli.addSubcommand(c);
            }
        }
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

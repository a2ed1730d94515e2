package dev.fixup.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fixup} command: binutils-style tools and the machine, as subcommands. */
@Command(name = "fixup", mixinStandardHelpOptions = true, version = "fixup 0.1.0",
        description = "The Linux i386 exception table, end to end: assembler, linker, objdump, machine and kernel.",
        subcommands = {AsCommand.class, LdCommand.class, ObjdumpCommand.class, RunCommand.class, WebCommand.class, KernelCommand.class, DifftestCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.err); }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit status; every tool reports errors through {@link ToolException}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its error handler installed; tests redirect its out and err. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
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

package dev.fixup.cli;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.asm.SourceInput;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fixup as}: GNU as compatible AT&T assembler producing an ELF32 relocatable object. Takes the
 * command line gcc gives GNU as ({@code as -v --gdwarf-5 --32 -o X.o X.s}).
 */
@Command(name = "as", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Assemble AT&T-syntax i386 sources (GNU as dialect) into an ELF32 object.")
final class AsCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "OBJFILE", description = "Output file (default: a.out, as GNU as).") Path output;
    @Option(names = "--32", description = "Accepted for GNU as compatibility (always 32-bit).") boolean ignored32;
    @Option(names = "-I", paramLabel = "DIR", description = "Add DIR to the directories searched by .include.") List<Path> includeDirs = new ArrayList<>();
    @Option(names = "--defsym", paramLabel = "SYM=VAL", description = "Define SYM to the value of the expression VAL.") List<String> defsyms = new ArrayList<>();
    @Option(names = {"-g", "--gen-debug", "--gdwarf-5", "--gdwarf-4", "--gdwarf-3", "--gdwarf-2"},
            description = "DWARF 5 line information for the assembly source (where it has no .loc of its own).") boolean debug;
    @Option(names = "-v", description = "Print the assembler's version on stderr and go on, as GNU as does.") boolean version;
    @Option(names = "--noexecstack", description = "Accepted for GNU as compatibility (the objects never ask for an executable stack).") boolean noExecStack;
    @Parameters(paramLabel = "FILE", description = "Source files, assembled as one source; - or none: standard input.") List<String> sources = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (version) {
            err.println("Fixup assembler (GNU as compatible, i386) 0.1.0");
            err.flush();
        }
        Assembler assembler = new Assembler().includeDirs(includeDirs).debugLines(debug);
        for (String d : defsyms) {
            int eq = d.indexOf('=');
            if (eq <= 0) throw new ToolException(List.of("Assembler messages:", "Fatal error: bad defsym; format is --defsym name=value"), true, 1);
            assembler.defsym(d.substring(0, eq), d.substring(eq + 1));
        }
        List<SourceInput> inputs = new ArrayList<>();
        for (String s : sources.isEmpty() ? List.of("-") : sources) inputs.add(read(s, System.in));
        ElfFile object = assemble(assembler, inputs, err);
        ToolFiles.write(output != null ? output : Path.of("a.out"), ElfWriter.write(object));
        return 0;
    }

    private static SourceInput read(String name, InputStream stdin) {
        try {
            return name.equals("-") ? SourceInput.read(SourceInput.STDIN_NAME, stdin) : SourceInput.read(Path.of(name));
        } catch (IOException e) {
            throw new ToolException(List.of("Assembler messages:", "Error: " + e.getMessage()), true, 1);
        }
    }

    private static final Pattern LOCATED = Pattern.compile("^(.*?):\\d+: ");

    /** The line GNU as prints before the diagnostics: it names the file of the first one. */
    private static String messagesHeader(List<String> diagnostics, String fallback) {
        Matcher m = LOCATED.matcher(diagnostics.isEmpty() ? "" : diagnostics.get(0));
        return (m.find() ? m.group(1) : fallback) + ": Assembler messages:";
    }

    /**
     * Assembles one file; warnings go to {@code err} and errors come out in GNU as's own format
     * ("file:line: error: ..."). Shared with {@code run FILE.S}.
     */
    static ElfFile assemble(Path source, PrintWriter err) {
        return assemble(new Assembler(), List.of(read(source.toString(), InputStream.nullInputStream())), err);
    }

    private static ElfFile assemble(Assembler assembler, List<SourceInput> inputs, PrintWriter err) {
        String first = inputs.get(0).name();
        try {
            ElfFile object = assembler.run(inputs);
            if (!assembler.warnings().isEmpty()) {
                err.println(messagesHeader(assembler.warnings(), first));
                assembler.warnings().forEach(err::println);
                err.flush();
            }
            return object;
        } catch (AsmException e) {
            List<String> lines = new ArrayList<>();
            lines.add(messagesHeader(e.diagnostics(), first));
            lines.addAll(e.diagnostics());
            throw new ToolException(lines, true, 1);
        }
    }
}

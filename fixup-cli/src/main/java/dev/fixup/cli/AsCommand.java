package dev.fixup.cli;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fixup as}: GNU as compatible AT&T assembler producing an ELF32 relocatable object. */
@Command(name = "as", mixinStandardHelpOptions = true,
        description = "Assemble an AT&T-syntax i386 source file (GNU as dialect) into an ELF32 object.")
final class AsCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "OBJFILE", description = "Output file (default: a.out, as GNU as).") Path output;
    @Option(names = "--32", description = "Accepted for GNU as compatibility (always 32-bit).") boolean ignored32;
    @Parameters(paramLabel = "FILE", description = "Source file.") Path source;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        ElfFile object = assemble(source, spec.commandLine().getErr());
        Files.write(output != null ? output : Path.of("a.out"), ElfWriter.write(object));
        return 0;
    }

    /** The line GNU as prints before a file's diagnostics. */
    private static String messagesHeader(Path source) {
        return source + ": Assembler messages:";
    }

    /**
     * Assembles one file; warnings go to {@code err} and errors come out in GNU as's own format
     * ("file:line: error: ..."). Shared with {@code run FILE.S}.
     */
    static ElfFile assemble(Path source, PrintWriter err) {
        Assembler assembler = new Assembler();
        try {
            ElfFile object = assembler.run(source.toString(), Files.readText(source));
            if (!assembler.warnings().isEmpty()) {
                err.println(messagesHeader(source));
                assembler.warnings().forEach(err::println);
                err.flush();
            }
            return object;
        } catch (AsmException e) {
            List<String> lines = new ArrayList<>();
            lines.add(messagesHeader(source));
            lines.addAll(e.diagnostics());
            throw new ToolException(lines, true, 1);
        }
    }
}

package dev.fixup.cli;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fixup as}: GNU as compatible AT&T assembler producing an ELF32 relocatable object. */
@Command(name = "as", mixinStandardHelpOptions = true,
        description = "Assemble an AT&T-syntax i386 source file (GNU as dialect) into an ELF32 object.")
final class AsCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "OBJFILE", description = "Output file (default: a.out, as GNU as).") Path output;
    @Option(names = "--32", description = "Accepted for GNU as compatibility (always 32-bit).") boolean ignored32;
    @Parameters(paramLabel = "FILE", description = "Source file.") Path source;

    @Override public Integer call() {
        ElfFile object = assemble(source);
        Files.write(output != null ? output : Path.of("a.out"), ElfWriter.write(object));
        return 0;
    }

    /** Assembles one file; diagnostics come out in GNU as's own format. Shared with {@code run FILE.S}. */
    static ElfFile assemble(Path source) {
        try {
            return Assembler.assemble(source.toString(), Files.readText(source));
        } catch (AsmException e) {
            throw new ToolException(e.diagnostics(), true, 1);
        }
    }
}

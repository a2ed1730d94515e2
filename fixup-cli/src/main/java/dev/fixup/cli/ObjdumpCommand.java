package dev.fixup.cli;

import dev.fixup.elf.ElfFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fixup objdump}: GNU objdump's views of an ELF32 file, plus the exception table. */
@Command(name = "objdump", versionProvider = Main.Version.class,
        description = "Display information from ELF32 i386 object files and executables.")
final class ObjdumpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = {"-h", "--section-headers"}, description = "Display the section headers.") boolean headers;
    @Option(names = {"-t", "--syms"}, description = "Display the symbol table.") boolean syms;
    @Option(names = {"-r", "--reloc"}, description = "Display the relocation entries.") boolean relocs;
    @Option(names = {"-s", "--full-contents"}, description = "Display the full contents of sections.") boolean contents;
    @Option(names = {"-d", "--disassemble"}, description = "Disassemble the executable sections.") boolean disassemble;
    @Option(names = {"-j", "--section"}, description = "Only this section (repeatable).") List<String> only;
    @Option(names = "--extable", description = "Decode __ex_table: each entry symbolized, and whether the table is sorted.") boolean extable;
    @Option(names = "--extable-format", paramLabel = "FORMAT", description = "The table's format: 2.4 (8-byte absolute), relative (12-byte, Linux 4.6+) or auto (default: by relocations and size).") String extableFormat = "auto";
    @Option(names = "--extable-check", description = "With --extable: report entries outside executable sections, an unsorted table and duplicates (exit status 1 if any).") boolean extableCheck;
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.") boolean versionWanted;
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.") boolean help;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "ELF files.") List<Path> files;

    @Override public Integer call() {
        extable |= extableCheck;
        ExTablePrinter.Format format = ExTablePrinter.Format.parse(extableFormat);
        int problems = 0;
        if (!(headers || syms || relocs || contents || disassemble || extable))
            throw new ToolException("one of -h -t -r -s -d --extable is required");
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : files) {
            ElfFile elf = Files.readElf(p);
            ObjdumpPrinter printer = new ObjdumpPrinter(elf, out, only);
            out.printf("%n%s:     file format elf32-i386%n%n", p);
            if (headers) printer.sectionHeaders();
            if (syms) printer.symbolTable();
            if (disassemble) printer.disassembly(relocs);
            else if (relocs) printer.relocations();
            if (contents) printer.contents();
            if (extable) problems += new ExTablePrinter(elf, out, format, extableCheck).print();
        }
        out.flush();
        return problems == 0 ? 0 : 1;
    }
}

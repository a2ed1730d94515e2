package dev.fixup.cli;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ExTable;
import dev.fixup.elf.dwarf.DwarfFormatException;
import dev.fixup.elf.dwarf.SourceLines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
    @Option(names = {"-a", "--archive-headers"}, description = "Display the archive header (for a plain file: its name).") boolean archiveHeaders;
    @Option(names = {"-f", "--file-headers"}, description = "Display the file header.") boolean fileHeader;
    @Option(names = {"-p", "--private-headers"}, description = "Display the program headers.") boolean privateHeaders;
    @Option(names = {"-x", "--all-headers"}, description = "Display all headers: -a -f -p -h -r -t.") boolean allHeaders;
    @Option(names = {"-h", "--section-headers", "--headers"}, description = "Display the section headers.") boolean headers;
    @Option(names = {"-t", "--syms"}, description = "Display the symbol table.") boolean syms;
    @Option(names = {"-r", "--reloc"}, description = "Display the relocation entries.") boolean relocs;
    @Option(names = {"-s", "--full-contents"}, description = "Display the full contents of sections.") boolean contents;
    @Option(names = {"-d", "--disassemble"}, description = "Disassemble the executable sections.") boolean disassemble;
    @Option(names = {"-D", "--disassemble-all"}, description = "Disassemble every section with contents, data as instructions.") boolean disassembleAll;
    @Option(names = {"-S", "--source"}, description = "Disassemble, with the source lines of each instruction (implies -d).") boolean withSource;
    @Option(names = {"-l", "--line-numbers"}, description = "With -d: the function name and file:line of the instructions, from the DWARF line table.") boolean lineNumbers;
    @Option(names = {"-z", "--disassemble-zeroes"}, description = "Do not skip runs of zero bytes when disassembling.") boolean zeroes;
    @Option(names = {"-M", "--disassembler-options"}, paramLabel = "OPT", split = ",",
            description = "intel or att (the default): the syntax; i386 is accepted.") List<String> disassemblerOptions = new ArrayList<>();
    @Option(names = "--start-address", paramLabel = "ADDR", description = "Only from this address on (-d, -D, -s).") String startAddress;
    @Option(names = "--stop-address", paramLabel = "ADDR", description = "Only below this address (-d, -D, -s).") String stopAddress;
    @Option(names = {"-j", "--section"}, description = "Only this section (repeatable).") List<String> only;
    @Option(names = "--extable", description = "Decode __ex_table: each entry symbolized, and whether the table is sorted.") boolean extable;
    @Option(names = "--extable-format", paramLabel = "FORMAT", description = "The table's format: 2.4 (8-byte absolute), relative (12-byte, Linux 4.6+) or auto (default: by relocations and size).") String extableFormat = "auto";
    @Option(names = "--extable-check", description = "With --extable: report entries outside executable sections, an unsorted table and duplicates (exit status 1 if any).") boolean extableCheck;
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.") boolean versionWanted;
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.") boolean help;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "ELF files.") List<Path> files;

    @Override public Integer call() {
        extable |= extableCheck;
        if (allHeaders) archiveHeaders = fileHeader = privateHeaders = headers = relocs = syms = true;
        disassemble |= disassembleAll | withSource;
        ExTable.Format format = ExTablePrinter.parseFormat(extableFormat);
        boolean intel = intelSyntax();
        Long start = address("--start-address", startAddress), stop = address("--stop-address", stopAddress);
        if (!(archiveHeaders || fileHeader || privateHeaders || headers || syms || relocs || contents || disassemble || extable))
            throw new ToolException("one of -a -f -p -x -h -t -r -s -d -D -S --extable is required");
        // not picocli's writer itself: it flushes at every line end, a system call per line of a listing
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), false);
        try {
            return dump(out, format, intel, start, stop);
        } finally {
            out.flush();
        }
    }

    private int dump(PrintWriter out, ExTable.Format format, boolean intel, Long start, Long stop) {
        int problems = 0;
        var options = new DisassemblyPrinter.Options(disassembleAll, relocs, intel, zeroes, start, stop);
        var source = new SourceAnnotator(out, lineNumbers, withSource);
        for (Path p : files) {
            ElfFile elf = ToolFiles.readElf(p);
            ObjdumpPrinter printer = new ObjdumpPrinter(elf, out, only);
            out.printf("%n%s:     file format elf32-i386%n", p);
            if (archiveHeaders) out.println(p);
            if (fileHeader) printer.fileHeader();
            if (privateHeaders) printer.privateHeaders();
            out.println();
            if (headers) printer.sectionHeaders();
            if (syms) printer.symbolTable();
            if (relocs && !disassemble) printer.relocations();
            if (contents) printer.contents(start, stop);
            if (disassemble) {
                if (source.active()) source.file(elf, lineInfo(p, elf));
                printer.disassembly(options, source);
            }
            if (extable) problems += new ExTablePrinter(elf, out, format, extableCheck).print();
        }
        return problems == 0 ? 0 : 1;
    }

    /** The file's DWARF line information, or null without it; malformed DWARF is an error naming the field. */
    private static SourceLines lineInfo(Path p, ElfFile elf) {
        try {
            return SourceLines.of(elf);
        } catch (DwarfFormatException e) {
            throw new ToolException(p + ": " + e.getMessage());
        }
    }

    private boolean intelSyntax() {
        boolean intel = false;
        for (String o : disassemblerOptions) {
            switch (o.trim()) {
                case "intel", "intel-mnemonic" -> intel = true;
                case "att", "att-mnemonic" -> intel = false;
                case "i386", "" -> { }
                default -> throw new ToolException("unrecognised disassembler option: " + o
                        + " (Fixup knows intel, att and i386)");
            }
        }
        return intel;
    }

    /** An address as objdump reads it (bfd_scan_vma, base 0): 0x hexadecimal, 0 octal, else decimal. */
    static Long address(String option, String text) {
        if (text == null) return null;
        String t = text.trim();
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) v = Long.parseUnsignedLong(t.substring(2), 16);
            else if (t.length() > 1 && t.startsWith("0")) v = Long.parseUnsignedLong(t.substring(1), 8);
            else v = Long.parseUnsignedLong(t);
            if (v < 0 || v > 0xffffffffL) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ToolException(option + ": '" + text + "' is not a 32-bit address");
        }
    }
}

package dev.fixup.cli;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.dwarf.SourceLines;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code objdump -l} and {@code -S} print before an instruction: under -l the function's name
 * when it changes and {@code file:line} when the line (or its discriminator) changes; under -S the
 * source lines up to the instruction's line, with up to five lines of context before it but never a
 * line of that file already printed. The state runs on across sections and starts again with each file.
 */
final class SourceAnnotator {
    /** How many lines before the first quoted one objdump shows as context. */
    private static final int CONTEXT_LINES = 5;

    private final PrintWriter out;
    private final boolean lineNumbers, source;
    private final Map<String, SourceFile> files = new HashMap<>();
    private ElfFile elf;
    private SourceLines dwarf;
    private FunctionSymbolSearch symbols;
    private String previousFunction;
    private long previousLine;
    private int previousDiscriminator;

    SourceAnnotator(PrintWriter out, boolean lineNumbers, boolean source) {
        this.out = out;
        this.lineNumbers = lineNumbers;
        this.source = source;
    }

    boolean active() { return lineNumbers || source; }

    /** The file whose code comes next, and its line information (null when it has no DWARF). */
    void file(ElfFile elf, SourceLines dwarf) {
        this.elf = elf;
        this.dwarf = dwarf;
        this.symbols = new FunctionSymbolSearch(elf);
        files.clear();
        previousFunction = null;
        previousLine = 0;
        previousDiscriminator = 0;
    }

    /** Annotates the code at offset in section, whose address is address (the offset again in a relocatable object). */
    void show(int section, int offset, int address) {
        if (!active()) return;
        String file = null, function = null;
        int line = 0, discriminator = 0;
        SourceLines.Location at = dwarf == null ? null : dwarf.locate(section, elf.type == Elf.ET_REL ? offset : address);
        if (at != null) {
            file = at.file();
            line = at.line();
            discriminator = at.discriminator();
            function = at.function();
        }
        if (function == null) function = symbols.find(section, offset);
        if (at == null && function == null) return;
        if (file != null && file.isEmpty()) file = null;
        if (function != null && function.isEmpty()) function = null;
        boolean newFunction = function != null && !function.equals(previousFunction);
        if (lineNumbers) {
            if (newFunction) {
                out.append(function).append("():").append(System.lineSeparator());
                previousLine = -1;
            }
            if (line > 0 && (line != previousLine || discriminator != previousDiscriminator)) {
                String name = file == null ? "???" : file;
                out.append(name).append(':').append(Integer.toString(line));
                if (discriminator > 0) out.append(" (discriminator ").append(Integer.toString(discriminator)).append(')');
                out.append(System.lineSeparator());
            }
        }
        if (source && file != null && line > 0) quote(file, line);
        if (newFunction) previousFunction = function;
        if (line > 0) previousLine = line;
        previousDiscriminator = discriminator;
    }

    private void quote(String path, int line) {
        SourceFile f = files.computeIfAbsent(path, SourceFile::open);
        if (f == null || line == f.lastLine) return;
        int from = line - CONTEXT_LINES < 1 ? 1 : line - CONTEXT_LINES;
        if (f.maxPrinted >= from) from = f.maxPrinted < line ? f.maxPrinted + 1 : line;
        for (int n = from; n <= line; n++) {
            String text = f.line(n);
            if (text != null) out.println(text);
        }
        f.maxPrinted = Math.max(f.maxPrinted, line);
        f.lastLine = line;
    }
}

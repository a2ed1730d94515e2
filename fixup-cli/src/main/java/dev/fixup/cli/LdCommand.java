package dev.fixup.cli;

import dev.fixup.link.LinkException;
import dev.fixup.link.Linker;
import dev.fixup.link.LinkerScript;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fixup ld}: link ELF32 relocatable objects into an executable, with an optional linker script. */
@Command(name = "ld", mixinStandardHelpOptions = true,
        description = "Link ELF32 i386 objects (ours, GNU as's, gcc -m32 -c's) into a static executable.")
final class LdCommand implements Callable<Integer> {
    @Option(names = "-o", paramLabel = "OUTPUT", description = "Output file (default: a.out).") Path output;
    @Option(names = {"-T", "--script"}, paramLabel = "SCRIPT", description = "Linker script (default: user program layout at 0x08048000).") Path script;
    @Option(names = {"-e", "--entry"}, paramLabel = "SYMBOL", description = "Entry point symbol.") String entry;
    @Option(names = "-m", paramLabel = "EMULATION", description = "Accepted for GNU ld compatibility (elf_i386 only).") String emulation;
    @Option(names = "-static", description = "Accepted for GNU ld compatibility (always static).") boolean isStatic;
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Object files.") List<Path> inputs;

    @Override public Integer call() {
        if (emulation != null && !emulation.equals("elf_i386"))
            throw new ToolException("unrecognised emulation mode: " + emulation + " (only elf_i386)");
        try {
            Linker linker = new Linker();
            for (Path p : inputs) linker.add(p.toString(), Files.read(p));
            if (script != null) linker.script(LinkerScript.parse(script.toString(), Files.readText(script)));
            if (entry != null) linker.entry(entry);
            Files.writeExecutable(output != null ? output : Path.of("a.out"), linker.link().bytes());
            return 0;
        } catch (LinkException e) {
            throw failure(e);
        }
    }

    /** The linker's errors (one line each, naming symbol and section) become the tool's. */
    static ToolException failure(LinkException e) {
        return new ToolException(e.errors(), false, 1);
    }
}

package dev.fixup.cli;

import dev.fixup.elf.ArArchive;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.link.LinkException;
import dev.fixup.link.LinkResult;
import dev.fixup.link.Linker;
import dev.fixup.link.LinkerScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code fixup ld}: link ELF32 relocatable objects and archives into a static executable (or, with
 * {@code -r}, into one relocatable object), taking GNU ld's command line as gcc's collect2 passes it.
 */
@Command(name = "ld", description = "Link ELF32 i386 objects and ar archives into a static executable (GNU ld's options).")
final class LdCommand implements Callable<Integer> {
    @Unmatched List<String> args = new ArrayList<>();
    @Spec CommandSpec spec;

    static final String USAGE = """
            Usage: fixup ld [options] file...
              -o FILE               output file (default a.out)
              -T FILE, --script=FILE  linker script (default: static i386 user program at 0x08048000)
              -e SYM, --entry=SYM   entry point
              -u SYM                start with SYM undefined (pulls the archive member defining it)
              -L DIR, -lNAME        search DIR for libNAME.a (static archives only)
              --start-group ... --end-group, -( ... -)   search the archives in between repeatedly
              -Ttext=ADDR -Tdata=ADDR -Tbss=ADDR --section-start=SEC=ADDR -Ttext-segment=ADDR
              --defsym SYM=EXPR     define a symbol from a script expression
              -Map FILE             write a link map
              --gc-sections         drop sections nothing reachable refers to
              -r                    partial link into a relocatable object
              -m elf_i386, -static, --build-id, -plugin..., --hash-style, --as-needed, -z ...: accepted as GNU ld does for a static link
            """;

    @Override public Integer call() {
        LdArguments a = LdArguments.parse(args);
        if (a.help) { spec.commandLine().getOut().print(USAGE); return 0; }
        if (a.version) {
            spec.commandLine().getOut().println("fixup ld 0.1.0 (GNU ld compatible command line, elf_i386)");
            if (a.inputs.isEmpty()) return 0;
        }
        if (a.emulation != null && !a.emulation.equals("elf_i386"))
            throw new ToolException(List.of("unrecognised emulation mode: " + a.emulation, "Supported emulations: elf_i386"), false, 1);
        if (a.inputs.stream().noneMatch(i -> i instanceof LdArguments.FileInput || i instanceof LdArguments.Library))
            throw new ToolException("no input files");
        for (String w : a.warnings) warn(w);
        try {
            Linker linker = new Linker();
            for (LdArguments.Input in : a.inputs) {
                if (in instanceof LdArguments.GroupStart) linker.startGroup();
                else if (in instanceof LdArguments.GroupEnd) linker.endGroup();
                else if (in instanceof LdArguments.FileInput f) addFile(linker, Path.of(f.path()));
                else addFile(linker, findLibrary(((LdArguments.Library) in).name(), a.libraryPath));
            }
            if (a.script != null) linker.script(LinkerScript.parse(a.script, LdInputs.script(Path.of(a.script))));
            if (a.entry != null) linker.entry(a.entry);
            for (String u : a.undefined) linker.undefined(u);
            for (Map.Entry<String, String> d : a.defsyms.entrySet()) linker.defsym(d.getKey(), d.getValue());
            for (Map.Entry<String, String> s : a.sectionStarts.entrySet())
                linker.sectionStart(s.getKey(), LdArguments.address("--section-start " + s.getKey(), s.getValue()));
            linker.gcSections(a.gcSections).buildId(a.buildId);
            if (a.textSegment != null) linker.textSegment(LdArguments.address("-Ttext-segment", a.textSegment));
            Path out = Path.of(a.output);
            if (a.relocatable) {
                ToolFiles.write(out, linker.linkRelocatable());
                return 0;
            }
            LinkResult r = linker.link();
            for (String w : r.warnings()) warn(w);
            ToolFiles.writeExecutable(out, r.bytes());
            if (a.map != null) ToolFiles.write(Path.of(a.map), r.map().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return 0;
        } catch (LinkException e) {
            throw failure(e);
        }
    }

    private void warn(String w) {
        spec.commandLine().getErr().println("fixup ld: warning: " + w);
    }

    private static void addFile(Linker linker, Path p) throws LinkException {
        byte[] bytes = LdInputs.object(p);
        if (!ArArchive.isArchive(bytes)) {
            linker.add(p.toString(), bytes);
            return;
        }
        Path dir = p.toAbsolutePath().getParent();
        try {
            linker.addArchive(p.toString(), ArArchive.read(bytes, member -> thinMember(dir, member)));
        } catch (ElfFormatException e) {
            throw new LinkException(p + ": " + e.getMessage());
        }
    }

    /** A thin archive's member, named relative to the archive's directory (or absolute). */
    private static byte[] thinMember(Path dir, String name) throws ElfFormatException {
        try {
            return LdInputs.object(dir.resolve(name));
        } catch (ToolException e) {
            throw new ElfFormatException("thin archive member: " + e.getMessage());
        }
    }

    /** -lNAME: libNAME.a in the first -L directory that has it (every -L counts, wherever it stands); -l:FILE: FILE. */
    static Path findLibrary(String name, List<String> dirs) {
        String file = name.startsWith(":") ? name.substring(1) : "lib" + name + ".a";
        for (String d : dirs) {
            Path p = Path.of(d).resolve(file);
            if (java.nio.file.Files.isRegularFile(p)) return p;
        }
        throw new ToolException("cannot find -l" + name + ": No such file or directory");
    }

    /** The linker's errors (one line each, naming symbol and section) become the tool's. */
    static ToolException failure(LinkException e) {
        return new ToolException(e.errors(), false, 1);
    }
}

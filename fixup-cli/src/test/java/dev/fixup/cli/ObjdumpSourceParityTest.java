package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.elf.ElfReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixup objdump -d -l}, {@code -S} and {@code -d -S -l} print, byte for byte, what GNU
 * objdump prints: on every C file of the repository compiled by {@code gcc -m32 -g} at -O0 and
 * -O2 (DWARF 5, and DWARF 2, 3 and 4 for some), on gcc's -g assembly assembled by Fixup (so our own
 * .debug_line is read), on assembly sources assembled by {@code fixup as -g} and
 * {@code --gdwarf-5}, on an object whose source file is gone, and on the kernel image. Skips
 * without gcc or objdump.
 */
class ObjdumpSourceParityTest {
    @TempDir Path dir;

    private static final List<List<String>> VIEWS = List.of(List.of("-d", "-l"), List.of("-S"), List.of("-d", "-S", "-l"));

    @Test void objectsCompiledWithDebugInformationAnnotateAsGnuObjdumpDoes() throws Exception {
        Oracle.require("objdump");
        Oracle.require("gcc");
        List<Path> files = new ArrayList<>();
        for (Path c : cSources()) {
            for (String opt : List.of("-O0", "-O2")) {
                Path o = compile(c, opt, "-g");
                if (o != null) files.add(o);
            }
        }
        for (String name : List.of("sort", "crc32", "printf")) {
            Path c = Examples.example("c/" + name + ".c");
            for (String dwarf : List.of("-gdwarf-2", "-gdwarf-3", "-gdwarf-4")) files.add(compiled(c, "-O2", dwarf));
            files.add(compiled(c, "-O3", "-g"));
        }
        assertTrue(files.size() >= 30, "the C examples compiled: " + files.size());
        compare(files);
    }

    @Test void fixupAssembledObjectsCarryLineInformationGnuObjdumpReadsTheSame() throws Exception {
        Oracle.require("objdump");
        List<Path> files = new ArrayList<>();
        if (Oracle.onPath("gcc")) {
            for (String name : List.of("sort", "crc32", "printf", "vm", "arith64")) {
                Path s = dir.resolve("gcc-g-" + name + ".s");
                Oracle.Result r = Oracle.run(List.of("gcc", "-m32", "-g", "-O2", "-fno-pic", "-I", runtime().toString(), "-S",
                        Examples.example("c/" + name + ".c").toString(), "-o", s.toString()), dir);
                assertEquals(0, r.status(), r.stderr());
                files.add(assemble(s, "fixup-as-" + name + ".o"));
            }
        }
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(Examples.root().resolve("examples"))) {
            sources.addAll(s.filter(p -> p.toString().endsWith(".S")).sorted().toList());
        }
        try (Stream<Path> s = Files.list(Examples.root().resolve("fixup-kernel/src/main/asm"))) {
            sources.addAll(s.filter(p -> p.toString().endsWith(".S")).sorted().limit(4).toList());
        }
        for (Path src : sources) {
            String base = src.getFileName().toString().replace(".S", "");
            files.add(assemble(src, "g-" + base + ".o", "-g"));
            files.add(assemble(src, "g5-" + base + ".o", "--gdwarf-5"));
        }
        compare(files);
    }

    @Test void aMissingSourceFileIsSkippedAndTheKernelImageNamesItsFunctions() throws Exception {
        Oracle.require("objdump");
        List<Path> files = new ArrayList<>();
        Path vmlinux = dir.resolve("vmlinux");
        assertEquals("0", ObjdumpTest.fixup("kernel", "-o", vmlinux.toString())[0]);
        files.add(vmlinux);
        if (Oracle.onPath("gcc")) {
            Path gone = dir.resolve("gone");
            Files.createDirectories(gone);
            Path c = Files.copy(Examples.example("c/sort.c"), gone.resolve("sort.c"));
            files.add(compiled(c, "-O2", "-g"));
            Files.delete(c);
        }
        compare(files);
    }

    @Test void anExecutablesAnnotationsMatchGnuObjdumps() throws Exception {
        Oracle.require("objdump");
        Oracle.require("gcc");
        Path exe = dir.resolve("sort-static");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-m32", "-g", "-O2", "-static", "-nostdlib", "-fno-pic", "-I", runtime().toString(),
                Examples.example("c/sort.c").toString()));
        for (String f : List.of("start.S", "sys.c", "string.c", "print.c")) cmd.add(runtime().resolve(f).toString());
        cmd.addAll(List.of("-lgcc", "-o", exe.toString()));
        Oracle.Result r = Oracle.run(cmd, dir);
        assertEquals(0, r.status(), r.stderr());
        // libgcc's code holds instructions Fixup's disassembler spells otherwise; what -l and -S add must agree
        int compared = 0;
        List<String> differ = new ArrayList<>();
        for (List<String> view : VIEWS) {
            String gnu = annotations(gnu(view, exe)), ours = annotations(ours(view, exe));
            compared++;
            if (!gnu.equals(ours)) differ.add(String.join(" ", view) + "\n" + ObjdumpParityTest.firstDifference(gnu, ours));
        }
        System.out.printf("objdump source parity (executable, annotation lines): %d views compared, %d differ%n", compared, differ.size());
        assertTrue(differ.isEmpty(), String.join("\n", differ));
    }

    @Test void malformedLineInformationIsOneLineNamingTheField() throws Exception {
        Oracle.require("gcc");
        Path o = compiled(Examples.example("c/crc32.c"), "-O2", "-g");
        byte[] bytes = Files.readAllBytes(o);
        int debugLine = ElfReader.read(bytes).section(".debug_line").offset;
        // DWARF 5: unit_length 4, version 2, address and selector sizes 2, header_length 4, then
        // minimum_instruction_length, maximum_operations_per_instruction, default_is_stmt, line_base, line_range
        bytes[debugLine + 16] = 0;
        Path bad = dir.resolve("bad.o");
        Files.write(bad, bytes);
        String[] r = ObjdumpTest.fixup("objdump", "-d", "-l", bad.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(".debug_line+0x") && r[2].contains("line_range is 0"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
    }

    private static Path runtime() { return Examples.example("c/runtime"); }

    /** Every C file of the examples. */
    private static List<Path> cSources() throws Exception {
        List<Path> all = new ArrayList<>();
        for (String d : List.of("c", "c/runtime", "glibc", "fs", "proc", "modules")) {
            Path p = Examples.example(d);
            if (!Files.isDirectory(p)) continue;
            try (Stream<Path> s = Files.list(p)) {
                all.addAll(s.filter(f -> f.toString().endsWith(".c")).sorted().toList());
            }
        }
        return all;
    }

    /** gcc -m32 -c with the options; null when the file does not compile so (it needs other headers). */
    private Path compile(Path c, String opt, String debug) {
        String name = c.getParent().getFileName() + "-" + c.getFileName().toString().replace(".c", "") + opt + debug + ".o";
        Path o = dir.resolve(name);
        Oracle.Result r = Oracle.run(List.of("gcc", "-m32", debug, opt, "-fno-pic", "-I", runtime().toString(),
                "-I", Examples.example("modules").toString(), "-c", c.toString(), "-o", o.toString()), dir);
        return r.status() == 0 ? o : null;
    }

    private Path compiled(Path c, String opt, String debug) {
        Path o = compile(c, opt, debug);
        assertTrue(o != null, c + " compiles with " + opt + " " + debug);
        return o;
    }

    private Path assemble(Path source, String object, String... options) {
        List<String> args = new ArrayList<>(List.of("as"));
        args.addAll(List.of(options));
        args.addAll(List.of(source.toString(), "-o", dir.resolve(object).toString()));
        String[] r = ObjdumpTest.fixup(args.toArray(String[]::new));
        assertEquals("0", r[0], source + ": " + r[2]);
        return dir.resolve(object);
    }

    private String gnu(List<String> view, Path f) {
        List<String> command = new ArrayList<>(List.of("objdump"));
        command.addAll(view);
        command.add(f.toString());
        return Oracle.run(command, dir).stdout();
    }

    private static String ours(List<String> view, Path f) {
        List<String> args = new ArrayList<>(List.of("objdump"));
        args.addAll(view);
        args.add(f.toString());
        String[] r = ObjdumpTest.fixup(args.toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        return r[1];
    }

    private void compare(List<Path> files) {
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (Path f : files) {
            for (List<String> view : VIEWS) {
                String gnu = gnu(view, f), ours = ours(view, f);
                compared++;
                if (!gnu.equals(ours)) differ.add(String.join(" ", view) + " " + f.getFileName() + "\n" + ObjdumpParityTest.firstDifference(gnu, ours));
            }
        }
        System.out.printf("objdump source parity: %d files x %d views = %d compared, %d differ%n", files.size(), VIEWS.size(),
                compared, differ.size());
        assertTrue(differ.isEmpty(), String.join("\n", differ.subList(0, Math.min(differ.size(), 10))));
    }

    /** The lines -l and -S add: everything but instruction lines and symbol labels. */
    private static String annotations(String listing) {
        return listing.lines().filter(l -> !l.matches(" *[0-9a-f]+:\t.*") && !l.matches("[0-9a-f]+ <.*>:"))
                .collect(Collectors.joining("\n"));
    }
}

package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixup objdump} prints, byte for byte, what GNU objdump prints for the same file and the
 * same options: on every assembly example assembled by Fixup, on the C examples compiled by gcc
 * (when gcc is installed), and on the kernel image Fixup builds. Skips without binutils.
 */
class ObjdumpParityTest {
    @TempDir Path dir;

    private static final List<List<String>> VIEWS = List.of(
            List.of("-f"), List.of("-p"), List.of("-h"), List.of("-t"), List.of("-r"), List.of("-s"), List.of("-x"),
            List.of("-d"), List.of("-dr"), List.of("-D"), List.of("-dz"), List.of("-d", "-M", "intel"),
            List.of("-D", "-M", "intel"), List.of("-d", "-Mintel", "-r"),
            List.of("-d", "--start-address=0x5", "--stop-address=0x40"), List.of("-s", "--start-address=0x5", "--stop-address=0x40"));

    @Test void assemblyExamplesAndCObjectsReadAsGnuObjdumpReadsThem() throws Exception {
        Oracle.require("objdump");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Examples.root().resolve("examples"))) {
            for (Path src : s.filter(p -> p.toString().endsWith(".S")).sorted().toList()) {
                Path o = dir.resolve(src.getFileName().toString().replace(".S", ".o"));
                String[] r = ObjdumpTest.fixup("as", src.toString(), "-o", o.toString());
                assertEquals("0", r[0], r[2]);
                files.add(o);
            }
        }
        if (Oracle.onPath("gcc")) {
            try (Stream<Path> s = Files.list(Examples.root().resolve("examples/c"))) {
                for (Path c : s.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
                    Path o = dir.resolve("gcc-" + c.getFileName().toString().replace(".c", ".o"));
                    Oracle.Result r = Oracle.run(List.of("gcc", "-m32", "-O2", "-fno-pic", "-I", Examples.root().resolve("examples/c/runtime").toString(),
                            "-c", c.toString(), "-o", o.toString()), dir);
                    if (r.status() == 0) files.add(o);
                }
            }
        } else {
            System.out.println("gcc is not installed: comparing on Fixup's own objects only");
        }
        assertTrue(files.size() >= 5, "the examples were found");
        compare(files, VIEWS);
    }

    /**
     * gcc's objects at every -O level, with and without -g, in every view but -D: -D decodes data
     * (.eh_frame, the .debug sections) as code, and data bytes that GNU objdump reads as SSE or AVX
     * (VEX) instructions, which an i386 without them never runs, come out as (bad) bytes here.
     */
    @Test void gccObjectsAtEveryOptimisationLevelWithAndWithoutDebugInfo() throws Exception {
        Oracle.require("objdump");
        Oracle.require("gcc");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Examples.root().resolve("examples/c"))) {
            for (Path c : s.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
                for (String level : List.of("-O0", "-O1", "-O2", "-O3")) {
                    for (String debug : List.of("", "-g")) {
                        Path o = dir.resolve(c.getFileName().toString().replace(".c", level + debug + ".o"));
                        List<String> cmd = new ArrayList<>(List.of("gcc", "-m32", level, "-fno-pic", "-I", Examples.root().resolve("examples/c/runtime").toString()));
                        if (!debug.isEmpty()) cmd.add(debug);
                        cmd.addAll(List.of("-c", c.toString(), "-o", o.toString()));
                        if (Oracle.run(cmd, dir).status() == 0) files.add(o);
                    }
                }
            }
        }
        assertTrue(files.size() >= 40, "5 examples x 4 levels x 2: " + files.size());
        compare(files, VIEWS.stream().filter(v -> !v.get(0).equals("-D")).toList());
    }

    @Test void kernelImageReadsAsGnuObjdumpReadsIt() throws Exception {
        Oracle.require("objdump");
        Path vmlinux = dir.resolve("vmlinux");
        assertEquals("0", ObjdumpTest.fixup("kernel", "-o", vmlinux.toString())[0]);
        List<List<String>> views = new ArrayList<>(VIEWS);
        views.add(List.of("-d", "--start-address=0xc0100010", "--stop-address=0xc0100080"));
        views.add(List.of("-d", "-M", "intel", "--start-address=0xc0100100"));
        compare(List.of(vmlinux), views);
    }

    private void compare(List<Path> files, List<List<String>> views) throws Exception {
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (Path f : files) {
            for (List<String> view : views) {
                List<String> gnuCommand = new ArrayList<>(List.of("objdump"));
                gnuCommand.addAll(view);
                gnuCommand.add(f.toString());
                String gnu = Oracle.run(gnuCommand, dir).stdout();
                List<String> ours = new ArrayList<>(List.of("objdump"));
                ours.addAll(view);
                ours.add(f.toString());
                String[] r = ObjdumpTest.fixup(ours.toArray(String[]::new));
                compared++;
                if (!gnu.equals(r[1])) differ.add(String.join(" ", view) + " " + f.getFileName() + "\n" + firstDifference(gnu, r[1]) + r[2]);
            }
        }
        System.out.printf("objdump parity: %d files x views compared, %d differ%n", compared, differ.size());
        assertTrue(differ.isEmpty(), String.join("\n", differ.subList(0, Math.min(differ.size(), 10))));
    }

    /** The first line where two listings part, both sides shown. */
    static String firstDifference(String gnu, String ours) {
        String[] a = gnu.split("\n", -1), b = ours.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end>", y = i < b.length ? b[i] : "<end>";
            if (!x.equals(y)) return "  line " + (i + 1) + "\n  gnu:   " + x + "\n  fixup: " + y + "\n";
        }
        return "";
    }
}

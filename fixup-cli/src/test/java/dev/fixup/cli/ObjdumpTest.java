package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ObjdumpTest {
    @TempDir Path dir;

    /** Runs `fixup ARGS` in this JVM and returns {status, stdout, stderr}. */
    static String[] fixup(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = Main.execute(cli, args);
        return new String[] {String.valueOf(status), out.toString(), err.toString()};
    }

    private Path assembleCopyUser() {
        Path object = dir.resolve("copy_user.o");
        String[] r = fixup("as", Examples.example("copy_user.S").toString(), "-o", object.toString());
        assertEquals("0", r[0], r[2]);
        return object;
    }

    @Test void extableOfTheSeedsCopyUserNamesBothEntries() {
        String[] r = fixup("objdump", "--extable", assembleCopyUser().toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("__ex_table: 2 entries, 16 bytes"), r[1]);
        assertTrue(r[1].contains("insn .text+0x16 <copy_user+0x16> -> fixup .fixup+0x0 <.fixup>"), r[1]);
        assertTrue(r[1].contains("insn .text+0x1a <copy_user+0x1a> -> fixup .text+0x1c <copy_user+0x1c>"), r[1]);
    }

    @Test void extableOfTheKernelIsSortedAndSymbolized() {
        Path vmlinux = dir.resolve("vmlinux");
        assertEquals("0", fixup("kernel", "-o", vmlinux.toString())[0]);
        String[] r = fixup("objdump", "--extable", vmlinux.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("sorted: yes"), r[1]);
        assertTrue(r[1].contains("<__copy_user"), r[1]);
    }

    /** Our -h, -t and -r print what GNU objdump prints for the same file. */
    @Test void headersSymbolsAndRelocationsMatchGnuObjdump() throws Exception {
        Oracle.require("objdump");
        Path object = assembleCopyUser();
        for (String flag : List.of("-h", "-t", "-r", "-s", "-d", "-dr")) {
            String gnu = Oracle.run(List.of("objdump", flag, object.toString()), dir).stdout();
            String ours = fixup("objdump", flag, object.toString())[1];
            assertEquals(normalize(gnu), normalize(ours), "objdump " + flag);
        }
    }

    /** Our disassembly of the kernel we boot reads exactly as GNU objdump's. */
    @Test void disassemblyOfVmlinuxMatchesGnuObjdump() throws Exception {
        Oracle.require("objdump");
        Path vmlinux = dir.resolve("vmlinux");
        assertEquals("0", fixup("kernel", "-o", vmlinux.toString())[0]);
        String gnu = Oracle.run(List.of("objdump", "-d", vmlinux.toString()), dir).stdout();
        assertEquals(normalize(gnu), normalize(fixup("objdump", "-d", vmlinux.toString())[1]));
    }

    private static String normalize(String s) {
        return s.replaceAll("[ \\t]+", " ").replaceAll(" \n", "\n").replaceAll("\\n+", "\n").trim();
    }

    @Test void malformedElfIsAClearErrorNamingTheField() throws Exception {
        Path bad = dir.resolve("bad.o");
        byte[] bytes = Files.readAllBytes(assembleCopyUser());
        Files.write(bad, java.util.Arrays.copyOf(bytes, 60));
        String[] r = fixup("objdump", "-h", bad.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("fixup objdump: " + bad + ": not a valid ELF32 i386 file: "), r[2]);
        assertTrue(!r[2].contains("Exception"), r[2]);
    }

    @Test void assemblerErrorsAreInGnuAsFormat() throws Exception {
        Path src = dir.resolve("bad.S");
        Files.writeString(src, "\tmovl %eax\n\tfrobnicate %eax\n");
        String[] r = fixup("as", src.toString(), "-o", dir.resolve("bad.o").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(src + ":1: error: "), r[2]);
        assertTrue(r[2].contains(src + ":2: error: no such instruction"), r[2]);
    }

    @Test void linkerErrorsNameTheSymbolAndTheReferencingSection() throws Exception {
        Path src = dir.resolve("undef.S");
        Files.writeString(src, "\t.globl _start\n_start:\n\tcall missing_function\n");
        Path obj = dir.resolve("undef.o");
        assertEquals("0", fixup("as", src.toString(), "-o", obj.toString())[0]);
        String[] r = fixup("ld", obj.toString(), "-o", dir.resolve("a.out").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("undefined reference to `missing_function'"), r[2]);
        assertTrue(r[2].contains(".text+0x1"), r[2]);
    }
}

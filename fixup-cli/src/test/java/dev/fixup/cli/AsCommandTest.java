package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixup as} takes GNU as's command line: several inputs, standard input, -I, --defsym, gcc's options. */
class AsCommandTest {
    @TempDir Path dir;

    private static String[] fixup(String... args) { return ObjdumpTest.fixup(args); }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static byte[] text(Path object) throws Exception {
        ElfFile f = ElfReader.read(Files.readAllBytes(object));
        return f.section(".text").data;
    }

    /** The same command line run by GNU as, or null where binutils is missing. */
    private static Path gnuAs(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("as"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? workDir : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void takesGccsCommandLine() throws Exception {
        Path s = write("x.s", "\t.text\n\t.globl f\nf:\tmovl 4(%esp), %eax\n\tret\n");
        Path o = dir.resolve("x.o");
        String[] r = fixup("as", "-v", "--gdwarf-5", "--32", "-o", o.toString(), s.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].startsWith("Fixup assembler"), r[2]);
        assertArrayEquals(new byte[] {(byte) 0x8b, 0x44, 0x24, 0x04, (byte) 0xc3}, text(o));
    }

    @Test
    void severalInputsAreOneSource() throws Exception {
        Path a = write("a.s", "\t.macro twice x\n\t.byte \\x, \\x\n\t.endm\n");
        Path b = write("b.s", "\ttwice 7\n");
        Path o = dir.resolve("ab.o");
        assertEquals("0", fixup("as", "--32", "-o", o.toString(), a.toString(), b.toString())[0]);
        assertArrayEquals(new byte[] {7, 7}, text(o));
    }

    @Test
    void diagnosticsNameEachFile() throws Exception {
        // GNU as: "m1.s: Assembler messages:" then m1.s:2 and m2.s:1, each with its own file and line
        Path a = write("m1.s", "nop\nfoo1\n");
        Path b = write("m2.s", "foo2\n");
        String[] r = fixup("as", "-o", dir.resolve("m.o").toString(), a.toString(), b.toString());
        assertEquals("1", r[0]);
        assertEquals(List.of(a + ": Assembler messages:", a + ":2: error: no such instruction: `foo1'",
                b + ":1: error: no such instruction: `foo2'"), r[2].lines().toList());
    }

    @Test
    void dashIsStandardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("\t.byte 1\nfoo3\n".getBytes(StandardCharsets.UTF_8)));
            String[] r = fixup("as", "--32", "-o", dir.resolve("s.o").toString(), "-");
            assertEquals("1", r[0]);
            // GNU as: {standard input}:2: Error: no such instruction: `foo3'
            assertEquals(List.of("{standard input}: Assembler messages:", "{standard input}:2: error: no such instruction: `foo3'"),
                    r[2].lines().toList());
            System.setIn(new ByteArrayInputStream("\t.byte 1\n".getBytes(StandardCharsets.UTF_8)));
            Path o = dir.resolve("s1.o");
            assertEquals("0", fixup("as", "-o", o.toString())[0]);
            assertArrayEquals(new byte[] {1}, text(o));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void includeSearchesTheDashIDirectories() throws Exception {
        write("inc/x.inc", "\t.byte 7\n\tbogus\n");
        Path s = write("i.s", "\t.include \"x.inc\"\n\t.byte 8\n");
        String[] r = fixup("as", "-o", dir.resolve("i.o").toString(), s.toString());
        // GNU as: i.s:1: Error: can't open x.inc for reading: No such file or directory
        assertEquals(List.of(s + ": Assembler messages:", s + ":1: error: can't open x.inc for reading: No such file or directory"),
                r[2].lines().toList());
        r = fixup("as", "-I", dir.resolve("inc").toString(), "-o", dir.resolve("i.o").toString(), s.toString());
        // GNU as: "inc/x.inc: Assembler messages:" / "inc/x.inc:2: Error: no such instruction: `bogus'"
        Path inc = dir.resolve("inc").resolve("x.inc");
        assertEquals(List.of(inc + ": Assembler messages:", inc + ":2: error: no such instruction: `bogus'"), r[2].lines().toList());
        write("inc/x.inc", "\t.byte 7\n");
        Path o = dir.resolve("i.o");
        assertEquals("0", fixup("as", "-I" + dir.resolve("inc"), "-o", o.toString(), s.toString())[0]);
        assertArrayEquals(new byte[] {7, 8}, text(o));
    }

    @Test
    void includeOfItselfStops() throws Exception {
        Path s = write("self.s", "\t.include \"" + dir.resolve("self.s") + "\"\n");
        String[] r = fixup("as", "-o", dir.resolve("self.o").toString(), s.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(".include nested more than 100 deep"), r[2]);
    }

    @Test
    void defsymDefinesBeforeTheSource() throws Exception {
        // GNU as reads the value as strtoul does: Y=3+4 is 3, Z=010 is 8
        Path s = write("d.s", "\t.long X\n\t.if Y > 2\n\t.byte Y, Z\n\t.endif\n");
        Path o = dir.resolve("d.o");
        assertEquals("0", fixup("as", "--defsym", "X=0x10", "--defsym", "Y=3+4", "--defsym", "Z=010", "-o", o.toString(), s.toString())[0]);
        assertArrayEquals(new byte[] {0x10, 0, 0, 0, 3, 8}, text(o));
        Path g = gnuAs(dir, "--32", "--defsym", "X=0x10", "--defsym", "Y=3+4", "--defsym", "Z=010", "-o", "gnu.o", "d.s");
        if (g != null) assertArrayEquals(text(dir.resolve("gnu.o")), text(o));
        String[] r = fixup("as", "--defsym", "Y", "-o", o.toString(), s.toString());
        // GNU as: "Assembler messages:" / "Fatal error: bad defsym; format is --defsym name=value"
        assertEquals("1", r[0]);
        assertEquals(List.of("Assembler messages:", "Fatal error: bad defsym; format is --defsym name=value"), r[2].lines().toList());
    }

    @Test
    void missingInputIsOneLine() {
        String[] r = fixup("as", "-o", dir.resolve("n.o").toString(), dir.resolve("nosuch.s").toString());
        assertEquals("1", r[0]);
        // GNU as: "Assembler messages:" / "Error: can't open nosuch.s for reading: No such file or directory"
        assertEquals(List.of("Assembler messages:", "Error: can't open " + dir.resolve("nosuch.s") + " for reading: No such file or directory"),
                r[2].lines().toList());
    }

    @Test
    void devZeroIsRefusedBySize() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        String[] r = fixup("as", "-o", dir.resolve("z.o").toString(), "/dev/zero");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("/dev/zero: source larger than"), r[2]);
    }
}

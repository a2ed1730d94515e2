package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fixup run --module` and `fixup objdump --extable` on modules: both table formats, and the check mode. */
class ModuleToolsTest {
    @TempDir Path dir;

    static Path module(String name) { return Examples.example("modules/" + name); }

    private Path assemble(String name, String source) throws Exception {
        Path src = dir.resolve(name + ".S"), obj = dir.resolve(name + ".o");
        Files.writeString(src, source);
        String[] r = ObjdumpTest.fixup("as", src.toString(), "-o", obj.toString());
        assertEquals("0", r[0], r[2]);
        return obj;
    }

    @Test void runLoadsAModuleBeforeTheProgram() throws Exception {
        Path klog = dir.resolve("klog");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        String[] r;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r = ObjdumpTest.fixup("run", "--klog", klog.toString(), "--module", module("get_user_asm.S").toString(),
                    module("get_user_asm_test.S").toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals("0", r[0], r[2]);
        assertEquals("AFF\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(klog).contains("get_user_asm: /dev/get_user_asm registered"));
    }

    @Test void runRefusesABadModuleWithTheKernelsReason() throws Exception {
        Path bad = dir.resolve("bad.o");
        Files.writeString(bad, "not an object");
        String[] r = ObjdumpTest.fixup("run", "--module", bad.toString(), module("get_user_asm_test.S").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("bad.o: init_module: not an ELF object"), r[2]);
    }

    @Test void extableOfAnAssembledModuleGoesThroughItsRelocations() throws Exception {
        Path obj = dir.resolve("get_user_asm.o");
        assertEquals("0", ObjdumpTest.fixup("as", module("get_user_asm.S").toString(), "-o", obj.toString())[0]);
        String[] r = ObjdumpTest.fixup("objdump", "--extable-check", obj.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("__ex_table: 1 entries, 8 bytes at 0x00000000, format 2.4 {insn, fixup}"), r[1]);
        assertTrue(r[1].matches("(?s).*insn \\.text\\+0x[0-9a-f]+ <getuser_ioctl\\+0x[0-9a-f]+> -> fixup \\.fixup\\+0x0 <\\.fixup>\n.*"), r[1]);
        assertTrue(r[1].contains("check: ok"), r[1]);
    }

    @Test void extableOfAGccModule() throws Exception {
        Path obj = dir.resolve("seed_copy_user.o");
        try {
            Process p = new ProcessBuilder("gcc", "-m32", "-c", "-O2", "-ffreestanding", "-fno-pic", "-fno-stack-protector",
                    "-I" + module("").toString(), module("seed_copy_user.c").toString(), "-o", obj.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) Assumptions.abort("gcc -m32 cannot build modules here: skipping");
        } catch (java.io.IOException e) {
            Assumptions.abort("gcc is not installed: skipping");
        }
        String[] r = ObjdumpTest.fixup("objdump", "--extable-check", obj.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("__ex_table: 2 entries, 16 bytes"), r[1]);
        // the seed's two entries: rep movsl -> its fixup in .fixup, rep movsb -> straight back to 2:
        assertTrue(r[1].matches("(?s).*insn \\.text\\+0x[0-9a-f]+ <seed_write\\+0x[0-9a-f]+> -> fixup \\.fixup\\+0x0 <\\.fixup>\n"
                + "  insn \\.text\\+0x[0-9a-f]+ <seed_write\\+0x[0-9a-f]+> -> fixup \\.text\\+0x[0-9a-f]+ <seed_write\\+0x[0-9a-f]+>\n.*"), r[1]);
    }

    static final String RELATIVE = """
            .text
            f:
            1:  movl (%eax), %edx
            2:  ret
            .section .rodata
            d:  .long 0
            .section __ex_table,"a"
            .balign 4
            .long 1b - .
            .long 2b - .
            .long 3
            .long 1b - .
            .long 2b - .
            .long 17 | (2 << 8) | (-14 << 16)
            .long d - .
            .long 2b - .
            .long 1
            """;

    @Test void extableDecodesTheModernRelativeFormatAndChecksIt() throws Exception {
        Path obj = assemble("relative", RELATIVE);
        String[] r = ObjdumpTest.fixup("objdump", "--extable-check", obj.toString());
        assertEquals("1", r[0], r[1] + r[2]);
        String o = r[1];
        assertTrue(o.contains("__ex_table: 3 entries, 36 bytes at 0x00000000, format relative {insn - ., fixup - ., data}"), o);
        assertTrue(o.contains("  insn .text+0x0 <f> -> fixup .text+0x2 <f+0x2>  EX_TYPE_UACCESS\n"), o);
        assertTrue(o.contains("  insn .text+0x0 <f> -> fixup .text+0x2 <f+0x2>  EX_TYPE_IMM_REG reg=%edx imm=-14\n"), o);
        assertTrue(o.contains("check: entry 2: .rodata+0x0 <d> is not in an executable section"), o);
        assertTrue(o.contains("check: entries 0 and 1 both list insn .text+0x0 <f>"), o);
        assertTrue(o.contains("check: 2 problems"), o);
        // forced as 2.4, the same bytes read as nonsense: the option is there for tables the tool cannot tell
        String forced = ObjdumpTest.fixup("objdump", "--extable", "--extable-format=2.4", obj.toString())[1];
        assertTrue(forced.contains("format 2.4"), forced);
    }
}

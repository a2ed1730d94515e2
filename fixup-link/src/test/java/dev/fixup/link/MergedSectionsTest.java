package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Mergeable strings: duplicates and tails of earlier strings are stored once, as GNU ld stores them. */
class MergedSectionsTest {
    @TempDir Path dir;

    static final String M1 = """
            .globl _start
        _start: movl $.LC0, %eax
            movl $.LC1, %eax
            .section .rodata.str1.1,"aMS",@progbits,1
        .LC0: .string "hello"
        .LC1: .string "x"
        """;

    static final String M2 = """
            .text
            .globl f
        f:  movl $.LC0, %eax
            movl $.LC1, %eax
            movl $.LC2, %eax
            movl $.LC3, %eax
            movl $.LC4, %eax
            movl $.LC5, %eax
            movl $named, %eax
            .section .rodata.str1.1,"aMS",@progbits,1
        .LC0: .string "lo"
        .LC1: .string "hello"
        .LC2: .string ""
        named: .string "new one"
            .section .rodata.str1.4,"aMS",@progbits,1
            .align 4
        .LC3: .string "abc"
            .align 4
        .LC4: .string "bc"
            .align 4
        .LC5: .string "abc"
        """;

    @Test void sameBytesAndAddressesAsGnuLd() throws Exception {
        byte[] a = Binutils.assemble(dir, "m1", M1), b = Binutils.assemble(dir, "m2", M2);
        LinkResult r = new Linker().add("m1.o", a).add("m2.o", b).link();
        HostTools.require("ld");
        HostTools.Result g = HostTools.run(dir, "ld", "-m", "elf_i386", "-z", "noseparate-code", "-o", "m.gnu", "m1.o", "m2.o");
        assertEquals(0, g.exit(), g.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("m.gnu")));
        assertArrayEquals(gnu.section(".rodata").data, r.elf().section(".rodata").data);
        // every reference lands at the same offset into .rodata
        byte[] ours = r.elf().section(".text").data, theirs = gnu.section(".text").data;
        int baseOurs = r.elf().section(".rodata").addr, baseGnu = gnu.section(".rodata").addr;
        assertEquals(theirs.length, ours.length);
        for (int p = 1; p + 4 <= ours.length; p += 5)
            assertEquals(LittleEndian.get32(theirs, p) - baseGnu, LittleEndian.get32(ours, p) - baseOurs, "movl at " + (p - 1));
        assertEquals(gnu.symbol("named").value - baseGnu, r.elf().symbol("named").value - baseOurs, "a named local in a merged section");
    }
}

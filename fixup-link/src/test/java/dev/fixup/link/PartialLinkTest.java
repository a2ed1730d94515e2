package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** ld -r: linking the partial object gives the same program as linking its parts. */
class PartialLinkTest {
    @TempDir Path dir;

    static final String A = """
            .text
            .globl _start
        _start:
            call b_func
            movl $local_data, %eax
            movl $msg, %ebx
            movl $common_buf, %ecx
            movl $1, %eax
            int $0x80
            .p2align 4   /* the assembler pads with NOPs; GNU ld's own gap fill between code sections is not compared */
            .data
        local_data: .long _start, b_data + 4
            .section .rodata
        msg: .asciz "from a"
            .comm common_buf, 16, 4
        """;

    static final String B = """
            .text
            .p2align 4
            .globl b_func
            .type b_func, @function
        b_func:
            movl $b_data, %eax
            movl $.Lstr, %edx
            jmp 1f
        1:  ret
            .data
            .p2align 3
            .globl b_data
        b_data: .long 1, 2, b_func
            .section .rodata
        .Lstr: .asciz "from b"
            .bss
            .lcomm scratch, 8
            .comm common_buf, 32, 8
        """;

    @Test void thePartialObjectLinksToTheSameProgramAsItsParts() throws Exception {
        byte[] a = Binutils.assemble(dir, "a", A), b = Binutils.assemble(dir, "b", B);
        byte[] r = new Linker().add("a.o", a).add("b.o", b).linkRelocatable();
        ElfFile ro = ElfReader.read(r);
        assertEquals(Elf.ET_REL, ro.type);
        assertEquals(1, ro.sections.stream().filter(s -> s.name.equals(".text")).count(), "one .text");
        assertEquals(Elf.SHN_COMMON, ro.symbol("common_buf").shndx, "commons stay common, merged to the largest");
        assertEquals(32, ro.symbol("common_buf").size);

        LinkResult direct = new Linker().add("a.o", a).add("b.o", b).link();
        LinkResult viaR = new Linker().add("r.o", r).link();
        for (String sec : List.of(".text", ".data", ".rodata"))
            assertArrayEquals(direct.elf().section(sec).data, viaR.elf().section(sec).data, sec);
        for (String sym : List.of("_start", "b_func", "b_data", "common_buf"))
            assertEquals(direct.symbol(sym), viaR.symbol(sym), sym);

        // GNU ld takes our partial object and builds the same bytes from it
        HostTools.require("ld");
        Files.write(dir.resolve("r.o"), r);
        HostTools.Result g1 = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-o", "g-direct", "a.o", "b.o");
        HostTools.Result g2 = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-o", "g-r", "r.o");
        assertEquals(0, g1.exit(), g1.out());
        assertEquals(0, g2.exit(), g2.out());
        ElfFile e1 = ElfReader.read(Files.readAllBytes(dir.resolve("g-direct"))), e2 = ElfReader.read(Files.readAllBytes(dir.resolve("g-r")));
        for (String sec : List.of(".text", ".data", ".rodata"))
            assertArrayEquals(e1.section(sec).data, e2.section(sec).data, "GNU ld on our -r output: " + sec);
    }

    @Test void twoStrongDefinitionsAreAnError() throws Exception {
        byte[] a = Binutils.assemble(dir, "a", ".globl x\nx: ret\n"), b = Binutils.assemble(dir, "b", ".globl x\nx: nop\n");
        LinkException e = assertThrows(LinkException.class, () -> new Linker().add("a.o", a).add("b.o", b).linkRelocatable());
        assertEquals(List.of("b.o: multiple definition of `x'; first defined in a.o"), e.errors());
    }
}

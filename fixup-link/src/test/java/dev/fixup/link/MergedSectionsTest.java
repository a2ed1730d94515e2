package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Mergeable strings and constants, linked by this linker and by GNU ld from the same GNU-as
 * objects: the same section addresses and sizes, the same bytes (code included, so every
 * reference into a merged section lands on the same byte) and the same symbol values.
 */
class MergedSectionsTest {
    @TempDir Path dir;

    /** Links the sources (each one object, in order) both ways and compares the results. */
    private void linksAsGnuLd(String... sources) throws Exception {
        HostTools.require("ld");
        Linker ours = new Linker();
        List<String> cmd = new ArrayList<>(List.of("ld", "-m", "elf_i386", "-z", "noseparate-code", "-z", "norelro", "-o", "m.gnu"));
        for (int i = 0; i < sources.length; i++) {
            String name = "m" + i;
            // as gcc marks its objects: with no such note anywhere, ld would leave out PT_GNU_STACK (this linker does not)
            ours.add(name + ".o", Binutils.assemble(dir, name, sources[i] + "\n.section .note.GNU-stack,\"\",@progbits\n"));
            cmd.add(name + ".o");
        }
        HostTools.Result g = HostTools.run(dir, cmd.toArray(String[]::new));
        assertEquals(0, g.exit(), g.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("m.gnu"))), fixup = ours.link().elf();
        assertEquals(Layouts.allocated(gnu), Layouts.allocated(fixup));
        for (Section s : gnu.sections)
            if (s.isAlloc() && s.type != Elf.SHT_NOBITS) assertArrayEquals(s.data, fixup.section(s.name).data, s.name);
        assertEquals(Layouts.symbols(gnu), Layouts.symbols(fixup));
    }

    @Test void duplicatesAndTailsOfEarlierStringsAreStoredOnce() throws Exception {
        linksAsGnuLd("""
                .globl _start
            _start: movl $.LC0, %eax
                movl $.LC1, %eax
                .section .rodata.str1.1,"aMS",@progbits,1
            .LC0: .string "hello"
            .LC1: .string "x"
            """, """
                .text
                .globl f
            f:  movl $.LC0, %eax
                movl $.LC1, %eax
                movl $.LC2, %eax
                movl $.LC3, %eax
                movl $.LC4, %eax
                movl $.LC5, %eax
                movl $named, %eax
                movl $named+4, %eax
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
            """);
    }

    /** A tail shares the longer string only at an offset its alignment allows. */
    @Test void anAlignedTailMergesOnlyWhereItsAlignmentHolds() throws Exception {
        linksAsGnuLd("""
                .globl _start
            _start: movl $a, %eax
                movl $b, %eax
                movl $c, %eax
                movl $d, %eax
                .section .rodata.str1.4,"aMS",@progbits,1
                .balign 4
            a:  .string "abcdefgh"
                .balign 4
            b:  .string "efgh"
                .balign 4
            c:  .string "fgh"
                .balign 4
            d:  .string "h"
                .balign 4
            """, """
                .section .rodata.str1.4,"aMS",@progbits,1
                .balign 4
                .string "xyzefgh"
                .balign 4
                .string "cdefgh"
                .balign 4
            """);
    }

    /**
     * A string first met at an unaligned offset moves to where it is met aligned; a section left
     * with nothing takes no room and no alignment padding; different names with the same flags,
     * entry size and alignment merge, a different alignment does not.
     */
    @Test void stringsMoveToTheirBestAlignedCopyAndEmptiedSectionsVanish() throws Exception {
        linksAsGnuLd("""
                .globl _start
                .text
            _start: movl $a1, %eax
                movl $a2, %eax
                movl $a3, %eax
                movl $.rodata.str1.4+7, %eax
                .section .rodata.str1.4,"aMS",@progbits,1
            a1: .string "a"
            a2: .string "xy"
                .balign 4
            a3: .string "end"
                .section .rodata.cst4,"aM",@progbits,4
                .long 1, 2, 3
            """, """
                .text
                movl $b1, %eax
                movl $b2, %eax
                movl $b3, %eax
                .section .rodata.other,"aMS",@progbits,1
                .balign 4
            b1: .string "xy"
                .balign 4
            b2: .string "a"
                .balign 4
            b3: .string "nd"
                .section .rodata,"a"
                .byte 0xbb
                .section .rodata.cst4,"aM",@progbits,4
                .long 2, 3
            """, """
                .section .rodata,"a"
                .byte 0xcc
                .section .rodata.str1.4,"aMS",@progbits,1
            c1: .string "xy"
                .section .rodata.cst8,"aM",@progbits,8
                .balign 8
                .quad 2, 3
                .section .rodata,"a"
                .byte 0xcd
            """);
    }

    /** Constants keep their first copy; a section with relocations is not merged at all. */
    @Test void constantsMergeAndSectionsWithRelocationsStayWhole() throws Exception {
        linksAsGnuLd("""
                .globl _start
            _start: movl $k1, %eax
                movl $k2+4, %eax
                movl $s1, %eax
                .section .rodata.cst8,"aM",@progbits,8
                .balign 8
            k1: .quad 0x1122334455667788
            k2: .quad 7
                .section .rodata.rel,"aMS",@progbits,1
            s1: .string "kept whole"
                .long _start
            """, """
                .text
                movl $k3, %eax
                movl $k4, %eax
                .section .rodata.cst8,"aM",@progbits,8
                .balign 8
            k3: .quad 7
            k4: .quad 9
                .section .rodata.cst16,"aM",@progbits,16
                .balign 16
                .quad 1, 2
            """);
    }

    /** The last section read is padded to the group's alignment when every input section was a multiple of it. */
    @Test void theGroupsLastSectionIsPaddedLikeLd() throws Exception {
        String a = """
                .globl _start
            _start: nop
                .section .rodata.s,"aMS",@progbits,1
                .balign 4
                .string "abc"
            """;
        linksAsGnuLd(a, """
                .section .rodata.s,"aMS",@progbits,1
                .balign 4
                .string "abcdefgh"
                .balign 4
                .section .rodata,"a"
                .byte 0xee
            """, """
                .section .rodata.s,"aMS",@progbits,1
                .balign 4
                .string "efgh"
                .balign 4
                .section .rodata,"a"
                .byte 0xef
            """);
    }

    /** Random sets of overlapping strings over a small alphabet, so that tails and repeats are common. */
    @Test void randomStringSetsMergeAsGnuLdMergesThem() throws Exception {
        Random rnd = new Random(12);
        for (int round = 0; round < 8; round++) {
            List<String> files = new ArrayList<>();
            int n = 2 + rnd.nextInt(3);
            for (int f = 0; f < n; f++) {
                StringBuilder code = new StringBuilder(f == 0 ? ".globl _start\n_start:\n" : ".text\n");
                StringBuilder data = new StringBuilder();
                String section = rnd.nextBoolean() ? ".rodata.str1.1,\"aMS\",@progbits,1" : ".rodata.str1.4,\"aMS\",@progbits,1\n.balign 4";
                data.append(".section ").append(section).append('\n');
                int strings = 1 + rnd.nextInt(6);
                for (int k = 0; k < strings; k++) {
                    if (rnd.nextInt(3) == 0) data.append(".balign ").append(1 << rnd.nextInt(3)).append('\n');
                    StringBuilder s = new StringBuilder();
                    for (int len = rnd.nextInt(6); len > 0; len--) s.append((char) ('a' + rnd.nextInt(3)));
                    data.append("s").append(f).append('_').append(k).append(": .string \"").append(s).append("\"\n");
                    code.append("movl $s").append(f).append('_').append(k).append('+').append(rnd.nextInt(3)).append(", %eax\n");
                }
                files.add(code + data.toString());
            }
            linksAsGnuLd(files.toArray(String[]::new));
        }
    }
}

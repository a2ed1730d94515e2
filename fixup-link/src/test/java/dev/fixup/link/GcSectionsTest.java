package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import dev.fixup.testkit.Binutils;
import dev.fixup.testkit.HostTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fixup.link.Obj.*;
import static org.junit.jupiter.api.Assertions.*;

/** --gc-sections keeps what the entry, -u, KEEP and relocations reach, and nothing else. */
class GcSectionsTest {
    static ElfFile object() {
        return new Obj()
                .section(".text._start", AX, new byte[8]).global("_start", ".text._start", 0)
                .section(".text.used", AX, new byte[4]).global("used", ".text.used", 0)
                .section(".text.unused", AX, new byte[16]).global("unused", ".text.unused", 0)
                .section(".text.wanted", AX, new byte[2]).global("wanted", ".text.wanted", 0)
                .section(".data.table", WA, new byte[4]).global("table", ".data.table", 0)
                .section(".data.lonely", WA, new byte[32]).global("lonely", ".data.lonely", 0)
                .section(".keepme", WA, new byte[4])
                .reloc(".text._start", 0, Elf.R_386_32, "table").reloc(".data.table", 0, Elf.R_386_32, "used").elf();
    }

    @Test void unreachableSectionsGoAndReachableOnesStay() throws Exception {
        LinkerScript sc = LinkerScript.parse("k.lds", """
                SECTIONS { .text 0x1000 : { *(.text .text.*) } .data 0x2000 : { *(.data .data.*) KEEP(*(.keepme)) } }
                """);
        LinkResult all = new Linker().add("o.o", object()).script(sc).link();
        assertEquals(8 + 4 + 16 + 2, all.elf().section(".text").size);
        LinkResult gc = new Linker().add("o.o", object()).script(sc).gcSections(true).undefined("wanted").link();
        assertEquals(8 + 4 + 2, gc.elf().section(".text").size, "_start, what it reaches and -u wanted");
        assertEquals(4 + 4, gc.elf().section(".data").size, ".data.table and the KEEP section");
        assertNull(gc.symbol("unused"));
        assertNull(gc.symbol("lonely"));
        assertNotNull(gc.symbol("used"));
        assertEquals(gc.symbol("used"), Integer.toUnsignedLong(LittleEndian.get32(gc.elf().section(".data").data, 0)));
    }

    @TempDir Path dir;

    /**
     * Unwind tables keep nothing by themselves: a function that stays keeps its FDE's LSDA and its
     * CIE's personality routine; a dropped function's LSDA and personality go with it (GNU ld is the oracle).
     */
    @Test void aKeptFunctionKeepsItsLsdaAndPersonalityAsGnuLdKeepsThem() throws Exception {
        HostTools.require("ld");
        String src = """
                    .globl _start
                    .section .text._start,"ax",@progbits
                _start: .cfi_startproc
                    .cfi_personality 0, pers
                    .cfi_lsda 0, lsda_used
                    call used
                    .cfi_endproc
                    .section .text.used,"ax",@progbits
                    .globl used
                used: .cfi_startproc
                    ret
                    .cfi_endproc
                    .section .text.unused,"ax",@progbits
                    .globl unused
                unused: .cfi_startproc
                    .cfi_personality 0, pers2
                    .cfi_lsda 0, lsda_unused
                    ret
                    .cfi_endproc
                    .section .gcc_except_table.used,"a",@progbits
                lsda_used: .long 1
                    .section .gcc_except_table.unused,"a",@progbits
                lsda_unused: .long 2
                    .section .text.pers,"ax",@progbits
                    .globl pers
                pers: ret
                    .section .text.pers2,"ax",@progbits
                    .globl pers2
                pers2: ret
                    .section .note.GNU-stack,"",@progbits
                """;
        byte[] o = Binutils.assemble(dir, "u", src);
        HostTools.Result g = HostTools.run(dir, "ld", "-m", "elf_i386", "-z", "noseparate-code", "-z", "norelro", "--gc-sections", "-o", "u.gnu", "u.o");
        assertEquals(0, g.exit(), g.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("u.gnu")));
        ElfFile ours = new Linker().add("u.o", o).gcSections(true).link().elf();
        assertEquals(Layouts.allocated(gnu), Layouts.allocated(ours));
        assertEquals(Layouts.symbols(gnu), Layouts.symbols(ours));
        assertNotNull(ours.symbol("lsda_used"));
        assertNotNull(ours.symbol("pers"));
        assertNull(ours.symbol("pers2"));
        assertNull(ours.symbol("lsda_unused"));
        for (Section x : gnu.sections)
            if (x.isAlloc() && x.type != Elf.SHT_NOBITS) assertArrayEquals(x.data, ours.section(x.name).data, x.name);
    }
}

package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import org.junit.jupiter.api.Test;

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
}

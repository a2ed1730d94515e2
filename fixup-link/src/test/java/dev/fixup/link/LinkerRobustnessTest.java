package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.ElfWriter;
import net.jqwik.api.*;

import static dev.fixup.link.Obj.*;

/** Corrupt objects and scripts give LinkException, never another exception. */
class LinkerRobustnessTest {
    static byte[] object() {
        byte[] table = new byte[8];
        ElfFile o = new Obj().section(".text", AX, bytes(0xe8, 0xfc, 0xff, 0xff, 0xff, 0xa1, 0, 0, 0, 0, 0xc3))
                .func("_start", ".text", 0, 11).section(".data", WA, bytes(1, 2, 3, 4)).section("__ex_table", A, table)
                .bss(".bss", 16).sectionSymbol(".text").sectionSymbol(".data").global("d", ".data", 0).common("c", 8, 4)
                .reloc(".text", 1, Elf.R_386_PC32, "d").reloc(".text", 6, Elf.R_386_32, "#.data")
                .reloc("__ex_table", 0, Elf.R_386_32, "#.text").reloc("__ex_table", 4, Elf.R_386_32, "#.text").elf();
        return ElfWriter.write(o);
    }

    @Property(tries = 800)
    void corruptObjects(@ForAll("pos") int p1, @ForAll byte v1, @ForAll("pos") int p2, @ForAll byte v2) {
        byte[] b = object();
        b[p1 % b.length] = v1;
        b[p2 % b.length] = v2;
        ElfFile f;
        try { f = ElfReader.read(b); } catch (ElfFormatException e) { return; }
        try { new Linker().add("x.o", f).link(); } catch (LinkException e) { /* fine */ }
    }

    @Property(tries = 500)
    void corruptScripts(@ForAll("pos") int p, @ForAll("scriptChars") char c) {
        String s = """
                ENTRY(_start)
                SECTIONS {
                  . = 0xC0100000;
                  .text : AT(ADDR(.text) - 0xC0000000) { *(.text) }
                  . = ALIGN(16);
                  __ex_table : { __start___ex_table = .; *(__ex_table) __stop___ex_table = .; }
                  .data ALIGN(4096) : { *(.data) LONG(1) }
                  .bss : { *(.bss) *(COMMON) }
                  _end = .;
                }
                """;
        StringBuilder sb = new StringBuilder(s);
        sb.setCharAt(p % s.length(), c);
        try {
            LinkerScript sc = LinkerScript.parse("r.lds", sb.toString());
            new Linker().add("x.o", object()).script(sc).link();
        } catch (LinkException e) { /* fine */ }
    }

    @Provide Arbitrary<Integer> pos() { return Arbitraries.integers().between(0, 100000); }
    @Provide Arbitrary<Character> scriptChars() { return Arbitraries.of('{', '}', '(', ')', ';', '=', '.', '*', '0', 'x', ' ', ':', '/', '-', 'A'); }
}

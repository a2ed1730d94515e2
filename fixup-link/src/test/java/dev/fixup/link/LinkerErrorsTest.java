package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.fixup.link.Obj.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every link error path, checked by its message. */
class LinkerErrorsTest {

    static LinkException fail(Linker l) {
        return assertThrows(LinkException.class, l::link);
    }

    static final byte[] CALL = bytes(0xe8, 0, 0, 0, 0, 0xc3, 0x90, 0x90);

    @Test
    void undefinedReferenceNamesFunctionSectionAndOffset() {
        ElfFile o = new Obj().section(".text", AX, CALL).func("_start", ".text", 0, 6).undef("foo")
                .reloc(".text", 1, Elf.R_386_PC32, "foo").elf();
        LinkException e = fail(new Linker().add("efault.o", o));
        assertEquals(List.of("efault.o: in function `_start': .text+0x1: undefined reference to `foo'"), e.errors());
    }

    @Test
    void undefinedReferenceOutsideAFunctionNamesTheSection() {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).undef("foo").undef("bar")
                .reloc(".text", 1, Elf.R_386_PC32, "foo").reloc(".text", 4, Elf.R_386_8, "bar").elf();
        LinkException e = fail(new Linker().add("a.o", o));
        assertEquals(List.of("a.o: in section .text+0x1: undefined reference to `foo'",
                "a.o: in section .text+0x4: undefined reference to `bar'"), e.errors());
    }

    @Test
    void multipleDefinition() {
        ElfFile a = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).global("x", ".text", 1).elf();
        ElfFile b = new Obj().section(".data", WA, bytes(1, 2, 3, 4)).global("x", ".data", 0).elf();
        LinkException e = fail(new Linker().add("a.o", a).add("b.o", b));
        assertEquals(List.of("b.o: multiple definition of `x'; first defined in a.o"), e.errors());
    }

    @Test
    void callerSymbolClashesWithObjectDefinition() {
        ElfFile a = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).global("host_write", ".text", 0).elf();
        LinkException e = fail(new Linker().add("a.o", a).define("host_write", 0xc0001000));
        assertTrue(e.getMessage().startsWith("a.o: multiple definition of `host_write'; also defined by the caller"), e.getMessage());
    }

    @Test
    void relocationOverflowNamesTypeSymbolSectionOffset() {
        ElfFile o = new Obj().section(".text", AX, bytes(0, 0, 0, 0, 0, 0)).global("_start", ".text", 0)
                .abs("big", 0x100).abs("wide", 0x10000).abs("neg", -0x81)
                .reloc(".text", 0, Elf.R_386_8, "big").reloc(".text", 2, Elf.R_386_16, "wide").reloc(".text", 5, Elf.R_386_8, "neg").elf();
        LinkException e = fail(new Linker().add("o.o", o));
        assertEquals(List.of(
                "o.o: in section .text+0x0: relocation truncated to fit: R_386_8 against `big' (value 0x100 does not fit in 8 bits)",
                "o.o: in section .text+0x2: relocation truncated to fit: R_386_16 against `wide' (value 0x10000 does not fit in 16 bits)",
                "o.o: in section .text+0x5: relocation truncated to fit: R_386_8 against `neg' (value 0xffffff7f does not fit in 8 bits)"),
                e.errors());
    }

    @Test
    void pcRelativeOverflow() throws Exception {
        ElfFile o = new Obj().section(".text", AX, bytes(0xeb, 0)).global("_start", ".text", 0)
                .section(".far", AX, bytes(0xc3)).align(".far", 1).global("far", ".far", 0)
                .reloc(".text", 1, Elf.R_386_PC8, "far").elf();
        LinkerScript s = LinkerScript.parse("t.lds", "SECTIONS { .text 0x1000 : { *(.text) } .far 0x1081 : { *(.far) } }");
        LinkException e = fail(new Linker().add("j.o", o).script(s));
        assertEquals(List.of("j.o: in section .text+0x1: relocation truncated to fit: R_386_PC8 against `far' (value 0x80 does not fit in 8 bits)"),
                e.errors());
        // one byte nearer fits (0x7f)
        ElfFile ok = new Obj().section(".text", AX, bytes(0xeb, 0)).global("_start", ".text", 0)
                .section(".far", AX, bytes(0xc3)).align(".far", 1).global("far", ".far", 0)
                .reloc(".text", 1, Elf.R_386_PC8, "far").elf();
        LinkResult r = new Linker().add("j.o", ok)
                .script(LinkerScript.parse("t.lds", "SECTIONS { .text 0x1000 : { *(.text) } .far 0x1080 : { *(.far) } }")).link();
        assertEquals(0x7f, r.elf().section(".text").data[1]);
    }

    @Test
    void unsupportedRelocationType() {
        // general-dynamic TLS needs ___tls_get_addr or a code rewrite this linker does not do
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).undef("tlsvar")
                .reloc(".text", 1, 18, "tlsvar").elf();
        LinkException e = fail(new Linker().add("pic.o", o));
        assertEquals(List.of("pic.o: in section .text+0x1: unsupported relocation type R_386_TLS_GD"), e.errors());
    }

    @Test
    void overlappingOutputSections() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[16]).global("_start", ".text", 0).section(".data", WA, new byte[16]).elf();
        LinkerScript s = LinkerScript.parse("o.lds", "SECTIONS { .text 0xc0101000 : { *(.text) } .data 0xc0101008 : { *(.data) } }");
        LinkException e = fail(new Linker().add("o.o", o).script(s));
        assertEquals(List.of("section .data [0xc0101008-0xc0101017] overlaps section .text [0xc0101000-0xc010100f]"), e.errors());
    }

    @Test
    void exTableWithBadSize() {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0)
                .section("__ex_table", A, new byte[12]).elf();
        LinkException e = fail(new Linker().add("x.o", o));
        assertEquals(List.of("__ex_table: size 12 is not a multiple of the entry size 8"), e.errors());
    }

    @Test
    void exTableDuplicateInsnNamesBothEntries() throws Exception {
        // two entries for .text+1 (after relocation both are 0x1001) with different fixups
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0)
                .section("__ex_table", A, bytes(1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 6, 0, 0, 0)).sectionSymbol(".text")
                .reloc("__ex_table", 0, Elf.R_386_32, "#.text").reloc("__ex_table", 4, Elf.R_386_32, "#.text")
                .reloc("__ex_table", 8, Elf.R_386_32, "#.text").reloc("__ex_table", 12, Elf.R_386_32, "#.text").elf();
        LinkerScript s = LinkerScript.parse("k.lds", "SECTIONS { .text 0x1000 : { *(.text) } __ex_table 0x2000 : { *(__ex_table) } }");
        LinkException e = fail(new Linker().add("d.o", o).script(s));
        assertEquals(List.of("__ex_table: entries at 0x00002000 and 0x00002008 both cover insn 0x00001001 (fixups 0x00001005 and 0x00001006)"),
                e.errors());
    }

    @Test
    void notARelocatableObject() {
        ElfFile exe = new ElfFile();
        exe.type = Elf.ET_EXEC;
        LinkException e = fail(new Linker().add("prog", exe));
        assertEquals(List.of("prog: not a relocatable object (e_type 2)"), e.errors());
    }

    @Test
    void malformedObjectBytes() {
        LinkException e = assertThrows(LinkException.class, () -> new Linker().add("junk.o", new byte[]{0x7f, 'E', 'L', 'F', 1}));
        assertEquals("junk.o: ELF header: file is truncated (5 bytes, the header needs 52)", e.getMessage());
    }

    @Test
    void scriptExpressionErrors() throws Exception {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).elf();
        LinkerScript s = LinkerScript.parse("k.lds", "SECTIONS {\n . = 0x1000;\n x = nosuch + 1;\n .text : { *(.text) }\n y = SIZEOF(.nosec);\n}\n");
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("k.lds:3: undefined symbol `nosuch' referenced in expression",
                "k.lds:5: SIZEOF of undefined section `.nosec'"), e.errors());
    }

    @Test
    void locationCounterBackwards() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[32]).global("_start", ".text", 0).elf();
        LinkerScript s = LinkerScript.parse("k.lds", "SECTIONS {\n .text 0x1000 : {\n *(.text)\n . = 0x10;\n }\n}");
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("k.lds:4: cannot move location counter backwards (from 0x1020 to 0x1010)"), e.errors());
    }

    @Test
    void unknownPhdr() throws Exception {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).elf();
        LinkerScript s = LinkerScript.parse("k.lds", "PHDRS { text PT_LOAD; }\nSECTIONS {\n .text 0x1000 : { *(.text) } :code\n}");
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("k.lds:3: section `.text' assigned to non-existent phdr `code'"), e.errors());
    }

    @Test
    void referenceToDiscardedSection() throws Exception {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).section(".junk", A, bytes(1, 2, 3, 4))
                .sectionSymbol(".junk").reloc(".text", 1, Elf.R_386_32, "#.junk").elf();
        LinkerScript s = LinkerScript.parse("k.lds", "SECTIONS { .text 0x1000 : { *(.text) } /DISCARD/ : { *(.junk) } }");
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("a.o: in section .text+0x1: relocation R_386_32 refers to `.junk' in discarded section `.junk'"), e.errors());
    }

    @Test
    void manyErrorsAreCollectedAndCapped() {
        Obj ob = new Obj().section(".text", AX, new byte[400]).global("_start", ".text", 0);
        for (int i = 0; i < 60; i++) ob.undef("u" + i);
        for (int i = 0; i < 60; i++) ob.reloc(".text", i * 4, Elf.R_386_32, "u" + i);
        LinkException e = fail(new Linker().add("m.o", ob.elf()));
        assertEquals(51, e.errors().size());
        assertEquals("(10 more errors)", e.errors().get(50));
    }

    @Test
    void failedAssertion() throws Exception {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).section("__ex_table", A, new byte[8]).elf();
        LinkerScript s = LinkerScript.parse("k.lds", """
                SECTIONS {
                  .text 0x1000 : { *(.text) ASSERT(. - ADDR(.text) == 8, "text size changed") }
                  __ex_table : { __start___ex_table = .; *(__ex_table) __stop___ex_table = .; }
                }
                ASSERT((__stop___ex_table - __start___ex_table) % 16 == 0, "__ex_table holds an odd number of entries");
                ASSERT(1, ok)
                """);
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("k.lds:5: __ex_table holds an odd number of entries"), e.errors());
    }

    @Test
    void sectionPastTheEndOfTheAddressSpace() throws Exception {
        ElfFile o = new Obj().section(".text", AX, CALL).global("_start", ".text", 0).bss(".bss", 0x2000).elf();
        LinkerScript s = LinkerScript.parse("k.lds", "SECTIONS { .text 0x1000 : { *(.text) } .bss 0xfffff000 : { *(.bss) } }");
        LinkException e = fail(new Linker().add("a.o", o).script(s));
        assertEquals(List.of("section .bss [0xfffff000-...] of 0x2000 bytes runs past the end of the address space"), e.errors());
    }
}

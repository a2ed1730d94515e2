package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.ElfFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.fixup.link.Obj.*;
import static org.junit.jupiter.api.Assertions.*;

/** Scripts GNU ld takes or refuses in a particular way; the answers must be the same here. */
class ScriptEdgeCasesTest {
    static ElfFile object() {
        return new Obj().section(".text", AX, new byte[]{(byte) 0xc3}).global("_start", ".text", 0).elf();
    }

    static LinkResult link(String script) throws LinkException {
        return new Linker().add("t.o", object()).script(LinkerScript.parse("s.lds", script)).link();
    }

    @Test void sixHundredNestedParenthesesAreFolded() throws Exception {
        String e = "(".repeat(600) + "1" + ")".repeat(600);
        assertEquals(1L, link("SECTIONS { .text : { *(.text) } } x = " + e + ";").symbol("x"));
        String deep = "(".repeat(200_000) + "2" + ")".repeat(200_000);
        assertEquals(2L, link("x = " + deep + ";").symbol("x"));
    }

    @Test void aHundredThousandTermChainIsFolded() throws Exception {
        String chain = String.join("+", java.util.Collections.nCopies(100_000, "1"));
        assertEquals(100_000L, link("x = " + chain + ";").symbol("x"));
        String unary = "-".repeat(100_001) + "1";
        assertEquals(0xffffffffL, link("x = " + unary + ";").symbol("x"));
        String ternaries = "1 ? ".repeat(50_000) + "7" + " : 0".repeat(50_000);
        assertEquals(7L, link("x = " + ternaries + ";").symbol("x"));
    }

    @Test void deeplyNestedFunctionsEndInGnuLdsMemoryExhausted() {
        String nested = "ALIGN(".repeat(100_000) + "4" + ")".repeat(100_000);
        LinkException e = assertThrows(LinkException.class, () -> link("x = " + nested + ";"));
        assertTrue(e.getMessage().startsWith("s.lds:1: memory exhausted"), e.getMessage());
        String sorts = "SORT(".repeat(100_000) + ".text" + ")".repeat(100_000);
        e = assertThrows(LinkException.class, () -> link("SECTIONS { .text : { *(" + sorts + ") } }"));
        assertTrue(e.getMessage().contains("memory exhausted"), e.getMessage());
    }

    @Test void precedenceAndAssociativityAreCs() throws Exception {
        assertEquals(1L, link("x = 10 - 4 - 5;").symbol("x"));
        assertEquals(2L, link("x = 64 / 4 / 8;").symbol("x"));
        assertEquals(0xfffffffcL, link("x = -2 * 2;").symbol("x"));
        assertEquals(3L, link("x = 0 ? 1 : 0 ? 2 : 3;").symbol("x"));
        assertEquals(5L, link("x = (1 ? 2 : 3) + 3;").symbol("x"));
        assertEquals(1L, link("x = 1 < 2 == 1;").symbol("x"));
        assertEquals(4L, link("x = 1 << 1 + 1;").symbol("x"));
    }

    @Test void aSelfReferenceToAnUndefinedSymbolIsRefused() {
        LinkException e = assertThrows(LinkException.class, () -> link("SECTIONS { .text : { *(.text) } a = a + 1; }"));
        assertEquals(List.of("s.lds:1: undefined symbol `a' referenced in expression"), e.errors());
    }

    @Test void forwardReferencesStillSettle() throws Exception {
        LinkResult r = link("SECTIONS { x = y + 1; .text 0x1000 : { *(.text) } y = ADDR(.text); }");
        assertEquals(0x1001L, r.symbol("x"));
    }

    @Test void anEmptyEntryIsASyntaxError() {
        LinkException e = assertThrows(LinkException.class, () -> LinkerScript.parse("s.lds", "ENTRY()\n"));
        assertTrue(e.getMessage().startsWith("s.lds:1: syntax error"), e.getMessage());
    }

    @Test void executableStartIsProvidedByTheDefaultLayout() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[4]).global("_start", ".text", 0)
                .undef("__executable_start").reloc(".text", 0, dev.fixup.elf.Elf.R_386_32, "__executable_start").elf();
        LinkResult r = new Linker().add("t.o", o).link();
        assertEquals(0x08048000L, r.symbol("__executable_start"));
        assertEquals(0x08048000, LittleEndian.get32(r.elf().section(".text").data, 0));
    }

    @Test void unbalancedExpressionsAreSyntaxErrors() {
        for (String bad : new String[]{"x = (1;", "x = 1);", "x = 1 ? 2;", "x = ;", "x = 1 +;", "x = ((((;"}) {
            LinkException e = assertThrows(LinkException.class, () -> link(bad), bad);
            assertTrue(e.getMessage().startsWith("s.lds:1: syntax error"), bad + " -> " + e.getMessage());
        }
    }
}

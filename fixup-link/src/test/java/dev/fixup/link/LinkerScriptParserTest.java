package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.link.LinkerScript.*;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LinkerScriptParserTest {

    /** Evaluates a constant expression through a one-assignment script. */
    static long value(String expr) throws LinkException {
        LinkerScript s = LinkerScript.parse("e.lds", "x = " + expr + ";");
        Assignment a = (Assignment) s.statements.get(0);
        return a.expr().eval(new Ctx());
    }

    static final class Ctx implements ScriptExpression.Context {
        long dot = 0x1000;
        public long dot() { return dot; }
        public Long symbol(String name) { return name.equals("sym") ? 0x40L : null; }
        public boolean defined(String name) { return name.equals("sym"); }
        public Long sectionAddress(String name) { return name.equals(".text") ? 0xc0100000L : null; }
        public Long sectionLoadAddress(String name) { return name.equals(".text") ? 0x100000L : null; }
        public Long sectionSize(String name) { return name.equals(".text") ? 0x123L : null; }
        public long sizeofHeaders() { return 0x74; }
        public long fail(int line, String message) { throw new IllegalStateException(line + ": " + message); }
    }

    @Test
    void numbers() throws Exception {
        assertEquals(0x10, value("0x10"));
        assertEquals(10, value("10"));
        assertEquals(8, value("010"));
        assertEquals(4096, value("4K"));
        assertEquals(2 * 1024 * 1024, value("2M"));
        assertEquals(0xC0000000L, value("0xC0000000"));
    }

    @Test
    void operatorsAndPrecedence() throws Exception {
        assertEquals(7, value("1 + 2 * 3"));
        assertEquals(9, value("(1 + 2) * 3"));
        assertEquals(0xfffffff0L, value("~0xf"));
        assertEquals(0, value("!5"));
        assertEquals(1, value("!0"));
        assertEquals(0x30, value("3 << 4"));
        assertEquals(3, value("0x30 >> 4"));
        assertEquals(0x0f, value("0xff & 0x0f"));
        assertEquals(0xff, value("0xf0 | 0x0f"));
        assertEquals(2, value("7 / 3"));
        assertEquals(1, value("7 % 3"));
        assertEquals(0xffffffffL, value("0 - 1"));
        assertEquals(5, value("1 < 2 ? 5 : 6"));
        assertEquals(1, value("1 + 1 == 2 && 3 >= 3"));
        assertEquals(0x1000 + 1 + 4 - 3, value("1 + . + 4 - 3"));
        assertEquals(6, value("-(-6)"));
    }

    @Test
    void functions() throws Exception {
        assertEquals(0x1000, value("ALIGN(0x1000)"));
        assertEquals(0x2000, value("ALIGN(. + 1, 0x1000)"));
        assertEquals(0x20, value("ALIGN(0x11, 16)"));
        assertEquals(0xc0100000L, value("ADDR(.text)"));
        assertEquals(0x100000, value("LOADADDR(.text)"));
        assertEquals(0x123, value("SIZEOF(.text)"));
        assertEquals(0x40, value("ABSOLUTE(sym)"));
        assertEquals(1, value("DEFINED(sym)"));
        assertEquals(0, value("DEFINED(nosym)"));
        assertEquals(0x74, value("SIZEOF_HEADERS"));
        assertEquals(9, value("MAX(2, 9)"));
        assertEquals(2, value("MIN(2, 9)"));
        assertEquals(0xc0000000L - 0x100000 + 0x40, value("ADDR(.text) - LOADADDR(.text) + sym - 0x100000 + 0x100000 - 0x100000 + 0x100000 - 0x100000 + 0x100000 - (ADDR(.text) - 0xc0000000) "));
    }

    @Test
    void seedFragmentWithPhdrsAndFill() throws Exception {
        LinkerScript s = LinkerScript.parse("kernel.lds", """
                /* the seed's fragment */
                OUTPUT_FORMAT("elf32-i386", "elf32-i386", "elf32-i386")
                OUTPUT_ARCH(i386)
                ENTRY(startup_32)
                LOAD_OFFSET = 0xC0000000;
                PHDRS { text PT_LOAD FLAGS(5); data PT_LOAD; }
                SECTIONS
                {
                  . = 0xC0100000;
                  .text : AT(ADDR(.text) - LOAD_OFFSET) { *(.text) *(.fixup) } :text = 0x9090
                  __ex_table : AT(ADDR(__ex_table) - LOAD_OFFSET) {
                      __start___ex_table = .;
                        *(__ex_table)
                      __stop___ex_table = .;
                  } :text = 0x9090
                  .data ALIGN(4096) : { *(.data) KEEP(*(SORT(.data.*))) } :data
                  PROVIDE(edata = .);
                  /DISCARD/ : { *(.exit.text) *.o(.comment) }
                }
                """);
        assertEquals("startup_32", s.entry);
        assertEquals(2, s.phdrs.size());
        assertEquals(Elf.PT_LOAD, s.phdrs.get(0).type());
        List<Statement> st = s.statements;
        assertEquals("LOAD_OFFSET", ((Assignment) st.get(0)).symbol());
        assertTrue(((Assignment) st.get(1)).isDot());
        OutputSection ex = (OutputSection) st.get(3);
        assertEquals("__ex_table", ex.name());
        assertNotNull(ex.lma());
        assertEquals(List.of("text"), ex.phdrs());
        assertArrayEquals(new byte[]{(byte) 0x90, (byte) 0x90}, ex.fillPattern());
        assertEquals(3, ex.items().size());
        assertEquals("__start___ex_table", ((Assignment) ex.items().get(0)).symbol());
        InputSpec in = (InputSpec) ex.items().get(1);
        assertEquals("*", in.filePattern());
        assertEquals(List.of("__ex_table"), in.sectionPatterns());
        OutputSection data = (OutputSection) st.get(4);
        assertNotNull(data.address());
        InputSpec keep = (InputSpec) data.items().get(1);
        assertTrue(keep.keep());
        assertTrue(keep.sort());
        assertEquals(List.of(".data.*"), keep.sectionPatterns());
        assertTrue(((Assignment) st.get(5)).provide());
        OutputSection discard = (OutputSection) st.get(6);
        assertTrue(discard.isDiscard());
        assertEquals("*.o", ((InputSpec) discard.items().get(1)).filePattern());
    }

    @Test
    void wildcards() {
        assertTrue(SectionLayout.glob(".text.*").matcher(".text.unlikely").matches());
        assertFalse(SectionLayout.glob(".text.*").matcher(".text").matches());
        assertTrue(SectionLayout.glob(".dat?").matcher(".data").matches());
        assertTrue(SectionLayout.glob("*.o").matcher("uaccess.o").matches());
        assertTrue(SectionLayout.glob(".rodata.[a-c]*").matcher(".rodata.b1").matches());
        assertFalse(SectionLayout.glob(".rodata.[!a-c]*").matcher(".rodata.b1").matches());
    }

    static String error(String text) {
        LinkException e = assertThrows(LinkException.class, () -> LinkerScript.parse("kernel.lds", text));
        return e.getMessage();
    }

    @Test
    void syntaxErrorsNameFileLineAndToken() {
        assertEquals("kernel.lds:4: syntax error near `}'", error("SECTIONS {\n .text : {\n }\n x = }\n"));
        assertEquals("kernel.lds:2: syntax error near `;'", error("SECTIONS {\n . = 0x1000 + ;\n}"));
        assertEquals("kernel.lds:3: syntax error near `}'", error("SECTIONS {\n .text : {\n *( }\n}"));
        assertEquals("kernel.lds:1: syntax error near `BAR'", error("FOO BAR"));
        assertEquals("kernel.lds:2: syntax error: unexpected end of file", error("SECTIONS {\n .text : { *(.text) }"));
        assertEquals("kernel.lds:1: syntax error near `0x1z'", error("x = 0x1z;"));
        assertEquals("kernel.lds:1: unterminated comment", error("/* never closed"));
        assertEquals("kernel.lds:1: wrong number of arguments to MAX", error("x = MAX(1);"));
        assertEquals("kernel.lds:2: syntax error near `y'", error("SECTIONS {\n x = 1 y = 2;\n}"));
    }
}

package dev.fixup.elf;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ElfRoundTripTest {
    @TempDir Path dir;

    static final String SAMPLE = """
            .file "sample.s"
            .text
            .globl _start
            .type _start,@function
        _start:
            movl $msg, %ecx
            call helper
        1:  movl (%ebx), %eax
        2:  jmp done
            .section .fixup,"ax"
        3:  movl $-14, %eax
            jmp 2b
            .previous
            .section __ex_table,"a"
            .align 4
            .long 1b,3b
            .previous
        helper: ret
        done:
            movl $1, %eax
            int $0x80
            .size _start, .-_start
            .data
        msg: .ascii "hello\\n"
            .long ext_symbol, helper
            .word ext_symbol
            .byte 7
            .bss
            .comm buf,64,4
            .lcomm lbuf,16
            .section .rodata.str,"aMS",@progbits,1
            .asciz "abc"
            .weak wk
            .long wk
        """;

    @Test
    void readsGnuAsObject() throws Exception {
        ElfFile f = ElfReader.read(Binutils.assemble(dir, "sample", SAMPLE));
        assertEquals(Elf.ET_REL, f.type);
        assertNotNull(f.section(".text"));
        assertNotNull(f.section("__ex_table"));
        Section rel = f.section(".rel__ex_table");
        assertNotNull(rel);
        assertEquals(2, rel.relocations.size());
        assertEquals(f.indexOf(f.section("__ex_table")), rel.info);
        Symbol start = f.symbol("_start");
        assertEquals(Elf.STB_GLOBAL, start.bind());
        assertEquals(Elf.STT_FUNC, start.type());
        assertEquals(Elf.SHN_COMMON, f.symbol("buf").shndx);
        assertEquals(Elf.STB_WEAK, f.symbol("wk").bind());
        assertFalse(f.symbol("ext_symbol").isDefined());
        assertEquals(Elf.SHT_NOBITS, f.section(".bss").type);
        assertNull(f.section(".bss").data);
    }

    @Test
    void writeThenReadGivesTheSameModel() throws Exception {
        byte[] orig = Binutils.assemble(dir, "sample", SAMPLE);
        ElfFile a = ElfReader.read(orig);
        byte[] written = ElfWriter.write(a);
        ElfFile b = ElfReader.read(written);
        assertSameModel(ElfReader.read(orig), b);
        Binutils.readelfClean(dir, written);
        // writing again is stable
        assertArrayEquals(written, ElfWriter.write(ElfReader.read(written)));
    }

    @Test
    void roundTripsCompilerObjectsWithGroups() throws Exception {
        HostTools.require("g++");
        java.nio.file.Files.writeString(dir.resolve("i.cc"),
                "inline int twice(int x) { return 2 * x; }\nextern \"C\" int use1(int v) { return twice(v) + 1; }\nint g = 3; int z[4];\n");
        HostTools.Result r = HostTools.run(dir, "g++", "-m32", "-c", "-O0", "-fno-pic", "-o", "i.o", "i.cc");
        org.junit.jupiter.api.Assumptions.assumeTrue(r.exit() == 0, "g++ -m32 unavailable: " + r.out());
        byte[] orig = java.nio.file.Files.readAllBytes(dir.resolve("i.o"));
        ElfFile a = ElfReader.read(orig);
        assertNotNull(a.section(".group"));
        byte[] written = ElfWriter.write(a);
        assertSameModel(ElfReader.read(orig), ElfReader.read(written));
        String re = Binutils.readelfClean(dir, written);
        assertTrue(re.contains("COMDAT group section"), re);
        assertTrue(re.contains("_Z5twicei"), re);
    }

    @Test
    void rewrittenStaticGlibcProgramStillRuns() throws Exception {
        // a real executable with 8 program headers (TLS, RELRO, notes): read, re-lay out, write, run
        HostTools.require("gcc");
        java.nio.file.Files.writeString(dir.resolve("h.c"), "#include <stdio.h>\nint main(void) { puts(\"hi from glibc\"); return 7; }\n");
        HostTools.Result r = HostTools.run(dir, "gcc", "-m32", "-static", "-O2", "-o", "h", "h.c");
        org.junit.jupiter.api.Assumptions.assumeTrue(r.exit() == 0, "gcc -m32 -static unavailable: " + r.out());
        ElfFile f = ElfReader.read(java.nio.file.Files.readAllBytes(dir.resolve("h")));
        byte[] w = ElfWriter.write(f);
        Binutils.readelfClean(dir, w);
        HostTools.require("qemu-i386");
        java.nio.file.Path out = dir.resolve("h2");
        java.nio.file.Files.write(out, w);
        assertTrue(out.toFile().setExecutable(true));
        HostTools.Result run = HostTools.run(dir, "qemu-i386", out.toString());
        assertEquals("hi from glibc\n", run.out());
        assertEquals(7, run.exit());
    }

    @Test
    void writesFromScratchWithTablesCreated() throws Exception {
        ElfFile f = new ElfFile();
        Section text = new Section(".text", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR);
        text.setData(new byte[]{(byte) 0xe8, 0, 0, 0, 0, (byte) 0xc3});
        text.addralign = 16;
        f.sections.add(text);
        Section rel = new Section(".rel.text", Elf.SHT_REL, Elf.SHF_INFO_LINK);
        rel.info = 1;
        f.sections.add(rel);
        // a global before a local: the writer must reorder and remap
        f.symbols.add(new Symbol("foo", 0, 0, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_NOTYPE), 0));
        f.symbols.add(new Symbol("loc", 5, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_NOTYPE), 1));
        rel.relocations.add(new Relocation(1, Elf.R_386_PC32, 1));
        byte[] bytes = ElfWriter.write(f);
        String re = Binutils.readelfClean(dir, bytes);
        assertTrue(re.contains("R_386_PC32"), re);
        ElfFile back = ElfReader.read(bytes);
        assertEquals("loc", back.symbols.get(1).name);
        assertEquals("foo", back.symbols.get(2).name);
        assertEquals(2, back.section(".rel.text").relocations.get(0).symbol);
        assertEquals(2, back.section(".symtab").info);
        assertNotNull(back.section(".strtab"));
        assertNotNull(back.section(".shstrtab"));
    }

    @Test
    void writesExecutableWithCongruentSegments() throws Exception {
        ElfFile f = new ElfFile();
        f.type = Elf.ET_EXEC;
        Section text = new Section(".text", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR);
        text.setData(new byte[]{(byte) 0xb8, 1, 0, 0, 0, (byte) 0xcd, (byte) 0x80});
        text.addr = 0x08049000;
        text.addralign = 16;
        Section data = new Section(".data", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE);
        data.setData(new byte[]{1, 2, 3, 4});
        data.addr = 0x0804a007;
        Section bss = new Section(".bss", Elf.SHT_NOBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE);
        bss.size = 0x2000;
        bss.addr = 0x0804a010;
        f.sections.addAll(Arrays.asList(text, data, bss));
        f.entry = text.addr;
        f.symbols.add(new Symbol("_start", text.addr, 0, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_FUNC), 1));
        Segment t = new Segment(); t.vaddr = t.paddr = 0x08048000; t.memsz = 0x1007; t.flags = Elf.PF_R | Elf.PF_X;
        Segment d = new Segment(); d.vaddr = d.paddr = 0x0804a007; d.memsz = 0x2009; d.flags = Elf.PF_R | Elf.PF_W;
        Segment st = new Segment(); st.type = Elf.PT_GNU_STACK; st.flags = Elf.PF_R | Elf.PF_W; st.align = 16;
        f.segments.addAll(Arrays.asList(t, d, st));
        byte[] bytes = ElfWriter.write(f);
        Binutils.readelfClean(dir, bytes);
        ElfFile back = ElfReader.read(bytes);
        for (Segment g : back.segments)
            if (g.type == Elf.PT_LOAD) assertEquals(0, Integer.remainderUnsigned(g.offset - g.vaddr, g.align));
        assertEquals(0, back.segments.get(0).offset);
        assertEquals(0x1007, back.segments.get(0).filesz);
        assertEquals(4, back.segments.get(1).filesz);
        assertEquals(0x2009, back.segments.get(1).memsz);
        Section bt = back.section(".text");
        assertEquals((byte) 0xb8, bytes[bt.offset]);
    }

    static void assertSameModel(ElfFile a, ElfFile b) {
        assertEquals(a.type, b.type);
        assertEquals(a.entry, b.entry);
        assertEquals(a.sections.size(), b.sections.size());
        for (int i = 0; i < a.sections.size(); i++) {
            Section x = a.sections.get(i), y = b.sections.get(i);
            assertEquals(x.name, y.name);
            assertEquals(x.type, y.type, x.name);
            assertEquals(x.flags, y.flags, x.name);
            if (x.type != Elf.SHT_STRTAB) assertEquals(x.size, y.size, x.name);
            assertEquals(x.info, y.info, x.name);
            assertEquals(x.link, y.link, x.name);
            if (x.type != Elf.SHT_STRTAB && x.type != Elf.SHT_SYMTAB) assertArrayEquals(x.data, y.data, x.name);
            assertEquals(x.relocations.size(), y.relocations.size());
            for (int k = 0; k < x.relocations.size(); k++) {
                assertEquals(x.relocations.get(k).offset, y.relocations.get(k).offset);
                assertEquals(x.relocations.get(k).type, y.relocations.get(k).type);
                assertEquals(x.relocations.get(k).symbol, y.relocations.get(k).symbol);
            }
        }
        assertEquals(a.symbols.size(), b.symbols.size());
        for (int i = 0; i < a.symbols.size(); i++) {
            Symbol x = a.symbols.get(i), y = b.symbols.get(i);
            assertEquals(x.name, y.name);
            assertEquals(x.value, y.value, x.name);
            assertEquals(x.size, y.size, x.name);
            assertEquals(x.info, y.info, x.name);
            assertEquals(x.other, y.other, x.name);
            assertEquals(x.shndx, y.shndx, x.name);
        }
    }
}

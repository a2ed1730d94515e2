package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.testkit.Qemu;
import dev.fixup.elf.ExTable;
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

import static org.junit.jupiter.api.Assertions.*;

/** Links the same GNU-as objects with the same script through our linker and GNU ld; the results must agree. */
class GnuLdComparisonTest {
    @TempDir Path dir;

    static final String A = """
            .file "a.s"
            .text
            .globl _start
            .type _start,@function
        _start:
            movl $__start___ex_table, %esi
            movl $__stop___ex_table, %edi
            call copy_user
            call used_provide
        1:  movl (%ebx), %eax
        2:  jmp local_label
            .section .fixup,"ax"
        3:  movl $-14, %eax
            jmp 2b
        4:  xorl %eax, %eax
            jmp 2b
            .previous
            .section __ex_table,"a"
            .align 4
            .long 2b,4b
            .long 1b,3b
            .previous
        local_label:
            jmp 1b
            .size _start, .-_start
            .section .text.unlikely,"ax",@progbits
        cold: ret
            .data
            .globl table
        table: .long _start, copy_user, cold, table + 8, _end, sz
            .word 0x1234
            .byte 9
            .section .rodata.str1.1,"aMS",@progbits,1
        str: .asciz "text"
            .section .discard_me,"a"
            .long 1
            .bss
            .lcomm lbuf, 12
            .comm shared, 40, 16
        """;

    static final String B = """
            .file "b.s"
            .text
            .p2align 4
            .globl copy_user
            .type copy_user,@function
        copy_user:
        0:  rep; movsl
            movl %edx, %ecx
        1:  rep; movsb
        2:  ret
            .section .fixup,"ax"
        3:  lea 0(%edx,%ecx,4), %ecx
            jmp 2b
            .previous
            .section __ex_table,"a"
            .align 4
            .long 1b,2b
            .long 0b,3b
            .previous
            .size copy_user, .-copy_user
            .data
            .p2align 3
        bdata: .long shared, str_b, lbuf_b
            .section .rodata
        str_b: .ascii "B"
            .bss
            .comm shared, 64, 8
            .lcomm lbuf_b, 3
        """;

    static final String SCRIPT = """
        /* a kernel-like layout */
        OUTPUT_ARCH(i386)
        ENTRY(_start)
        LOAD_OFFSET = 0xC0000000;
        SECTIONS
        {
          . = 0xC0100000;
          .text : AT(ADDR(.text) - LOAD_OFFSET) {
            _text = .;
            *(.text.unlikely .text.*_unlikely)
            *(.text .text.*)
            *(.fixup)
            _etext = .;
          } = 0x9090
          . = ALIGN(16);
          __ex_table : AT(ADDR(__ex_table) - LOAD_OFFSET) {
            __start___ex_table = .;
            KEEP(*(__ex_table))
            __stop___ex_table = .;
          }
          .rodata ALIGN(32) : AT(ADDR(.rodata) - LOAD_OFFSET) { *(.rodata .rodata.*) }
          . = ALIGN(4096);
          .data : AT(ADDR(.data) - LOAD_OFFSET) {
            _data = .;
            __data_rel = 0x10;
            __data_abs = ABSOLUTE(0x10);
            *(.data)
            LONG(0xdeadbeef) SHORT(ADDR(.text) >> 16) BYTE(1)
            . = ALIGN(4);
            _edata = .;
          }
          PROVIDE(unused_provide = 1);
          PROVIDE(used_provide = 0x1234);
          .bss : AT(ADDR(.bss) - LOAD_OFFSET) { __bss_start = .; *(.bss) *(COMMON) __bss_stop = .; }
          _end = .;
          sz = SIZEOF(.text) + (2 << 3) * 3 / 2 - (~0 & 0xff) | 1;
          after = _end + 4K + 1M;
          cond = SIZEOF(.bss) > 10 ? 1 : 2;
          /DISCARD/ : { *(.comment) *(.note.GNU-stack) *(.discard_me) }
        }
        """;

    @Test
    void sameResultAsGnuLd() throws Exception {
        HostTools.require("ld");
        byte[] a = Binutils.assemble(dir, "a", A), b = Binutils.assemble(dir, "b", B);
        Files.writeString(dir.resolve("k.lds"), SCRIPT);
        HostTools.Result ld = HostTools.run(dir, "ld", "-m", "elf_i386", "-T", "k.lds", "-o", "gnu.out", "a.o", "b.o");
        assertEquals(0, ld.exit(), ld.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("gnu.out")));

        LinkResult ours = new Linker().add("a.o", a).add("b.o", b).script(LinkerScript.parse("k.lds", SCRIPT)).link();
        Binutils.readelfClean(dir, ours.bytes());
        ElfFile mine = ElfReader.read(ours.bytes());
        compare(gnu, mine);
        // ld leaves __ex_table as gathered; ours is sorted (sorttable's job in Linux)
        assertTrue(ExTable.isSorted(mine.section("__ex_table").data));
        assertFalse(ExTable.isSorted(gnu.section("__ex_table").data), "test objects should give ld an unsorted table");
    }

    static final String USER = """
            .text
            .globl _start
        _start:
            movl $4, %eax
            movl $1, %ebx
            movl $msg, %ecx
            movl $6, %edx
            int $0x80
            movl $1, %eax
            movl val, %ebx
            int $0x80
            .section .rodata
        msg: .ascii "hello\\n"
            .data
            .globl val
        val: .long 7
            .long _end, _edata, __bss_start, _etext, end
            .bss
            .comm buf, 10, 4
            .section .note.GNU-stack,"",@progbits
        """;

    @Test
    void defaultLayoutMatchesLdStatic() throws Exception {
        HostTools.require("ld");
        byte[] u = Binutils.assemble(dir, "u", USER);
        HostTools.Result ld = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-z", "noseparate-code", "-o", "gnu.out", "u.o");
        assertEquals(0, ld.exit(), ld.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("gnu.out")));
        LinkResult ours = new Linker().add("u.o", u).link();
        Binutils.readelfClean(dir, ours.bytes());
        compare(gnu, ElfReader.read(ours.bytes()));
        assertEquals(gnu.segments.size(), ours.elf().segments.size());
    }

    @Test
    void textOnlyProgramHasNoDataSegment() throws Exception {
        HostTools.require("ld");
        String src = """
                .text
                .globl _start
            _start:
                movl $msg, %ecx
                movl $1, %eax
                movl $3, %ebx
                int $0x80
                .section .rodata
            msg: .ascii "ro"
            """;
        byte[] o = Binutils.assemble(dir, "t", src);
        HostTools.Result ld = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-z", "noseparate-code", "-o", "gnu.out", "t.o");
        assertEquals(0, ld.exit(), ld.out());
        LinkResult ours = new Linker().add("t.o", o).link();
        Binutils.readelfClean(dir, ours.bytes());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("gnu.out")));
        // ld adds no PT_GNU_STACK without .note.GNU-stack; ours always does, so its headers are 32 bytes longer
        ElfFile mine = ElfReader.read(ours.bytes());
        assertNull(mine.section(".bss"));
        assertNull(mine.section(".data"));
        assertEquals(1, mine.segments.stream().filter(s -> s.type == Elf.PT_LOAD).count());
        assertEquals(gnu.section(".rodata").size, mine.section(".rodata").size);
        HostTools.Result run = Qemu.run(dir, "t.exe", ours.bytes());
        assertEquals(3, run.exit());
    }

    static void compare(ElfFile gnu, ElfFile mine) {
        assertEquals(gnu.entry, mine.entry, "e_entry");
        List<String> problems = new ArrayList<>();
        for (Section g : gnu.sections) {
            if (!g.isAlloc()) continue;
            Section m = mine.section(g.name);
            if (m == null) { problems.add("missing section " + g.name); continue; }
            if (g.addr != m.addr) problems.add(g.name + " addr gnu 0x" + Integer.toHexString(g.addr) + " ours 0x" + Integer.toHexString(m.addr));
            if (g.size != m.size) problems.add(g.name + " size gnu " + g.size + " ours " + m.size);
            if (g.type != m.type) problems.add(g.name + " type gnu " + g.type + " ours " + m.type);
            if ((g.flags & 7) != (m.flags & 7)) problems.add(g.name + " flags gnu " + g.flags + " ours " + m.flags);
            if (g.data != null && m.data != null && g.data.length == m.data.length) {
                byte[] gd = g.data.clone();
                if (g.name.equals("__ex_table")) ExTable.sort(gd);
                for (int i = 0; i < gd.length; i++)
                    if (gd[i] != m.data[i]) { problems.add(g.name + " differs at +0x" + Integer.toHexString(i)); break; }
            }
        }
        for (Section m : mine.sections)
            if (m.isAlloc() && gnu.section(m.name) == null) problems.add("extra section " + m.name);
        for (Symbol g : gnu.symbols) {
            if (g.name.isEmpty() || g.type() == Elf.STT_FILE || g.type() == Elf.STT_SECTION) continue;
            Symbol m = mine.symbol(g.name);
            if (m == null) { problems.add("missing symbol " + g.name); continue; }
            if (m.value != g.value) problems.add("symbol " + g.name + " gnu 0x" + Integer.toHexString(g.value) + " ours 0x" + Integer.toHexString(m.value));
            if (m.bind() != g.bind()) problems.add("symbol " + g.name + " binding gnu " + g.bind() + " ours " + m.bind());
            if (g.shndx < 0xff00 && m.shndx < 0xff00 && !gnu.sections.get(g.shndx).name.equals(mine.sections.get(m.shndx).name))
                problems.add("symbol " + g.name + " section gnu " + gnu.sections.get(g.shndx).name + " ours " + mine.sections.get(m.shndx).name);
        }
        for (int i = 0; i < gnu.segments.size() && i < mine.segments.size(); i++) {
            var gs = gnu.segments.get(i);
            if (gs.type != Elf.PT_LOAD) continue;
            boolean found = mine.segments.stream().anyMatch(s -> s.type == Elf.PT_LOAD && s.paddr == gs.paddr && s.vaddr == gs.vaddr);
            if (!found) problems.add("no load segment at vaddr 0x" + Integer.toHexString(gs.vaddr) + " paddr 0x" + Integer.toHexString(gs.paddr));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}

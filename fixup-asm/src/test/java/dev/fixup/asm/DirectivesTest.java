package dev.fixup.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each directive on its own, checked against the bytes and symbols GNU as produces (values taken from as 2.40). */
class DirectivesTest {

    static ElfFile asm(String src) throws AsmException { return Assembler.assemble("t.S", src); }

    static String hex(ElfFile f, String section) {
        Section s = f.section(section);
        assertNotNull(s, "no section " + section);
        return HexFormat.of().formatHex(s.data);
    }

    static List<String> relocs(ElfFile f, String section) {
        int idx = f.indexOf(f.section(section));
        List<String> out = new ArrayList<>();
        for (Section s : f.sections) {
            if (s.type != Elf.SHT_REL || s.info != idx) continue;
            for (Relocation r : s.relocations) {
                Symbol sym = f.symbols.get(r.symbol);
                String n = sym.type() == Elf.STT_SECTION ? f.sections.get(sym.shndx).name : sym.name;
                out.add(Integer.toHexString(r.offset) + " " + (r.type == Elf.R_386_32 ? "R_386_32" : r.type == Elf.R_386_PC32 ? "R_386_PC32" : "type" + r.type) + " " + n);
            }
        }
        return out;
    }

    @Test void dataDirectives() throws Exception {
        ElfFile f = asm(".data\n.byte 1,-1,'a,'b'\n.word 0x1234\n.short 2\n.value 3\n.long 0x12345678\n.int 5\n.quad 0x1122334455667788\n");
        assertEquals("01ff61623412020003007856341205000000" + "8877665544332211", hex(f, ".data"));
    }

    @Test void strings() throws Exception {
        ElfFile f = asm(".data\n.ascii \"ab\", \"c\\n\"\n.asciz \"x\"\n.string \"\\101\\x42\\t\"\n");
        assertEquals("6162630a" + "7800" + "41420900", hex(f, ".data"));
    }

    @Test void fillSpaceSkipZero() throws Exception {
        ElfFile f = asm(".data\n.fill 2,2,0x1234\n.fill 1,8,0x11223344\n.space 2\n.space 2,0xaa\n.skip 1,7\n.zero 3\n");
        assertEquals("34123412" + "4433221100000000" + "0000aaaa07000000", hex(f, ".data"));
    }

    @Test void expressions() throws Exception {
        ElfFile f = asm(".data\n.long 1+2*3, (1+2)*3, 7/2, 7%3, 1<<4, 256>>4, 6&3, 6|1, 6^3, ~0, !0, -(-5), 3==3, 2<3, 0b101, 010, 'a+1\n");
        assertEquals("07000000" + "09000000" + "03000000" + "01000000" + "10000000" + "10000000" + "02000000" + "07000000"
                + "05000000" + "ffffffff" + "01000000" + "05000000" + "ffffffff" + "ffffffff" + "05000000" + "08000000" + "62000000",
                hex(f, ".data"));
    }

    @Test void alignmentInDataAndCode() throws Exception {
        ElfFile f = asm(".data\n.byte 1\n.align 4\n.byte 2\n.balign 4,0x55\n.byte 3\n.p2align 3,0x77\n.byte 4\n"
                + ".text\nnop\n.p2align 3\nret\n.byte 1\n.balign 16,,2\n.byte 2\n");
        assertEquals("01000000025555550377777777777777" + "04", hex(f, ".data"));
        // 7 bytes of padding in code: the 7-byte NOP GNU as uses; the .balign with max 2 is skipped
        assertEquals("90" + "8db42600000000" + "c3" + "01" + "02", hex(f, ".text"));
        assertEquals(8, f.section(".data").addralign);
        assertEquals(16, f.section(".text").addralign);
    }

    @Test void nopPatterns() {
        assertEquals("90", HexFormat.of().formatHex(NopFill.of(1)));
        assertEquals("8d74260090", HexFormat.of().formatHex(NopFill.of(5)));
        assertEquals("8db426000000008d7600", HexFormat.of().formatHex(NopFill.of(10)));
        assertEquals("eb13", HexFormat.of().formatHex(NopFill.of(21)).substring(0, 4));
        assertEquals("e97d000000", HexFormat.of().formatHex(NopFill.of(130)).substring(0, 10));
    }

    @Test void sectionsAndFlags() throws Exception {
        ElfFile f = asm(".section .fixup,\"ax\"\nnop\n.section __ex_table,\"a\"\n.long 0\n.section .rodata\n.byte 1\n"
                + ".section .mine,\"aw\",@nobits\n.skip 4\n.section .str,\"aMS\",@progbits,1\n.asciz \"s\"\n"
                + ".section .note.x,\"\",@note\n.long 1\n");
        assertEquals(Elf.SHF_ALLOC | Elf.SHF_EXECINSTR, f.section(".fixup").flags);
        assertEquals(Elf.SHF_ALLOC, f.section("__ex_table").flags);
        assertEquals(Elf.SHF_ALLOC, f.section(".rodata").flags);
        assertEquals(Elf.SHT_NOBITS, f.section(".mine").type);
        assertEquals(4, f.section(".mine").size);
        assertEquals(Elf.SHF_ALLOC | Elf.SHF_MERGE | Elf.SHF_STRINGS, f.section(".str").flags);
        assertEquals(1, f.section(".str").entsize);
        assertEquals(Elf.SHT_NOTE, f.section(".note.x").type);
        assertEquals(Elf.SHT_NOBITS, f.section(".bss").type);
    }

    @Test void previousPushPop() throws Exception {
        ElfFile f = asm(".text\n.byte 1\n.section .a,\"a\"\n.byte 2\n.previous\n.byte 3\n.pushsection .b,\"a\"\n.byte 4\n"
                + ".popsection\n.byte 5\n.data\n.byte 6\n.previous\n.byte 7\n");
        assertEquals("010305" + "07", hex(f, ".text"));
        assertEquals("02", hex(f, ".a"));
        assertEquals("04", hex(f, ".b"));
        assertEquals("06", hex(f, ".data"));
    }

    @Test void symbolsAndBindings() throws Exception {
        ElfFile f = asm(".file \"x.c\"\n.globl g\n.weak w\n.text\nl:\ng: nop\n.type g,@function\n.size g,.-g\n.hidden g\n"
                + ".set abs, 5\n.equ abs2, abs*2\nv = 3\n.comm c,8,4\n.lcomm lc,4\n.long w\n.local loc\nloc:\n.L1: nop\n");
        assertEquals(Elf.STT_FILE, f.symbols.get(1).type());
        assertEquals("x.c", f.symbols.get(1).name);
        Symbol g = f.symbol("g");
        assertEquals(Elf.STB_GLOBAL, g.bind());
        assertEquals(Elf.STT_FUNC, g.type());
        assertEquals(1, g.size);
        assertEquals(2, g.other);
        assertEquals(Elf.STB_WEAK, f.symbol("w").bind());
        assertEquals(Elf.SHN_UNDEF, f.symbol("w").shndx);
        assertEquals(Elf.SHN_ABS, f.symbol("abs2").shndx);
        assertEquals(10, f.symbol("abs2").value);
        assertEquals(3, f.symbol("v").value);
        assertEquals(Elf.SHN_COMMON, f.symbol("c").shndx);
        assertEquals(4, f.symbol("c").value);
        assertEquals(8, f.symbol("c").size);
        assertEquals(Elf.STB_LOCAL, f.symbol("lc").bind());
        assertEquals(Elf.STT_OBJECT, f.symbol("lc").type());
        assertEquals(Elf.STB_LOCAL, f.symbol("l").bind());
        assertNull(f.symbol(".L1"));
        // locals first
        boolean seenGlobal = false;
        for (int i = 1; i < f.symbols.size(); i++) {
            if (f.symbols.get(i).bind() != Elf.STB_LOCAL) seenGlobal = true;
            else assertEquals(false, seenGlobal, "local after global");
        }
    }

    @Test void numericLocalLabelsAreReusable() throws Exception {
        ElfFile f = asm("1: nop\n jmp 1b\n jmp 1f\n1: nop\n jmp 1b\n.data\n.long 1b\n");
        assertEquals("90ebfdeb0090ebfd", hex(f, ".text"));
        assertEquals(List.of("0 R_386_32 .text"), relocs(f, ".data"));
        assertEquals("05000000", hex(f, ".data"));
    }

    @Test void relocationsAgainstLocalsUseTheSectionSymbol() throws Exception {
        ElfFile f = asm(".text\nnop\nhere: ret\n.globl gl\ngl: ret\n.data\n.long here, here+4, gl, ext, ext-8\n.long ext-.\n");
        assertEquals(List.of("0 R_386_32 .text", "4 R_386_32 .text", "8 R_386_32 gl", "c R_386_32 ext", "10 R_386_32 ext",
                "14 R_386_PC32 ext"), relocs(f, ".data"));
        assertEquals("01000000" + "05000000" + "00000000" + "00000000" + "f8ffffff" + "00000000", hex(f, ".data"));
    }

    @Test void symbolDifferencesResolveAtAssemblyTime() throws Exception {
        ElfFile f = asm(".data\na: .long b-a, 2f-1f\n1: .byte 0,0,0\n2:\nb:\n.text\nmovl $(b-a), %eax\n");
        assertEquals("0b000000" + "03000000" + "000000", hex(f, ".data"));
        assertEquals(List.of(), relocs(f, ".data"));
        assertEquals("b80b000000", hex(f, ".text"));
    }

    @Test void branchRelaxation() throws Exception {
        ElfFile f = asm("a: jmp b\n je b\n.fill 126,1,0x90\nb: jmp a\n call a\n jmp ext\n");
        // jmp b: displacement 2+126 = 128 does not fit: the first becomes long, then je fits
        String t = hex(f, ".text");
        assertEquals("e980000000", t.substring(0, 10));
        assertEquals("747e", t.substring(10, 14));
        assertEquals(List.of("90 R_386_PC32 ext"), relocs(f, ".text"));
    }

    @Test void sameLocationLabelTwiceIsAccepted() throws Exception {
        assertNotNull(asm("x:\nx:\n nop\n"));
    }

    @Test void prefixes() throws Exception {
        ElfFile f = asm("rep movsb\nrep; movsl\nlock incl (%eax)\nrep\nrepne scasb\n");
        assertEquals("f3a4" + "f3a5" + "f0ff00" + "f3" + "f2ae", hex(f, ".text"));
    }

    @Test void comments() throws Exception {
        ElfFile f = asm("nop # comment\n/* multi\nline */ nop ; nop /* x */\n# whole line\nret\n");
        assertEquals("909090c3", hex(f, ".text"));
    }

    @Test void macrosReptIrpIf() throws Exception {
        ElfFile f = asm(".macro twice insn, arg=%eax\n\\insn \\arg\n\\insn \\arg\n.endm\ntwice incl\ntwice decl, %ebx\n"
                + ".rept 2\nnop\n.endr\n.irp r, eax, ecx\npushl %\\r\n.endr\n"
                + "N = 2\n.if N == 2\nret\n.else\nhlt\n.endif\n.ifdef N\ncli\n.endif\n.ifndef N\nhlt\n.endif\n");
        assertEquals("4040" + "4b4b" + "9090" + "5051" + "c3" + "fa", hex(f, ".text"));
    }

    @Test void orgAndDot() throws Exception {
        ElfFile f = asm(".data\n.byte 1\n.org 4\n.byte 2\n.long .\n. = 12\n.byte 3\n");
        assertEquals("01000000" + "02" + "05000000" + "000000" + "03", hex(f, ".data"));
    }

    @Test void identGoesToComment() throws Exception {
        ElfFile f = asm(".ident \"hello\"\n");
        assertEquals("0068656c6c6f00", hex(f, ".comment"));
        assertEquals(Elf.SHF_MERGE | Elf.SHF_STRINGS, f.section(".comment").flags);
    }

    @Test void callFrameInformation() throws Exception {
        // the bytes GNU as 2.40 writes for this source
        ElfFile f = asm(".text\n.globl f\nf:\n.cfi_startproc\npushl %ebp\n.cfi_def_cfa_offset 8\n.cfi_offset 5, -8\n"
                + "movl %esp, %ebp\n.cfi_def_cfa_register 5\nnop\nleave\n.cfi_restore 5\n.cfi_def_cfa 4, 4\nret\n"
                + ".cfi_endproc\ng:\n.cfi_startproc\nret\n.cfi_endproc\n");
        assertEquals("1400000000000000017a5200017c08011b0c040488010000" + "1c0000001c000000000000000600000000410e088502420d"
                + "0542c50c04040000" + "100000003c0000000600000001000000" + "00000000", hex(f, ".eh_frame"));
        assertEquals(List.of("20 R_386_PC32 .text", "40 R_386_PC32 .text"), relocs(f, ".eh_frame"));
        assertEquals(Elf.SHF_ALLOC, f.section(".eh_frame").flags);
        assertEquals(4, f.section(".eh_frame").addralign);
    }

    @Test void bytesWrittenByElfWriterReadBack() throws Exception {
        byte[] b = Assembler.assembleToBytes("t.S", ".text\n.globl _start\n_start: movl $1, %eax\n int $0x80\n");
        ElfFile f = dev.fixup.elf.ElfReader.read(b);
        assertEquals(Elf.ET_REL, f.type);
        assertEquals(Elf.EM_386, f.machine);
        assertEquals("b801000000cd80", hex(f, ".text"));
    }
}

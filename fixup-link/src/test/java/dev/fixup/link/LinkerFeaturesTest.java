package dev.fixup.link;

import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.ExTable;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Section;
import dev.fixup.elf.Segment;
import dev.fixup.elf.Symbol;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static dev.fixup.link.Obj.*;
import static org.junit.jupiter.api.Assertions.*;

class LinkerFeaturesTest {
    static int le32(byte[] d, int p) { return LittleEndian.get32(d, p); }

    @Test
    void allRelocationTypesWithAddends() throws Exception {
        // .text at 0x1000: [0] R_386_32 tgt+4, [4] PC32 tgt-4, [8] R_386_16 tgt+2, [10] PC16, [12] R_386_8 small, [13] PC8, [14] PLT32
        byte[] text = new byte[18];
        LittleEndian.put32(text, 0, 4);
        LittleEndian.put32(text, 4, -4);
        text[8] = 2;
        text[10] = (byte) 0xfe; text[11] = (byte) 0xff;
        text[12] = 1;
        text[13] = (byte) 0xff;
        LittleEndian.put32(text, 14, -4);
        ElfFile o = new Obj().section(".text", AX, text).align(".text", 1).global("_start", ".text", 0)
                .section(".d", WA, new byte[4]).align(".d", 1).global("tgt", ".d", 0).abs("small", 0x7e)
                .reloc(".text", 0, Elf.R_386_32, "tgt").reloc(".text", 4, Elf.R_386_PC32, "tgt")
                .reloc(".text", 8, Elf.R_386_16, "tgt").reloc(".text", 10, Elf.R_386_PC16, "tgt")
                .reloc(".text", 12, Elf.R_386_8, "small").reloc(".text", 13, Elf.R_386_PC8, "tgt")
                .reloc(".text", 14, Elf.R_386_PLT32, "tgt").elf();
        LinkResult r = new Linker().add("r.o", o)
                .script(LinkerScript.parse("r.lds", "SECTIONS { .text 0x1000 : { *(.text) } .d 0x1040 : { *(.d) } }")).link();
        byte[] d = r.elf().section(".text").data;
        assertEquals(0x1044, le32(d, 0));
        assertEquals(0x1040 - 4 - 0x1004, le32(d, 4));
        assertEquals(0x1042, (d[8] & 0xff) | (d[9] & 0xff) << 8);
        assertEquals((short) (0x1040 - 2 - 0x100a), (short) ((d[10] & 0xff) | (d[11] & 0xff) << 8));
        assertEquals(0x7f, d[12]);
        assertEquals((byte) (0x1040 - 1 - 0x100d), d[13]);
        assertEquals(0x1040 - 4 - 0x100e, le32(d, 14));
        // the caller's objects are not modified
        assertEquals(4, le32(o.section(".text").data, 0));
    }

    @Test
    void weakAndCommonResolution() throws Exception {
        ElfFile a = new Obj().section(".text", AX, new byte[12]).global("_start", ".text", 0)
                .weak("hook", ".text", 4).undefWeak("missing").common("buf", 10, 4).common("big", 8, 8)
                .reloc(".text", 0, Elf.R_386_32, "hook").reloc(".text", 4, Elf.R_386_32, "missing")
                .reloc(".text", 8, Elf.R_386_32, "buf").elf();
        ElfFile b = new Obj().section(".text", AX, new byte[8]).global("hook", ".text", 2).common("buf", 100, 32).elf();
        LinkResult r = new Linker().add("a.o", a).add("b.o", b).link();
        byte[] d = r.elf().section(".text").data;
        long textB = r.elf().section(".text").addr + 12; // b's .text follows a's 12 bytes
        assertEquals(textB + 2, r.symbol("hook"));
        assertEquals(textB + 2, Integer.toUnsignedLong(le32(d, 0)));
        assertEquals(0, le32(d, 4));
        Symbol buf = r.elf().symbol("buf");
        assertEquals(100, buf.size);
        assertEquals(0, buf.value % 32);
        assertEquals(".bss", r.elf().sections.get(buf.shndx).name);
        assertEquals(buf.value, le32(d, 8));
        // resolved to 0, the undefined weak reference is left out of the table, as GNU ld leaves it out
        assertNull(r.elf().symbol("missing"));
    }

    @Test
    void provideOnlyWhenReferencedAndStartStopSymbols() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[12]).global("_start", ".text", 0)
                .section("my_set", A, bytes(1, 0, 0, 0, 2, 0, 0, 0)).section(".my.dots", A, bytes(3))
                .undef("wanted").undef("__start_my_set").undef("__stop_my_set")
                .reloc(".text", 0, Elf.R_386_32, "wanted").reloc(".text", 4, Elf.R_386_32, "__start_my_set")
                .reloc(".text", 8, Elf.R_386_32, "__stop_my_set").elf();
        LinkResult r = new Linker().add("p.o", o).script(LinkerScript.parse("p.lds",
                "SECTIONS { .text 0x2000 : { *(.text) } PROVIDE(wanted = 0x1234); PROVIDE(unwanted = 1); }")).link();
        assertEquals(0x1234L, r.symbol("wanted"));
        assertNull(r.symbol("unwanted"));
        Section set = r.elf().section("my_set");
        assertNotNull(set, "orphan placed");
        assertEquals(Integer.toUnsignedLong(set.addr), r.symbol("__start_my_set"));
        assertEquals(Integer.toUnsignedLong(set.addr) + 8, r.symbol("__stop_my_set"));
        assertNull(r.symbol("__start_.my.dots"));
        byte[] d = r.elf().section(".text").data;
        assertEquals(set.addr, le32(d, 4));
        assertEquals(set.addr + 8, le32(d, 8));
    }

    @Test
    void callerSuppliedAbsoluteSymbols() throws Exception {
        ElfFile o = new Obj().section(".text", AX, bytes(0xe8, 0, 0, 0, 0)).global("_start", ".text", 0).undef("do_page_fault")
                .reloc(".text", 1, Elf.R_386_PC32, "do_page_fault").elf();
        LittleEndian.put32(o.section(".text").data, 1, -4);
        LinkResult r = new Linker().add("entry.o", o).define(Map.of("do_page_fault", 0xc0000010))
                .script(LinkerScript.parse("k.lds", "SECTIONS { .text 0xc0100000 : { *(.text) } }")).link();
        assertEquals(0xc0000010 - 0xc0100005, le32(r.elf().section(".text").data, 1));
        assertEquals(Elf.SHN_ABS, r.elf().symbol("do_page_fault").shndx);
    }

    @Test
    void comdatGroupsKeepTheFirstCopy() throws Exception {
        ElfFile a = groupObject(0x11), b = groupObject(0x22);
        LinkResult r = new Linker().add("a.o", a).add("b.o", b).link();
        Section text = r.elf().section(".text");
        assertEquals(4 + 4 + 4, text.size, "a's .text and .text.thunk, b's .text; b's thunk dropped");
        long thunk = r.symbol("thunk");
        assertEquals(0x11, text.data[(int) (thunk - Integer.toUnsignedLong(text.addr))]);
    }

    private static ElfFile groupObject(int marker) {
        Obj ob = new Obj().section(".text", AX, new byte[4]).section(".text.thunk", AX, bytes(marker, 0, 0, 0xc3))
                .func("thunk", ".text.thunk", 0, 4);
        ElfFile f = ob.elf();
        f.symbols.add(1, new Symbol("_start_" + marker, 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_NOTYPE), 1));
        Section g = new Section(".group", Elf.SHT_GROUP, 0);
        byte[] d = new byte[8];
        LittleEndian.put32(d, 0, 1);
        LittleEndian.put32(d, 4, f.indexOf(f.section(".text.thunk")));
        g.setData(d);
        g.info = f.symbols.size() - 1; // signature: the thunk symbol
        g.entsize = 4;
        f.sections.add(1, g);
        // indexes moved by one: fix section references
        for (Symbol s : f.symbols) if (s.shndx > 0 && s.shndx < 0xff00) s.shndx++;
        LittleEndian.put32(d, 4, f.indexOf(f.section(".text.thunk")));
        f.section(".text.thunk").flags |= Elf.SHF_GROUP;
        return f;
    }

    @Test
    void orphansGoAfterSimilarSections() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[4]).global("_start", ".text", 0)
                .section(".data", WA, new byte[4]).section(".rodata", A, new byte[4])
                .section("extra_code", AX, new byte[4]).section("extra_data", WA, new byte[4]).section("extra_ro", A, new byte[4]).elf();
        LinkResult r = new Linker().add("o.o", o).link();
        String[] names = r.elf().sections.stream().filter(Section::isAlloc).map(s -> s.name).toArray(String[]::new);
        assertEquals(Arrays.asList(".text", "extra_code", ".rodata", "extra_ro", ".data", "extra_data"), Arrays.asList(names));
    }

    @Test
    void defaultLayoutSymbolsAndSegments() throws Exception {
        // _etext is PROVIDEd, as in GNU's script: defined because it is referenced
        ElfFile o = new Obj().section(".text", AX, new byte[10]).global("_start", ".text", 0).undef("_etext")
                .section(".data", WA, new byte[6]).bss(".bss", 20).elf();
        LinkResult r = new Linker().add("u.o", o).link();
        ElfFile e = r.elf();
        assertEquals(Elf.ET_EXEC, e.type);
        assertEquals(r.symbol("_start"), Integer.toUnsignedLong(e.entry));
        Section text = e.section(".text"), data = e.section(".data"), bss = e.section(".bss");
        assertEquals(0x08048000 + 52 + 3 * 32, text.addr);
        assertEquals(Integer.toUnsignedLong(text.addr + 10), r.symbol("_etext"));
        assertEquals(Integer.toUnsignedLong(data.addr + 6), r.symbol("_edata"));
        assertEquals(r.symbol("_edata"), r.symbol("__bss_start"));
        assertEquals(Integer.toUnsignedLong(bss.addr + bss.size), r.symbol("_end"));
        assertEquals((text.addr + 10 + 0x1000 + 3) & ~3, data.addr, "data on the next page at the same page offset");
        assertTrue(data.addr >= 0x08049000);
        Segment t = e.segments.get(0), w = e.segments.get(1);
        assertEquals(Elf.PF_R | Elf.PF_X, t.flags);
        assertEquals(Elf.PF_R | Elf.PF_W, w.flags);
        assertEquals(0, t.offset);
        assertEquals(Elf.PT_GNU_STACK, e.segments.get(2).type);
        assertEquals(w.memsz, bss.addr + bss.size - w.vaddr);
        ElfFile back = ElfReader.read(r.bytes());
        for (Segment s : back.segments) if (s.type == Elf.PT_LOAD) assertEquals(0, Integer.remainderUnsigned(s.offset - s.vaddr, 0x1000));
    }

    @Test
    void exTableIsSortedAfterRelocation() throws Exception {
        // entries name places in two input files: file order gives an unsorted table
        ElfFile a = exObject(8), b = exObject(0);
        LinkerScript s = LinkerScript.parse("k.lds", """
                SECTIONS {
                  . = 0xc0100000;
                  .text : { *(.text) *(.fixup) }
                  . = ALIGN(16);
                  __ex_table : { __start___ex_table = .; *(__ex_table) __stop___ex_table = .; }
                }
                """);
        LinkResult r = new Linker().add("b.o", b).add("a.o", a).script(s).link();
        Section ex = r.elf().section("__ex_table");
        assertEquals(0, ex.addr % 16);
        assertEquals(Integer.toUnsignedLong(ex.addr), r.symbol("__start___ex_table"));
        assertEquals(Integer.toUnsignedLong(ex.addr) + 32, r.symbol("__stop___ex_table"));
        assertTrue(ExTable.isSorted(ex.data));
        assertEquals(4, ExTable.entries(ex.data).size());
    }

    /** .text of 16 bytes with entries for offsets base+4 and base+0 (unsorted), fixups in .fixup. */
    private static ElfFile exObject(int base) {
        byte[] table = new byte[16];
        LittleEndian.put32(table, 0, base + 4);
        LittleEndian.put32(table, 4, 0);
        LittleEndian.put32(table, 8, base);
        LittleEndian.put32(table, 12, 2);
        return new Obj().section(".text", AX, new byte[16]).section(".fixup", AX, new byte[4]).section("__ex_table", A, table)
                .sectionSymbol(".text").sectionSymbol(".fixup")
                .reloc("__ex_table", 0, Elf.R_386_32, "#.text").reloc("__ex_table", 4, Elf.R_386_32, "#.fixup")
                .reloc("__ex_table", 8, Elf.R_386_32, "#.text").reloc("__ex_table", 12, Elf.R_386_32, "#.fixup").elf();
    }

    @Test
    void phdrsFromTheScript() throws Exception {
        ElfFile o = new Obj().section(".text", AX, new byte[10]).global("_start", ".text", 0)
                .section("__ex_table", A, new byte[8]).section(".data", WA, new byte[6]).elf();
        LinkerScript s = LinkerScript.parse("k.lds", """
                PHDRS { text PT_LOAD; data PT_LOAD FLAGS(6); stack PT_GNU_STACK; }
                SECTIONS {
                  . = 0xc0100000;
                  .text : AT(ADDR(.text) - 0xc0000000) { *(.text) } :text = 0x9090
                  __ex_table : AT(ADDR(__ex_table) - 0xc0000000) { *(__ex_table) }
                  . = ALIGN(4096);
                  .data : AT(ADDR(.data) - 0xc0000000) { *(.data) } :data
                }
                """);
        LinkResult r = new Linker().add("k.o", o).script(s).link();
        assertEquals(3, r.elf().segments.size());
        Segment text = r.elf().segments.get(0), data = r.elf().segments.get(1);
        assertEquals(0xc0100000, text.vaddr);
        assertEquals(0x00100000, text.paddr);
        assertEquals(Elf.PF_R | Elf.PF_X, text.flags);
        assertEquals(r.elf().section("__ex_table").addr + 8 - text.vaddr, text.memsz);
        assertEquals(6, data.flags);
        assertEquals(0xc0101000, data.vaddr);
        assertEquals(0x00101000, data.paddr);
        assertEquals(Elf.PT_GNU_STACK, r.elf().segments.get(2).type);
        // the fill pattern pads between input sections (there are none here) but not past the end
        assertEquals(10, r.elf().section(".text").size);
    }

    @Test
    void fillPatternAndDataStatements() throws Exception {
        ElfFile o = new Obj().section(".text", AX, bytes(0xc3)).align(".text", 1).global("_start", ".text", 0)
                .section(".text.b", AX, bytes(0xc3)).align(".text.b", 8).elf();
        LinkResult r = new Linker().add("f.o", o).script(LinkerScript.parse("f.lds",
                "SECTIONS { .text 0x1000 : { *(.text) *(.text.b) BYTE(0x11) SHORT(0x2233) LONG(ADDR(.text)) } =0x9091 }")).link();
        byte[] d = r.elf().section(".text").data;
        assertArrayEquals(bytes(0xc3, 0x91, 0x90, 0x91, 0x90, 0x91, 0x90, 0x91, 0xc3, 0x11, 0x33, 0x22, 0, 0x10, 0, 0), d);
    }

    @Test
    void relocatorStandaloneForModuleLoading() {
        // a "module": .text calls an exported kernel symbol and references its own .data
        byte[] text = bytes(0xe8, 0xfc, 0xff, 0xff, 0xff, 0xa1, 0, 0, 0, 0);
        ElfFile m = new Obj().section(".text", AX, text).section(".data", WA, new byte[8]).sectionSymbol(".data")
                .undef("printk").reloc(".text", 1, Elf.R_386_PC32, "printk").reloc(".text", 6, Elf.R_386_32, "#.data").elf();
        long[] addr = new long[m.sections.size()];
        Arrays.fill(addr, Relocator.NOT_LOADED);
        addr[1] = 0xd0000000L;
        addr[2] = 0xd0000100L;
        var errors = Relocator.relocate("mod.o", m, addr, n -> n.equals("printk") ? 0xc0105000L : null);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(0xc0105000 - 0xd0000005, le32(m.section(".text").data, 1));
        assertEquals(0xd0000100, le32(m.section(".text").data, 6));
        var bad = Relocator.relocate("mod.o", m, addr, n -> null);
        assertEquals("mod.o: in section .text+0x1: undefined reference to `printk'", bad.get(0));
    }
}

package dev.fixup.elf;

import net.jqwik.api.*;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Malformed files must be rejected with a message naming the field, never with another exception. */
class ElfReaderErrorsTest {

    /** A small valid REL file built by our own writer: .text with one relocation, .data, .bss, symbols. */
    static byte[] valid() {
        ElfFile f = new ElfFile();
        Section text = new Section(".text", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_EXECINSTR);
        text.setData(new byte[]{(byte) 0xa1, 0, 0, 0, 0, (byte) 0xe8, 0, 0, 0, 0, (byte) 0xc3});
        Section data = new Section(".data", Elf.SHT_PROGBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE);
        data.setData(new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        Section bss = new Section(".bss", Elf.SHT_NOBITS, Elf.SHF_ALLOC | Elf.SHF_WRITE);
        bss.size = 32;
        Section rel = new Section(".rel.text", Elf.SHT_REL, Elf.SHF_INFO_LINK);
        rel.info = 1;
        f.sections.addAll(Arrays.asList(text, data, bss, rel));
        f.symbols.add(new Symbol("", 0, 0, Elf.stInfo(Elf.STB_LOCAL, Elf.STT_SECTION), 2));
        f.symbols.add(new Symbol("main", 0, 11, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_FUNC), 1));
        f.symbols.add(new Symbol("ext", 0, 0, Elf.stInfo(Elf.STB_GLOBAL, Elf.STT_NOTYPE), 0));
        rel.relocations.add(new Relocation(1, Elf.R_386_32, 1));
        rel.relocations.add(new Relocation(6, Elf.R_386_PC32, 3));
        return ElfWriter.write(f);
    }

    static String error(byte[] b) {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfReader.read(b));
        return e.getMessage();
    }

    static int shdr(byte[] b, int index) { return ElfReader.le32(b, 32) + index * 40; }
    static void put32(byte[] b, int p, int v) { ElfWriter.put32(b, p, v); }

    @Test void validFileReads() throws Exception {
        ElfFile f = ElfReader.read(valid());
        assertEquals(2, f.section(".rel.text").relocations.size());
    }

    @Test void truncatedHeader() { assertTrue(error(Arrays.copyOf(valid(), 20)).startsWith("ELF header: file is truncated")); }

    @Test void badMagic() { byte[] b = valid(); b[1] = 'X'; assertTrue(error(b).contains("e_ident: bad magic")); }

    @Test void badClass() { byte[] b = valid(); b[4] = 2; assertTrue(error(b).contains("EI_CLASS")); }

    @Test void badEndianness() { byte[] b = valid(); b[5] = 2; assertTrue(error(b).contains("EI_DATA")); }

    @Test void badMachine() { byte[] b = valid(); b[18] = 62; assertTrue(error(b).contains("e_machine")); }

    @Test void sectionHeadersPastEof() {
        byte[] b = valid(); put32(b, 32, b.length - 10);
        assertTrue(error(b).startsWith("e_shoff:"), error(b));
    }

    @Test void sectionHeaderCountTooBig() {
        byte[] b = valid(); ElfWriter.put16(b, 48, 0xffff);
        assertTrue(error(b).startsWith("e_shoff: 65535 section headers"), error(b));
    }

    @Test void badShstrndx() {
        byte[] b = valid(); ElfWriter.put16(b, 50, 99);
        assertTrue(error(b).startsWith("e_shstrndx: 99"), error(b));
        ElfWriter.put16(b, 50, 1); // .text is not a string table
        assertTrue(error(b).contains("not a string table"), error(b));
    }

    @Test void sectionDataPastEof() {
        byte[] b = valid(); put32(b, shdr(b, 1) + 20, 0x7fffffff);
        assertTrue(error(b).startsWith("sh_offset/sh_size of section 1"), error(b));
        b = valid(); put32(b, shdr(b, 1) + 16, -4);
        assertTrue(error(b).startsWith("sh_offset/sh_size of section 1"), error(b));
    }

    @Test void sectionNameOutOfRange() {
        byte[] b = valid(); put32(b, shdr(b, 2), 100000);
        assertTrue(error(b).startsWith("sh_name of section 2: string offset 100000"), error(b));
    }

    @Test void badSymtabLink() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b); int symtab = f.indexOf(f.section(".symtab"));
        put32(b, shdr(b, symtab) + 24, 77);
        assertTrue(error(b).startsWith("sh_link of section " + symtab + " (.symtab): 77"), error(b));
        put32(b, shdr(b, symtab) + 24, 1);
        assertTrue(error(b).contains("is not a string table"), error(b));
    }

    @Test void badRelLinkAndInfo() {
        byte[] b = valid();
        put32(b, shdr(b, 4) + 24, 1);
        assertTrue(error(b).startsWith("sh_link of section 4 (.rel.text): 1 is not a symbol table"), error(b));
        b = valid(); put32(b, shdr(b, 4) + 28, 40);
        assertTrue(error(b).startsWith("sh_info of section 4 (.rel.text): 40"), error(b));
    }

    @Test void symtabSizeNotMultiple() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b); int i = f.sections.indexOf(f.section(".symtab"));
        put32(b, shdr(b, i) + 20, f.section(".symtab").size - 3);
        assertTrue(error(b).contains("not a multiple of the symbol size"), error(b));
    }

    @Test void symbolNameOutOfRange() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b);
        int off = f.section(".symtab").offset + 2 * 16;
        put32(b, off, 0x10000);
        assertTrue(error(b).startsWith("st_name of symbol 2: string offset 65536"), error(b));
    }

    @Test void symbolShndxOutOfRange() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b);
        ElfWriter.put16(b, f.section(".symtab").offset + 2 * 16 + 14, 300);
        assertTrue(error(b).startsWith("st_shndx of symbol 2 (main): 300"), error(b));
    }

    @Test void relocationSymbolOutOfRange() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b);
        put32(b, f.section(".rel.text").offset + 4, (50 << 8) | 1);
        assertTrue(error(b).startsWith("r_info of relocation 0 in section 4 (.rel.text): symbol index 50"), error(b));
    }

    @Test void relocationOffsetOutsideSection() throws Exception {
        byte[] b = valid(); ElfFile f = ElfReader.read(b);
        put32(b, f.section(".rel.text").offset + 8, 9);
        assertTrue(error(b).startsWith("r_offset of relocation 1"), error(b));
    }

    @Test void programHeadersPastEof() {
        byte[] b = valid(); ElfWriter.put16(b, 44, 3); ElfWriter.put16(b, 42, 32); put32(b, 28, b.length - 40);
        assertTrue(error(b).startsWith("e_phoff: 3 program headers"), error(b));
    }

    @Property(tries = 400)
    void truncationsOnlyGiveElfFormatException(@ForAll("cuts") int cut) {
        byte[] b = valid();
        mustNotCrash(Arrays.copyOf(b, Math.min(cut, b.length)));
    }

    @Property(tries = 1500)
    void byteFlipsOnlyGiveElfFormatException(@ForAll("positions") int pos, @ForAll byte value,
                                             @ForAll("positions") int pos2, @ForAll byte value2) {
        byte[] b = valid();
        b[pos % b.length] = value;
        b[pos2 % b.length] = value2;
        mustNotCrash(b);
    }

    @Provide Arbitrary<Integer> cuts() { return Arbitraries.integers().between(0, valid().length); }
    @Provide Arbitrary<Integer> positions() { return Arbitraries.integers().between(0, 100000); }

    static void mustNotCrash(byte[] b) {
        try {
            ElfFile f = ElfReader.read(b);
            // whatever we accepted must also be writable (or refused as an impossible layout)
            try { ElfWriter.write(f); } catch (IllegalArgumentException tooBig) { assertTrue(tooBig.getMessage().contains("layout")); }
        } catch (ElfFormatException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }
}

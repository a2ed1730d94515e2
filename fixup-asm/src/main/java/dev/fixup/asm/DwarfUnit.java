package dev.fixup.asm;

import dev.fixup.elf.Elf;
import java.nio.charset.StandardCharsets;

/**
 * The DWARF 5 compile unit GNU as writes when a source has line information but no .debug_info of its
 * own (assembly sources under -g, hand-written .loc): .debug_info with one DW_TAG_compile_unit, its
 * .debug_abbrev, .debug_aranges and the strings in .debug_str. Only for code in one section (GNU as
 * uses .debug_rnglists beyond that, which Fixup does not write).
 */
final class DwarfUnit {
    /** Fixup's DW_AT_producer (GNU as writes "GNU AS" and its version). */
    static final String PRODUCER = "Fixup AS 0.1.0";
    private static final int DW_LANG_MIPS_ASSEMBLER = 0x8001;

    private final Assembly asm;

    DwarfUnit(Assembly asm) { this.asm = asm; }

    static boolean needed(Assembly asm) {
        return !asm.sections.containsKey(".debug_info") && asm.lines.codeSections().size() == 1;
    }

    void emit(Expr lineUnit, String sourceName) {
        SectionBuffer code = asm.lines.codeSections().iterator().next();
        Frag info = frag(asm.section(".debug_info", 0, Elf.SHT_PROGBITS, 0));
        Frag abbrev = frag(asm.section(".debug_abbrev", 0, Elf.SHT_PROGBITS, 0));
        SectionBuffer arangesSection = asm.section(".debug_aranges", 0, Elf.SHT_PROGBITS, 0);
        arangesSection.recordAlignment(8);
        Frag aranges = frag(arangesSection);
        Frag str = frag(asm.section(".debug_str", Elf.SHF_MERGE | Elf.SHF_STRINGS, Elf.SHT_PROGBITS, 1));
        Expr codeStart = new Expr.Dot(code.frags.get(0), 0);

        int abbrevAt = abbrev.size;
        abbrev.put(new byte[] {1, 0x11, 0, 0x10, 0x17, 0x11, 0x01, 0x12, 0x0f, 0x03, 0x0e, 0x1b, 0x0e, 0x25, 0x0e, 0x13, 0x05, 0, 0, 0});

        int infoAt = info.size;
        info.putLE(0, 4);
        info.putLE(5, 2);
        info.put((byte) 1); // DW_UT_compile
        info.put((byte) 4);
        word(info, new Expr.Dot(abbrev, abbrevAt));
        info.put((byte) 1);
        word(info, lineUnit);
        word(info, codeStart);
        java.io.ByteArrayOutputStream size = new java.io.ByteArrayOutputStream();
        Leb128.unsigned(size, code.size());
        info.put(size.toByteArray());
        for (String text : new String[] {sourceName, DwarfLines.compilationDirectory(), PRODUCER}) {
            word(info, new Expr.Dot(str, str.size));
            str.put(text.getBytes(StandardCharsets.ISO_8859_1));
            str.put((byte) 0);
        }
        info.putLE(DW_LANG_MIPS_ASSEMBLER, 2);
        patch(info, infoAt, info.size - infoAt - 4);

        int arangesAt = aranges.size;
        aranges.putLE(28, 4);
        aranges.putLE(2, 2);
        word(aranges, new Expr.Dot(info, infoAt));
        aranges.put(new byte[] {4, 0, 0, 0, 0, 0});
        word(aranges, codeStart);
        aranges.putLE(code.size(), 4);
        aranges.putLE(0, 8);
        patch(aranges, arangesAt, aranges.size - arangesAt - 4);
    }

    private static Frag frag(SectionBuffer s) { return s.frags.get(s.frags.size() - 1); }

    private void word(Frag f, Expr e) {
        f.pendingFields.add(new PendingField(f, f.size, 4, e, PendingField.Kind.DATA, 0, asm.line));
        f.putLE(0, 4);
    }

    private static void patch(Frag f, int at, int v) {
        for (int i = 0; i < 4; i++) f.data[at + i] = (byte) (v >>> (8 * i));
    }
}

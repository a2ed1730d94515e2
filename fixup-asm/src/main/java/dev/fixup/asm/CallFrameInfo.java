package dev.fixup.asm;

import dev.fixup.elf.Elf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The .cfi_* directives and the .eh_frame they produce, laid out as GNU as does for i386: one CIE
 * ("zR", code alignment 1, data alignment -4, return address in column 8, FDE pointers PC-relative
 * sdata4, initially CFA = esp + 4 and eip at CFA - 4) and one FDE per .cfi_startproc/.cfi_endproc,
 * each padded with DW_CFA_nop to a multiple of 4. Location advances are chosen once the code layout is
 * final, with the smallest DW_CFA_advance_loc form that holds them.
 */
final class CallFrameInfo {
    /** One recorded instruction: its DWARF bytes, and where in the code it applies. */
    private record Op(byte[] bytes, Frag frag, int offset) { }

    private static final class Fde {
        Frag startFrag, endFrag;
        int startOffset, endOffset;
        final List<Op> ops = new ArrayList<>();
        long cfaOffset = 4;
        final Deque<Long> remembered = new ArrayDeque<>();
    }

    private final Assembly asm;
    private final List<Fde> fdes = new ArrayList<>();
    /** The open entry of each section: GNU as keeps call-frame state per section. */
    private final java.util.Map<SectionBuffer, Fde> open = new java.util.LinkedHashMap<>();

    CallFrameInfo(Assembly asm) { this.asm = asm; }

    /** Handles one .cfi_ directive (name without arguments parsed yet). */
    void directive(String name, Cursor c) {
        if (name.equals(".cfi_sections")) {
            c.pos = c.text.length(); // .eh_frame is the only table Fixup writes
            return;
        }
        if (name.equals(".cfi_startproc")) {
            if (open.containsKey(asm.current)) throw new AsmError("previous CFI entry not closed (missing .cfi_endproc)");
            String simple = c.symbolName();
            if (simple != null && !simple.equals("simple")) throw c.junk();
            if (simple != null) throw new AsmError(".cfi_startproc simple is not supported by Fixup");
            c.expectEnd();
            Fde fde = new Fde();
            fde.startFrag = asm.frag();
            fde.startOffset = asm.frag().size;
            open.put(asm.current, fde);
            return;
        }
        Fde f = open.get(asm.current);
        if (f == null) {
            throw new AsmError(name.equals(".cfi_endproc") ? ".cfi_endproc without corresponding .cfi_startproc"
                    : "CFI instruction used without previous .cfi_startproc");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (name) {
            case ".cfi_endproc" -> {
                c.expectEnd();
                f.endFrag = asm.frag();
                f.endOffset = asm.frag().size;
                fdes.add(f);
                open.remove(asm.current);
                return;
            }
            case ".cfi_def_cfa" -> {
                int r = register(c);
                c.expect(',');
                long off = number(c);
                b.write(0x0c);
                uleb(b, r);
                uleb(b, off);
                f.cfaOffset = off;
            }
            case ".cfi_def_cfa_register" -> {
                b.write(0x0d);
                uleb(b, register(c));
            }
            case ".cfi_def_cfa_offset" -> defCfaOffset(f, b, number(c));
            case ".cfi_adjust_cfa_offset" -> defCfaOffset(f, b, f.cfaOffset + number(c));
            case ".cfi_offset", ".cfi_rel_offset" -> {
                int r = register(c);
                c.expect(',');
                long off = number(c);
                if (name.equals(".cfi_rel_offset")) off -= f.cfaOffset;
                offset(b, r, off);
            }
            case ".cfi_restore" -> {
                int r = register(c);
                if (r < 64) {
                    b.write(0xc0 | r);
                } else {
                    b.write(0x06);
                    uleb(b, r);
                }
            }
            case ".cfi_undefined" -> {
                b.write(0x07);
                uleb(b, register(c));
            }
            case ".cfi_same_value" -> {
                b.write(0x08);
                uleb(b, register(c));
            }
            case ".cfi_register" -> {
                int r1 = register(c);
                c.expect(',');
                b.write(0x09);
                uleb(b, r1);
                uleb(b, register(c));
            }
            case ".cfi_remember_state" -> {
                b.write(0x0a);
                f.remembered.push(f.cfaOffset);
            }
            case ".cfi_restore_state" -> {
                b.write(0x0b);
                if (!f.remembered.isEmpty()) f.cfaOffset = f.remembered.pop();
            }
            case ".cfi_escape" -> {
                do {
                    b.write((int) number(c));
                } while (c.accept(','));
            }
            default -> throw new AsmError("CFI directive `" + name + "' is not supported by Fixup");
        }
        c.expectEnd();
        f.ops.add(new Op(b.toByteArray(), asm.frag(), asm.frag().size));
    }

    private static void defCfaOffset(Fde f, ByteArrayOutputStream b, long off) {
        b.write(0x0e);
        uleb(b, off);
        f.cfaOffset = off;
    }

    private static void offset(ByteArrayOutputStream b, int r, long off) {
        long factored = off / -4;
        if (factored >= 0 && r < 64) {
            b.write(0x80 | r);
            uleb(b, factored);
        } else if (factored >= 0) {
            b.write(0x05);
            uleb(b, r);
            uleb(b, factored);
        } else {
            b.write(0x11);
            uleb(b, r);
            sleb(b, factored);
        }
    }

    private long number(Cursor c) { return asm.absolute(c, "cfi"); }

    /** A DWARF register number: a number or an i386 register name. */
    private int register(Cursor c) {
        c.skipSpaces();
        if (c.peek() == '%') {
            int s = c.pos++;
            String n = c.symbolName();
            int r = switch (n == null ? "" : n.toLowerCase(java.util.Locale.ROOT)) {
                case "eax" -> 0;
                case "ecx" -> 1;
                case "edx" -> 2;
                case "ebx" -> 3;
                case "esp" -> 4;
                case "ebp" -> 5;
                case "esi" -> 6;
                case "edi" -> 7;
                case "eip" -> 8;
                default -> -1;
            };
            if (r < 0) throw new AsmError("bad register expression `" + c.text.substring(s, c.pos) + "'");
            return r;
        }
        return (int) number(c);
    }

    void checkClosed() {
        if (!open.isEmpty()) asm.diag.error(asm.line, "open CFI at the end of file; missing .cfi_endproc directive");
    }

    boolean isEmpty() { return fdes.isEmpty(); }

    /** Builds .eh_frame once the code addresses are final; pc_begin fields become fixups. */
    void emit() {
        SectionBuffer eh = asm.section(".eh_frame", Elf.SHF_ALLOC, Elf.SHT_PROGBITS, 0);
        eh.recordAlignment(4);
        Frag f = eh.current;
        // CIE
        ByteArrayOutputStream cie = new ByteArrayOutputStream();
        le32(cie, 0); // CIE id
        cie.write(1); // version
        cie.writeBytes(new byte[] {'z', 'R', 0});
        uleb(cie, 1); // code alignment
        sleb(cie, -4); // data alignment
        cie.write(8); // return address column
        uleb(cie, 1); // augmentation data length
        cie.write(0x1b); // FDE pointer encoding: pcrel sdata4
        cie.writeBytes(new byte[] {0x0c, 4, 4, (byte) 0x88, 1});
        int cieStart = f.size;
        entry(f, cie.toByteArray());
        for (Fde fde : fdes) {
            long start = fde.startFrag.address + fde.startOffset;
            long end = fde.endFrag.address + fde.endOffset;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = f.size;
            le32(body, at + 4 - cieStart); // CIE pointer: distance back from this field
            int pcBegin = at + 8;
            le32(body, 0);
            le32(body, end - start);
            uleb(body, 0); // augmentation data length
            long loc = start;
            for (Op op : fde.ops) {
                long here = op.frag().address + op.offset();
                advance(body, here - loc);
                loc = here;
                body.writeBytes(op.bytes());
            }
            entry(f, body.toByteArray());
            Expr pc = new Expr.Binary("-", new Expr.Dot(fde.startFrag, fde.startOffset), new Expr.Dot(f, pcBegin));
            f.pendingFields.add(new PendingField(f, pcBegin, 4, pc, PendingField.Kind.DATA, 0, asm.line));
        }
    }

    /** Writes length + contents, padded with DW_CFA_nop to a multiple of 4. */
    private static void entry(Frag f, byte[] contents) {
        int len = (contents.length + 3) & ~3;
        f.putLE(len, 4);
        f.put(contents);
        for (int i = contents.length; i < len; i++) f.put((byte) 0);
    }

    private static void advance(ByteArrayOutputStream b, long delta) {
        if (delta == 0) return;
        if (delta < 64) {
            b.write(0x40 | (int) delta);
        } else if (delta < 256) {
            b.write(0x02);
            b.write((int) delta);
        } else if (delta < 65536) {
            b.write(0x03);
            b.write((int) delta);
            b.write((int) (delta >>> 8));
        } else {
            b.write(0x04);
            le32(b, delta);
        }
    }

    private static void le32(ByteArrayOutputStream b, long v) {
        for (int i = 0; i < 4; i++) b.write((int) (v >>> (8 * i)));
    }

    private static void uleb(ByteArrayOutputStream b, long v) { Leb128.unsigned(b, v); }

    private static void sleb(ByteArrayOutputStream b, long v) { Leb128.signed(b, v); }
}

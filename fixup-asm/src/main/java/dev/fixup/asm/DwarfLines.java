package dev.fixup.asm;

import dev.fixup.elf.Elf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DWARF 5 line information from .file/.loc, as GNU as 2.40 builds .debug_line: the directory and file
 * tables (names in .debug_line_str), then one sequence per code section in the order of their first
 * row, each row encoded with GNU as's choice of opcodes (special opcodes, const_add_pc, advance_pc).
 */
final class DwarfLines {
    private static final int LINE_BASE = -5, LINE_RANGE = 14, OPCODE_BASE = 13;
    private static final int MAX_SPECIAL_ADDR_DELTA = (255 - OPCODE_BASE) / LINE_RANGE;
    private static final int DW_LNS_COPY = 1, DW_LNS_ADVANCE_PC = 2, DW_LNS_ADVANCE_LINE = 3, DW_LNS_SET_FILE = 4,
            DW_LNS_SET_COLUMN = 5, DW_LNS_NEGATE_STMT = 6, DW_LNS_SET_BASIC_BLOCK = 7, DW_LNS_CONST_ADD_PC = 8,
            DW_LNS_SET_PROLOGUE_END = 10, DW_LNS_SET_EPILOGUE_BEGIN = 11;
    private static final int DW_LNE_END_SEQUENCE = 1, DW_LNE_SET_ADDRESS = 2, DW_LNE_SET_DISCRIMINATOR = 4;
    private static final int FLAG_BASIC_BLOCK = 1, FLAG_PROLOGUE_END = 2, FLAG_EPILOGUE_BEGIN = 4;

    private record FileEntry(String name, int dir) { }

    /** A row of the line table: where it applies and what the last .loc said. */
    private record Row(Frag frag, int offset, int file, int line, int column, boolean isStmt, int flags, long discriminator) { }

    private final Assembly asm;
    private final List<String> dirs = new ArrayList<>();
    private final TreeMap<Integer, FileEntry> files = new TreeMap<>();
    private final Map<SectionBuffer, List<Row>> rows = new LinkedHashMap<>();
    /** The .loc waiting for the next instruction, or null. */
    private Row pending;
    private boolean isStmt = true;

    DwarfLines(Assembly asm) {
        this.asm = asm;
        dirs.add(null); // the compilation directory, from .file 0
    }

    boolean isEmpty() { return rows.isEmpty(); }

    /** .file N ["dir"] "name": numbered entries of the file table (without N it names the object's file symbol). */
    void file(long n, String dir, String name) {
        if (n < 0 || n > 0xffff) throw new AsmError("file number " + n + " is out of range");
        if (n == 0 && dir != null) dirs.set(0, dir);
        int slash = name.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : name.substring(0, slash);
        String base = name.substring(slash + 1);
        int d = 0;
        if (!dirPart.isEmpty()) {
            d = dirs.indexOf(dirPart);
            if (d < 0) {
                d = dirs.size();
                dirs.add(dirPart);
            }
        }
        files.put((int) n, new FileEntry(base, d));
    }

    /** .loc FILE LINE [COLUMN] [options]: the row applies from the next instruction. */
    void loc(Cursor c) {
        long file = asm.absolute(c, ".loc");
        long line = asm.absolute(c, ".loc");
        long column = 0;
        if (!c.atEnd() && Character.isDigit(c.peek())) column = asm.absolute(c, ".loc");
        if (!files.containsKey((int) file)) throw new AsmError("unassigned file number " + file);
        int flags = 0;
        long discriminator = 0;
        while (!c.atEnd()) {
            String option = c.symbolName();
            if (option == null) throw c.junk();
            switch (option) {
                case "basic_block" -> flags |= FLAG_BASIC_BLOCK;
                case "prologue_end" -> flags |= FLAG_PROLOGUE_END;
                case "epilogue_begin" -> flags |= FLAG_EPILOGUE_BEGIN;
                case "is_stmt" -> {
                    long v = asm.absolute(c, ".loc");
                    if (v != 0 && v != 1) throw new AsmError("is_stmt value not 0 or 1");
                    isStmt = v == 1;
                }
                case "discriminator" -> discriminator = asm.absolute(c, ".loc");
                case "isa" -> asm.absolute(c, ".loc");
                default -> throw new AsmError("unknown .loc sub-directive `" + option + "'");
            }
        }
        // two .loc in a row: the first one's row is made here, as GNU as does
        if (pending != null) instruction();
        pending = new Row(null, 0, (int) file, (int) line, (int) column, isStmt, flags, discriminator);
    }

    /** An instruction starts here: the pending .loc's row takes its address. */
    void instruction() {
        if (pending == null) return;
        Frag f = asm.frag();
        Row r = pending;
        rows.computeIfAbsent(asm.current, k -> new ArrayList<>())
                .add(new Row(f, f.size, r.file, r.line, r.column, r.isStmt, r.flags, r.discriminator));
        pending = null;
    }

    // ---------------------------------------------------------------- .debug_line

    /** Appends the line program to .debug_line once every address is final. */
    void emit() {
        SectionBuffer lineSection = asm.section(".debug_line", 0, Elf.SHT_PROGBITS, 0);
        SectionBuffer strings = asm.section(".debug_line_str", Elf.SHF_MERGE | Elf.SHF_STRINGS, Elf.SHT_PROGBITS, 1);
        Frag f = lineSection.frags.get(lineSection.frags.size() - 1);
        Frag s = strings.frags.get(strings.frags.size() - 1);
        int start = f.size;
        f.putLE(0, 4); // unit_length, patched below
        f.putLE(5, 2); // version
        f.put((byte) 4); // address size
        f.put((byte) 0); // segment selector size
        int headerLengthAt = f.size;
        f.putLE(0, 4);
        f.put(new byte[] {1, 1, 1, (byte) LINE_BASE, LINE_RANGE, OPCODE_BASE, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1});
        // directories: DW_LNCT_path as DW_FORM_line_strp
        f.put(new byte[] {1, 1, 0x1f});
        f.put(uleb(dirs.size()));
        for (String d : dirs) lineString(f, s, d == null ? "" : d);
        // files: path (line_strp) and directory index (udata); file 0 repeats file 1 without a .file 0
        f.put(new byte[] {2, 1, 0x1f, 2, 0x0f});
        int count = files.isEmpty() ? 0 : files.lastKey() + 1;
        f.put(uleb(count));
        for (int i = 0; i < count; i++) {
            FileEntry e = files.get(i);
            if (e == null && i == 0) e = files.get(1);
            if (e == null) throw new AsmError("unassigned file number " + i);
            lineString(f, s, e.name);
            f.put(uleb(e.dir));
        }
        patch32(f, headerLengthAt, f.size - headerLengthAt - 4);
        for (Map.Entry<SectionBuffer, List<Row>> e : rows.entrySet()) sequence(f, e.getKey(), e.getValue());
        patch32(f, start, f.size - start - 4);
    }

    private void lineString(Frag f, Frag strings, String text) {
        f.fixups.add(new Fixup(f, f.size, 4, new Expr.Dot(strings, strings.size), Fixup.Kind.DATA, 0, asm.line));
        f.putLE(0, 4);
        strings.put(text.getBytes(StandardCharsets.ISO_8859_1));
        strings.put((byte) 0);
    }

    /** One section's rows (GNU as's process_entries), ending where the section ends. */
    private void sequence(Frag f, SectionBuffer section, List<Row> list) {
        int file = 1, line = 1, column = 0;
        boolean stmt = true;
        long last = -1;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Row r : list) {
            if (r.file != file) {
                file = r.file;
                b.write(DW_LNS_SET_FILE);
                Leb128.unsigned(b, file);
            }
            if (r.column != column) {
                column = r.column;
                b.write(DW_LNS_SET_COLUMN);
                Leb128.unsigned(b, column);
            }
            if (r.discriminator != 0) {
                ByteArrayOutputStream d = new ByteArrayOutputStream();
                Leb128.unsigned(d, r.discriminator);
                b.write(0);
                Leb128.unsigned(b, 1 + d.size());
                b.write(DW_LNE_SET_DISCRIMINATOR);
                b.writeBytes(d.toByteArray());
            }
            if (r.isStmt != stmt) {
                stmt = r.isStmt;
                b.write(DW_LNS_NEGATE_STMT);
            }
            if ((r.flags & FLAG_BASIC_BLOCK) != 0) b.write(DW_LNS_SET_BASIC_BLOCK);
            if ((r.flags & FLAG_PROLOGUE_END) != 0) b.write(DW_LNS_SET_PROLOGUE_END);
            if ((r.flags & FLAG_EPILOGUE_BEGIN) != 0) b.write(DW_LNS_SET_EPILOGUE_BEGIN);
            long address = r.frag.address + r.offset;
            if (last < 0) {
                f.put(b.toByteArray());
                b.reset();
                setAddress(f, r);
                lineAdvance(b, r.line - line, 0);
            } else {
                lineAdvance(b, r.line - line, address - last);
            }
            line = r.line;
            last = address;
        }
        lineAdvance(b, Integer.MAX_VALUE, section.size() - last);
        f.put(b.toByteArray());
    }

    private void setAddress(Frag f, Row r) {
        f.put(new byte[] {0, 5, DW_LNE_SET_ADDRESS});
        f.fixups.add(new Fixup(f, f.size, 4, new Expr.Dot(r.frag, r.offset), Fixup.Kind.DATA, 0, asm.line));
        f.putLE(0, 4);
    }

    /** GNU as's emit_inc_line_addr; lineDelta MAX_VALUE ends the sequence. */
    private static void lineAdvance(ByteArrayOutputStream b, int lineDelta, long addrDelta) {
        if (lineDelta == Integer.MAX_VALUE) {
            if (addrDelta == MAX_SPECIAL_ADDR_DELTA) {
                b.write(DW_LNS_CONST_ADD_PC);
            } else if (addrDelta != 0) {
                b.write(DW_LNS_ADVANCE_PC);
                Leb128.unsigned(b, addrDelta);
            }
            b.writeBytes(new byte[] {0, 1, DW_LNE_END_SEQUENCE});
            return;
        }
        long tmp = (long) lineDelta - LINE_BASE;
        boolean needCopy = false;
        if (tmp < 0 || tmp >= LINE_RANGE) {
            b.write(DW_LNS_ADVANCE_LINE);
            Leb128.signed(b, lineDelta);
            lineDelta = 0;
            tmp = -LINE_BASE;
            needCopy = true;
        }
        if (lineDelta == 0 && addrDelta == 0) {
            b.write(DW_LNS_COPY);
            return;
        }
        tmp += OPCODE_BASE;
        if (addrDelta < 256 + MAX_SPECIAL_ADDR_DELTA) {
            long opcode = tmp + addrDelta * LINE_RANGE;
            if (opcode <= 255) {
                b.write((int) opcode);
                return;
            }
            opcode = tmp + (addrDelta - MAX_SPECIAL_ADDR_DELTA) * LINE_RANGE;
            if (opcode <= 255) {
                b.write(DW_LNS_CONST_ADD_PC);
                b.write((int) opcode);
                return;
            }
        }
        b.write(DW_LNS_ADVANCE_PC);
        Leb128.unsigned(b, addrDelta);
        b.write(needCopy ? DW_LNS_COPY : (int) tmp);
    }

    private static byte[] uleb(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Leb128.unsigned(b, v);
        return b.toByteArray();
    }

    private static void patch32(Frag f, int at, int v) {
        for (int i = 0; i < 4; i++) f.data[at + i] = (byte) (v >>> (8 * i));
    }
}

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

    /** What a .loc said. view: the symbol given the row's view number, or null; zeroView: "view 0" or "view -0". */
    private record Loc(int file, int line, int column, boolean isStmt, int flags, long discriminator, AsmSymbol view,
            boolean zeroView, boolean forceReset) { }

    /**
     * A row of the line table: where it applies and its .loc. Its view number is 0 when its address is past
     * the previous row's, else one more than that row's (GNU as's set_or_check_view).
     */
    private static final class Row implements Expr.View {
        final Frag frag;
        final int offset;
        final Loc loc;
        final Row prev;

        Row(Frag frag, int offset, Loc loc, Row prev) {
            this.frag = frag;
            this.offset = offset;
            this.loc = loc;
            this.prev = prev;
        }

        long address() { return frag.address + offset; }

        /** Whether this row's address is past prev's; null while that depends on a layout not done yet. */
        private Boolean advances(boolean layoutKnown) {
            if (frag == prev.frag) return offset > prev.offset;
            return layoutKnown ? address() > prev.address() : null;
        }

        @Override public Long number(boolean layoutKnown) {
            // walk back (without recursion) to a row whose view is known, then count forward
            java.util.ArrayDeque<Row> chain = new java.util.ArrayDeque<>();
            Row r = this;
            long n;
            while (true) {
                if (r.prev == null) {
                    n = 0;
                    break;
                }
                Boolean adv = r.advances(layoutKnown);
                if (adv == null) return null;
                if (adv) {
                    n = 0;
                    break;
                }
                if (r.prev.loc.view == null && !r.prev.loc.zeroView) {
                    n = 1;
                    break;
                }
                if (r.prev.loc.zeroView) {
                    n = 1;
                    break;
                }
                chain.push(r);
                r = r.prev;
            }
            return n + chain.size();
        }
    }

    private final Assembly asm;
    private final List<String> dirs = new ArrayList<>();
    private final TreeMap<Integer, FileEntry> files = new TreeMap<>();
    private final Map<SectionBuffer, List<Row>> rows = new LinkedHashMap<>();
    /** The .loc waiting for the next instruction, or null. */
    private Loc pending;
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

    /** .loc FILE LINE [COLUMN] [options]: the row applies from the next instruction (at once with a view). */
    void loc(Cursor c) {
        long file = asm.absolute(c, ".loc");
        long line = asm.absolute(c, ".loc");
        long column = 0;
        if (!c.atEnd() && Character.isDigit(c.peek())) column = asm.absolute(c, ".loc");
        if (!files.containsKey((int) file)) throw new AsmError("unassigned file number " + file);
        int flags = 0;
        long discriminator = 0;
        AsmSymbol view = null;
        boolean zeroView = false, forceReset = false;
        while (!c.atEnd()) {
            String option = c.symbolName();
            if (option == null) throw c.junk();
            switch (option) {
                case "view" -> {
                    char ch = c.peek();
                    if (Character.isDigit(ch) || ch == '-') {
                        forceReset = ch == '-';
                        if (asm.absolute(c, ".loc") != 0) throw new AsmError("numeric view can only be asserted to zero");
                        zeroView = true;
                    } else {
                        String name = c.symbolName();
                        if (name == null) throw c.junk();
                        view = asm.symbols.get(name);
                        if (view.isDefined()) throw new AsmError("symbol `" + name + "' is already defined");
                    }
                }
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
        locSeen = true;
        // two .loc in a row: the first one's row is made here, as GNU as does
        if (pending != null) instruction();
        pending = new Loc((int) file, (int) line, (int) column, isStmt, flags, discriminator, view, zeroView, forceReset);
        if (view != null || zeroView) instruction(); // a row with a view is made at once
    }

    /** -g: rows for the assembly source itself, until the source gives its own .loc (as GNU as does). */
    boolean sourceLines;
    private boolean locSeen;
    private int lastSourceFile = -1, lastSourceLine = -1;

    /** -g: an instruction from line `line` of `file` starts here; a repeated line makes no new row. */
    void sourceInstruction(String file, int line) {
        if (!sourceLines || locSeen || !asm.current.isCode()) return; // no rows for instructions in data
        int slash = file.lastIndexOf('/');
        String dir = slash < 0 ? "" : file.substring(0, slash);
        int d = dir.isEmpty() ? 0 : dirs.indexOf(dir);
        if (d < 0) {
            d = dirs.size();
            dirs.add(dir);
        }
        String base = file.substring(slash + 1);
        int n = -1;
        for (Map.Entry<Integer, FileEntry> e : files.entrySet()) {
            if (e.getKey() > 0 && e.getValue().equals(new FileEntry(base, d))) n = e.getKey();
        }
        if (n < 0) {
            n = files.isEmpty() ? 1 : Math.max(1, files.lastKey() + 1);
            files.put(n, new FileEntry(base, d));
        }
        if (n == lastSourceFile && line == lastSourceLine) return;
        lastSourceFile = n;
        lastSourceLine = line;
        pending = new Loc(n, line, 0, true, 0, 0, null, false, false);
        instruction();
    }

    /** An instruction starts here: the pending .loc's row takes its address (GNU as drops rows for line 0). */
    void instruction() {
        if (pending == null) return;
        Loc loc = pending;
        pending = null;
        if (loc.line == 0) return;
        Frag f = asm.frag();
        List<Row> list = rows.computeIfAbsent(asm.current, k -> new ArrayList<>());
        Row r = new Row(f, f.size, loc, list.isEmpty() ? null : list.get(list.size() - 1));
        list.add(r);
        if (loc.view != null) {
            loc.view.kind = AsmSymbol.Kind.EQUATE;
            loc.view.equate = new Expr.LineView(r);
            loc.view.line = asm.line;
        }
    }

    // ---------------------------------------------------------------- .debug_line

    /** Appends the line program to .debug_line once every address is final; returns where its unit starts. */
    Expr emit() {
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
        for (String d : dirs) lineString(f, s, d == null ? compilationDirectory() : d);
        // files: path (line_strp) and directory index (udata); file 0 repeats file 1 without a .file 0
        f.put(new byte[] {2, 1, 0x1f, 2, 0x0f});
        int count = files.isEmpty() ? 0 : files.lastKey() + 1;
        f.put(uleb(count));
        int file1Name = -1;
        for (int i = 0; i < count; i++) {
            FileEntry e = files.get(i);
            if (e == null && i == 0 && files.containsKey(1)) {
                // no .file 0: file 0 is file 1, sharing its name's string as in GNU as
                e = files.get(1);
                file1Name = s.size;
                lineString(f, s, e.name);
            } else if (e == null) {
                throw new AsmError("unassigned file number " + i);
            } else if (i == 1 && file1Name >= 0) {
                f.pendingFields.add(new PendingField(f, f.size, 4, new Expr.Dot(s, file1Name), PendingField.Kind.DATA, 0, asm.line));
                f.putLE(0, 4);
            } else {
                lineString(f, s, e.name);
            }
            f.put(uleb(e.dir));
        }
        patch32(f, headerLengthAt, f.size - headerLengthAt - 4);
        for (Map.Entry<SectionBuffer, List<Row>> e : rows.entrySet()) sequence(f, e.getKey(), e.getValue());
        patch32(f, start, f.size - start - 4);
        return new Expr.Dot(f, start);
    }

    static String compilationDirectory() { return System.getProperty("user.dir"); }

    /** The code sections with rows, in order (the compile unit describes them). */
    java.util.Set<SectionBuffer> codeSections() { return rows.keySet(); }

    private void lineString(Frag f, Frag strings, String text) {
        f.pendingFields.add(new PendingField(f, f.size, 4, new Expr.Dot(strings, strings.size), PendingField.Kind.DATA, 0, asm.line));
        f.putLE(0, 4);
        strings.put(text.getBytes(StandardCharsets.ISO_8859_1));
        strings.put((byte) 0);
    }

    /** One section's rows (GNU as's process_entries), ending where the section ends. */
    private void sequence(Frag f, SectionBuffer section, List<Row> list) {
        int file = 1, line = 1, column = 0;
        boolean stmt = true;
        Row last = null;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Row r : list) {
            Loc l = r.loc;
            if (l.file != file) {
                file = l.file;
                b.write(DW_LNS_SET_FILE);
                Leb128.unsigned(b, file);
            }
            if (l.column != column) {
                column = l.column;
                b.write(DW_LNS_SET_COLUMN);
                Leb128.unsigned(b, column);
            }
            if (l.discriminator != 0) {
                ByteArrayOutputStream d = new ByteArrayOutputStream();
                Leb128.unsigned(d, l.discriminator);
                b.write(0);
                Leb128.unsigned(b, 1 + d.size());
                b.write(DW_LNE_SET_DISCRIMINATOR);
                b.writeBytes(d.toByteArray());
            }
            if (l.isStmt != stmt) {
                stmt = l.isStmt;
                b.write(DW_LNS_NEGATE_STMT);
            }
            if ((l.flags & FLAG_BASIC_BLOCK) != 0) b.write(DW_LNS_SET_BASIC_BLOCK);
            if ((l.flags & FLAG_PROLOGUE_END) != 0) b.write(DW_LNS_SET_PROLOGUE_END);
            if ((l.flags & FLAG_EPILOGUE_BEGIN) != 0) b.write(DW_LNS_SET_EPILOGUE_BEGIN);
            if (last == null || resetsView(r, last)) {
                f.put(b.toByteArray());
                b.reset();
                setAddress(f, r);
                lineAdvance(b, l.line - line, 0);
            } else {
                lineAdvance(b, l.line - line, r.address() - last.address());
            }
            line = l.line;
            last = r;
        }
        lineAdvance(b, Integer.MAX_VALUE, section.size() - last.address());
        f.put(b.toByteArray());
    }

    /**
     * A "view -0" row where the address may not have moved: GNU as restarts the view numbering with a
     * DW_LNE_set_address (same frag and offset, or the start of a frag after the end of the last one).
     */
    private static boolean resetsView(Row r, Row last) {
        if (!r.loc.forceReset) return false;
        if (r.frag == last.frag) return r.offset == last.offset;
        return r.offset == 0 && last.offset >= last.frag.fix;
    }

    private void setAddress(Frag f, Row r) {
        f.put(new byte[] {0, 5, DW_LNE_SET_ADDRESS});
        f.pendingFields.add(new PendingField(f, f.size, 4, new Expr.Dot(r.frag, r.offset), PendingField.Kind.DATA, 0, asm.line));
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

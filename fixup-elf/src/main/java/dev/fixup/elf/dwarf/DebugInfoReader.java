package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the compilation units of .debug_info (DWARF 2 to 5) for what a line lookup needs: each
 * unit's code ranges, its line table and its functions (subprograms, entry points and inlined
 * copies, named through DW_AT_abstract_origin / DW_AT_specification when they carry no name).
 */
final class DebugInfoReader {
    private static final int TAG_VARIABLE = 0x34, TAG_ENTRY_POINT = 0x03, TAG_COMPILE_UNIT = 0x11, TAG_INLINED_SUBROUTINE = 0x1d,
            TAG_SUBPROGRAM = 0x2e, TAG_PARTIAL_UNIT = 0x3c, TAG_SKELETON_UNIT = 0x4a;
    private static final int AT_LOCATION = 0x02, AT_DECL_FILE = 0x3a, AT_DECL_LINE = 0x3b, DW_OP_ADDR = 0x03;
    private static final int AT_NAME = 0x03, AT_STMT_LIST = 0x10, AT_LOW_PC = 0x11, AT_HIGH_PC = 0x12,
            AT_COMP_DIR = 0x1b, AT_ABSTRACT_ORIGIN = 0x31, AT_SPECIFICATION = 0x47, AT_RANGES = 0x55,
            AT_LINKAGE_NAME = 0x6e, AT_RNGLISTS_BASE = 0x74, AT_MIPS_LINKAGE_NAME = 0x2007;
    /** How many DW_AT_abstract_origin / DW_AT_specification links a name is followed through. */
    private static final int MAX_NAME_LINKS = 16;

    /** The attributes of one entry that matter here. */
    private static final class Entry {
        int tag;
        String name, linkageName;
        Long origin;
        Long lowPc, highPc, ranges, stmtList;
        boolean highPcIsOffset;
        String compDir;
        /** A variable's static address (a location of DW_OP_addr alone) and where it is declared. */
        Long address;
        long declFile, declLine;
        long rnglistsBase;
    }

    private final DebugSection info, abbrev, str, lineStr, line, ranges, rnglists;
    private final Map<Long, Entry> entries = new HashMap<>();

    DebugInfoReader(DebugSection info, DebugSection abbrev, DebugSection str, DebugSection lineStr, DebugSection line,
                    DebugSection ranges, DebugSection rnglists) {
        this.info = info;
        this.abbrev = abbrev;
        this.str = str;
        this.lineStr = lineStr;
        this.line = line;
        this.ranges = ranges;
        this.rnglists = rnglists;
    }

    List<CompileUnit> read() {
        if (abbrev == null) throw new DwarfFormatException(".debug_info: the file has no .debug_abbrev");
        List<CompileUnit> units = new ArrayList<>();
        List<List<Object[]>> pending = new ArrayList<>();
        List<Entry> unitEntries = new ArrayList<>();
        List<Forms.Unit> formats = new ArrayList<>();
        DwarfCursor c = new DwarfCursor(info, 0);
        int order = 0;
        while (c.pos < info.data.length) {
            c.end = info.data.length;
            int unitStart = c.pos;
            long length = c.u32("unit_length");
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = c.u64("unit_length");
                offsetSize = 8;
            } else if (length >= 0xfffffff0L) {
                throw c.error(unitStart, "unit_length 0x" + Long.toHexString(length) + " is a reserved value");
            }
            int unitEnd = c.limit(length, "unit_length");
            int version = c.u16("version");
            if (version < 2 || version > 5) throw c.error(c.pos - 2, "version " + version + " is not a DWARF version (2 to 5)");
            long abbrevOffset;
            int addressSize;
            int unitType = 1;
            if (version >= 5) {
                unitType = c.u8("unit_type");
                addressSize = c.u8("address_size");
                abbrevOffset = c.fixed(offsetSize, "debug_abbrev_offset");
                if (unitType == 2 || unitType == 6) c.skip(8 + offsetSize, "type signature and offset");
                else if (unitType == 4 || unitType == 5) c.skip(8, "dwo_id");
            } else {
                abbrevOffset = c.fixed(offsetSize, "debug_abbrev_offset");
                addressSize = c.u8("address_size");
            }
            if (addressSize != 4 && addressSize != 8) throw c.error(c.pos - 1, "address_size " + addressSize + " is not 4 or 8");
            Forms.Unit format = new Forms.Unit(version, addressSize, offsetSize, unitStart, str, lineStr);
            Abbreviations abbrevs = Abbreviations.read(abbrev, abbrevOffset);
            List<Object[]> wanted = new ArrayList<>();           // functions and static variables, with their order
            Entry unitEntry = null;
            while (c.pos < unitEnd) {
                long offset = c.pos;
                long code = c.uleb("abbreviation code");
                if (code == 0) continue;
                Abbreviations.Abbreviation a = abbrevs.get(code);
                if (a == null) throw c.error((int) offset, "abbreviation code " + code + " is not in the unit's table");
                Entry e = read(c, a, format);
                entries.put(offset, e);
                if (unitEntry == null) unitEntry = e;
                if (e.tag == TAG_SUBPROGRAM || e.tag == TAG_INLINED_SUBROUTINE || e.tag == TAG_ENTRY_POINT
                        || (e.tag == TAG_VARIABLE && e.address != null))
                    wanted.add(new Object[] {e, order++});
            }
            c.pos = unitEnd;
            if (unitEntry == null || !(unitEntry.tag == TAG_COMPILE_UNIT || unitEntry.tag == TAG_PARTIAL_UNIT
                    || unitEntry.tag == TAG_SKELETON_UNIT)) continue;
            unitEntries.add(unitEntry);
            pending.add(wanted);
            formats.add(format);
        }
        // names may refer forward, so functions are made once every entry is read
        for (int i = 0; i < unitEntries.size(); i++) {
            Entry u = unitEntries.get(i);
            Forms.Unit format = formats.get(i);
            long base = u.lowPc == null ? 0 : u.lowPc;
            List<Function> functions = new ArrayList<>();
            List<CompileUnit.Variable> variables = new ArrayList<>();
            for (Object[] f : pending.get(i)) {
                Entry e = (Entry) f[0];
                if (e.tag == TAG_VARIABLE) {
                    variables.add(new CompileUnit.Variable(e.address, (int) e.declFile, (int) e.declLine));
                    continue;
                }
                List<long[]> r = ranges(e, base, u, format);
                if (!r.isEmpty()) functions.add(new Function(name(e), r, (Integer) f[1]));
            }
            LineTable lines = null;
            if (u.stmtList != null) {
                if (line == null) throw new DwarfFormatException(".debug_info: DW_AT_stmt_list refers to .debug_line, which the file does not have");
                if (u.stmtList < 0 || u.stmtList >= line.data.length)
                    throw new DwarfFormatException(".debug_info: DW_AT_stmt_list 0x" + Long.toHexString(u.stmtList)
                            + " is outside .debug_line (" + line.data.length + " bytes)");
                lines = new LineTable(LineProgram.read(line, (int) (long) u.stmtList, str, lineStr), u.compDir);
            }
            units.add(new CompileUnit(ranges(u, base, u, format), lines, new FunctionIndex(functions), variables));
        }
        return units;
    }

    private Entry read(DwarfCursor c, Abbreviations.Abbreviation a, Forms.Unit format) {
        Entry e = new Entry();
        e.tag = a.tag();
        for (Abbreviations.Attribute at : a.attributes()) {
            if (at.name() == AT_LOCATION && e.tag == TAG_VARIABLE) e.address = staticAddress(c, at.form(), format);
            Object v = Forms.read(c, at.form(), at.implicitConst(), format, "DW_AT 0x" + Integer.toHexString(at.name()));
            switch (at.name()) {
                case AT_NAME -> { if (v instanceof String s) e.name = s; }
                case AT_LINKAGE_NAME, AT_MIPS_LINKAGE_NAME -> { if (v instanceof String s) e.linkageName = s; }
                case AT_ABSTRACT_ORIGIN, AT_SPECIFICATION -> {
                    if (v instanceof Long l) e.origin = Forms.unitRelative(at.form()) ? format.unitOffset() + l : l;
                }
                case AT_LOW_PC -> { if (v instanceof Long l && at.form() == Forms.ADDR) e.lowPc = l; }
                case AT_HIGH_PC -> {
                    if (v instanceof Long l) {
                        e.highPc = l;
                        e.highPcIsOffset = at.form() != Forms.ADDR;
                    }
                }
                case AT_RANGES -> { if (v instanceof Long l) e.ranges = at.form() == Forms.RNGLISTX ? -1 - l : l; }
                case AT_RNGLISTS_BASE -> { if (v instanceof Long l) e.rnglistsBase = l; }
                case AT_STMT_LIST -> { if (v instanceof Long l) e.stmtList = l; }
                case AT_COMP_DIR -> { if (v instanceof String s) e.compDir = s; }
                case AT_DECL_FILE -> { if (v instanceof Long l) e.declFile = l; }
                case AT_DECL_LINE -> { if (v instanceof Long l) e.declLine = l; }
                default -> { }
            }
        }
        return e;
    }

    /**
     * The address of a location expression that is DW_OP_addr and nothing else (a variable with
     * static storage), read without moving the cursor; null for any other location.
     */
    private static Long staticAddress(DwarfCursor c, int form, Forms.Unit format) {
        int start = c.pos;
        try {
            long length = switch (form) {
                case Forms.EXPRLOC, Forms.BLOCK -> c.uleb("DW_AT_location length");
                case Forms.BLOCK1 -> c.u8("DW_AT_location length");
                default -> -1;
            };
            if (length != 1 + format.addressSize() || c.u8("DW_AT_location operation") != DW_OP_ADDR) return null;
            return c.address(format.addressSize(), "DW_OP_addr operand");
        } finally {
            c.pos = start;
        }
    }

    /** An entry's name: its linkage name, its name, or the name of the entry it is an instance or completion of. */
    private String name(Entry e) {
        for (int i = 0; e != null && i < MAX_NAME_LINKS; i++) {
            if (e.linkageName != null) return e.linkageName;
            if (e.name != null) return e.name;
            e = e.origin == null ? null : entries.get(e.origin);
        }
        return null;
    }

    private List<long[]> ranges(Entry e, long base, Entry unit, Forms.Unit format) {
        List<long[]> list = new ArrayList<>();
        if (e.lowPc != null && e.highPc != null) {
            long high = e.highPcIsOffset ? e.lowPc + e.highPc : e.highPc;
            if (high > e.lowPc) list.add(new long[] {e.lowPc, high});
        }
        if (e.ranges != null) {
            if (format.version() >= 5) rangeList(e.ranges, base, unit, format, list);
            else oldRanges(e.ranges, base, format, list);
        }
        return list;
    }

    /** DWARF 2-4 .debug_ranges: (begin, end) pairs relative to the base, a base selection, (0, 0) to end. */
    private void oldRanges(long offset, long base, Forms.Unit format, List<long[]> list) {
        if (ranges == null) throw new DwarfFormatException(".debug_info: DW_AT_ranges refers to .debug_ranges, which the file does not have");
        DwarfCursor c = at(ranges, offset, "DW_AT_ranges");
        long all = format.addressSize() == 8 ? -1L : 0xffffffffL;
        while (true) {
            long begin = c.address(format.addressSize(), "range begin");
            long end = c.address(format.addressSize(), "range end");
            if (begin == 0 && end == 0) return;
            if ((begin & all) == all) {
                base = end;
                continue;
            }
            if (end > begin) list.add(new long[] {base + begin, base + end});
        }
    }

    private static final int RLE_END_OF_LIST = 0, RLE_BASE_ADDRESSX = 1, RLE_STARTX_ENDX = 2, RLE_STARTX_LENGTH = 3,
            RLE_OFFSET_PAIR = 4, RLE_BASE_ADDRESS = 5, RLE_START_END = 6, RLE_START_LENGTH = 7;

    /** DWARF 5 .debug_rnglists: typed entries; indexed forms of split DWARF end the list (no .debug_addr is read). */
    private void rangeList(long ref, long base, Entry unit, Forms.Unit format, List<long[]> list) {
        if (rnglists == null) throw new DwarfFormatException(".debug_info: DW_AT_ranges refers to .debug_rnglists, which the file does not have");
        long offset = ref;
        if (ref < 0) {          // DW_FORM_rnglistx: an index into the offsets after DW_AT_rnglists_base
            long index = -1 - ref;
            DwarfCursor t = at(rnglists, unit.rnglistsBase + index * format.offsetSize(), "DW_FORM_rnglistx");
            offset = unit.rnglistsBase + t.fixed(format.offsetSize(), "range list offset");
        }
        DwarfCursor c = at(rnglists, offset, "DW_AT_ranges");
        int size = format.addressSize();
        while (true) {
            int kind = c.u8("range list entry kind");
            switch (kind) {
                case RLE_END_OF_LIST, RLE_BASE_ADDRESSX, RLE_STARTX_ENDX, RLE_STARTX_LENGTH -> { return; }
                case RLE_OFFSET_PAIR -> {
                    long b = c.uleb("DW_RLE_offset_pair start"), e = c.uleb("DW_RLE_offset_pair end");
                    if (e > b) list.add(new long[] {base + b, base + e});
                }
                case RLE_BASE_ADDRESS -> base = c.address(size, "DW_RLE_base_address");
                case RLE_START_END -> {
                    long b = c.address(size, "DW_RLE_start_end start"), e = c.address(size, "DW_RLE_start_end end");
                    if (e > b) list.add(new long[] {b, e});
                }
                case RLE_START_LENGTH -> {
                    long b = c.address(size, "DW_RLE_start_length start"), n = c.uleb("DW_RLE_start_length length");
                    if (n > 0) list.add(new long[] {b, b + n});
                }
                default -> throw c.error(c.pos - 1, "range list entry kind 0x" + Integer.toHexString(kind) + " is unknown");
            }
        }
    }

    private static DwarfCursor at(DebugSection s, long offset, String field) {
        if (offset < 0 || offset >= s.data.length)
            throw new DwarfFormatException(".debug_info: " + field + " 0x" + Long.toHexString(offset) + " is outside "
                    + s.name + " (" + s.data.length + " bytes)");
        return new DwarfCursor(s, (int) offset);
    }
}

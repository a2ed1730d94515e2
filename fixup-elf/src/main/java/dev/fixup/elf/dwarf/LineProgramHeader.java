package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of one .debug_line unit, versions 2 to 5: the parameters of the line program and its
 * directory and file tables. DWARF 5 describes each table entry by a list of (content, form)
 * pairs, and its index 0 is the compilation's own directory and primary file; earlier versions
 * list plain strings, counted from 1, with directory 0 meaning the compilation directory.
 */
final class LineProgramHeader {
    record FileEntry(String name, int directory) {}

    private static final int LNCT_PATH = 1, LNCT_DIRECTORY_INDEX = 2;

    int version;
    int offsetSize;
    int addressSize = 4;
    int minInstructionLength;
    int defaultIsStmt;
    int lineBase;
    int lineRange;
    int opcodeBase;
    int[] standardOpcodeLengths;
    final List<String> directories = new ArrayList<>();
    final List<FileEntry> files = new ArrayList<>();
    /** Where the program's opcodes start and end. */
    int programStart, programEnd;

    static LineProgramHeader read(DwarfCursor c, DebugSection str, DebugSection lineStr) {
        LineProgramHeader h = new LineProgramHeader();
        int unitStart = c.pos;
        long length = c.u32("unit_length");
        h.offsetSize = 4;
        if (length == 0xffffffffL) {
            length = c.u64("unit_length");
            h.offsetSize = 8;
        } else if (length >= 0xfffffff0L) {
            throw c.error(unitStart, "unit_length 0x" + Long.toHexString(length) + " is a reserved value");
        }
        h.programEnd = c.limit(length, "unit_length");
        int versionAt = c.pos;
        h.version = c.u16("version");
        if (h.version < 2 || h.version > 5) throw c.error(versionAt, "version " + h.version + " is not a DWARF line table version (2 to 5)");
        if (h.version >= 5) {
            h.addressSize = c.u8("address_size");
            if (h.addressSize != 4 && h.addressSize != 8) throw c.error(c.pos - 1, "address_size " + h.addressSize + " is not 4 or 8");
            c.u8("segment_selector_size");
        }
        long headerLength = c.fixed(h.offsetSize, "header_length");
        if (headerLength > c.end - c.pos) throw c.error(c.pos - h.offsetSize, "header_length 0x" + Long.toHexString(headerLength) + " runs past the end of the unit");
        h.programStart = c.pos + (int) headerLength;
        h.minInstructionLength = c.u8("minimum_instruction_length");
        if (h.version >= 4) c.u8("maximum_operations_per_instruction");
        h.defaultIsStmt = c.u8("default_is_stmt");
        h.lineBase = c.s8("line_base");
        h.lineRange = c.u8("line_range");
        if (h.lineRange == 0) throw c.error(c.pos - 1, "line_range is 0");
        h.opcodeBase = c.u8("opcode_base");
        if (h.opcodeBase == 0) throw c.error(c.pos - 1, "opcode_base is 0");
        h.standardOpcodeLengths = new int[h.opcodeBase];
        for (int i = 1; i < h.opcodeBase; i++) h.standardOpcodeLengths[i] = c.u8("standard_opcode_lengths");
        Forms.Unit unit = new Forms.Unit(h.version, h.addressSize, h.offsetSize, unitStart, str, lineStr);
        if (h.version >= 5) {
            h.readEntries(c, unit, true);
            h.readEntries(c, unit, false);
        } else {
            while (true) {
                String dir = c.cstring("include_directories");
                if (dir.isEmpty()) break;
                h.directories.add(dir);
            }
            while (true) {
                String name = c.cstring("file_names");
                if (name.isEmpty()) break;
                h.files.add(h.oldStyleFile(c, name));
            }
        }
        if (h.programStart > c.end) throw c.error("header_length points past the end of the unit");
        return h;
    }

    /** A DWARF 2-4 file entry after its name (also DW_LNE_define_file's operands). */
    FileEntry oldStyleFile(DwarfCursor c, String name) {
        int dir = c.ulebInt("file_names directory index");
        c.uleb("file_names modification time");
        c.uleb("file_names length");
        return new FileEntry(name, dir);
    }

    /** A DWARF 5 directory or file name table: its entry format, then its entries. */
    private void readEntries(DwarfCursor c, Forms.Unit unit, boolean dirs) {
        String table = dirs ? "directory" : "file_name";
        int formatCount = c.u8(table + "_entry_format_count");
        int[] content = new int[formatCount], form = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            content[i] = c.ulebInt(table + "_entry_format content type");
            form[i] = c.ulebInt(table + "_entry_format form");
        }
        int count = c.ulebInt(table + "s_count");
        for (int n = 0; n < count; n++) {
            String path = null;
            int dir = 0;
            for (int i = 0; i < formatCount; i++) {
                Object v = Forms.read(c, form[i], 0, unit, table + " entry");
                if (content[i] == LNCT_PATH && v instanceof String s) path = s;
                else if (content[i] == LNCT_DIRECTORY_INDEX && v instanceof Long l) dir = (int) (long) l;
            }
            if (dirs) directories.add(path);
            else files.add(new FileEntry(path, dir));
        }
    }
}

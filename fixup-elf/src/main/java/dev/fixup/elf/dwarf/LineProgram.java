package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.List;

/** Runs one .debug_line unit's state machine: the rows it emits, in program order. */
final class LineProgram {
    private static final int COPY = 1, ADVANCE_PC = 2, ADVANCE_LINE = 3, SET_FILE = 4, SET_COLUMN = 5, NEGATE_STMT = 6,
            SET_BASIC_BLOCK = 7, CONST_ADD_PC = 8, FIXED_ADVANCE_PC = 9, SET_PROLOGUE_END = 10, SET_EPILOGUE_BEGIN = 11,
            SET_ISA = 12;
    private static final int END_SEQUENCE = 1, SET_ADDRESS = 2, DEFINE_FILE = 3, SET_DISCRIMINATOR = 4;

    final LineProgramHeader header;
    final List<LineRow> rows = new ArrayList<>();

    private long address;
    /** The file register as an index into the header's file table (see {@link #setFile}). */
    private int file;
    private int line, column, discriminator;

    private LineProgram(LineProgramHeader header) {
        this.header = header;
        reset();
    }

    /** Decodes the unit at offset in .debug_line. */
    static LineProgram read(DebugSection debugLine, int offset, DebugSection str, DebugSection lineStr) {
        DwarfCursor c = new DwarfCursor(debugLine, offset);
        LineProgram p = new LineProgram(LineProgramHeader.read(c, str, lineStr));
        c.pos = p.header.programStart;
        p.run(c);
        return p;
    }

    private void reset() {
        address = 0;
        file = 0;
        line = 1;
        column = 0;
        discriminator = 0;
    }

    private void emit(boolean end) {
        rows.add(new LineRow(address, file, line, column, discriminator, end));
        discriminator = 0;
    }

    private void run(DwarfCursor c) {
        LineProgramHeader h = header;
        while (!c.atEnd()) {
            int op = c.u8("opcode");
            if (op >= h.opcodeBase) {
                int adjusted = op - h.opcodeBase;
                address += (long) (adjusted / h.lineRange) * h.minInstructionLength;
                line += h.lineBase + adjusted % h.lineRange;
                emit(false);
                continue;
            }
            switch (op) {
                case 0 -> extended(c);
                case COPY -> emit(false);
                case ADVANCE_PC -> address += c.uleb("DW_LNS_advance_pc operand") * h.minInstructionLength;
                case ADVANCE_LINE -> line += (int) c.sleb("DW_LNS_advance_line operand");
                case SET_FILE -> setFile(c.ulebInt("DW_LNS_set_file operand"));
                case SET_COLUMN -> column = (int) c.uleb("DW_LNS_set_column operand");
                case NEGATE_STMT, SET_BASIC_BLOCK, SET_PROLOGUE_END, SET_EPILOGUE_BEGIN -> { }
                case CONST_ADD_PC -> address += (long) ((255 - h.opcodeBase) / h.lineRange) * h.minInstructionLength;
                case FIXED_ADVANCE_PC -> address += c.u16("DW_LNS_fixed_advance_pc operand");
                case SET_ISA -> c.uleb("DW_LNS_set_isa operand");
                default -> {    // a standard opcode this reader does not know: its operand count is in the header
                    for (int i = 0; i < h.standardOpcodeLengths[op]; i++) c.uleb("opcode " + op + " operand");
                }
            }
        }
    }

    /**
     * The file register counts from 1 before DWARF 5 and from 0 in DWARF 5. Its initial value, 1,
     * is read as table entry 0 in every version, as GNU BFD 2.40 reads it (in DWARF 5 gcc makes
     * entry 0 the primary source file, which is what a sequence that never sets the file is
     * reported in, even when entry 1 is a header).
     */
    private void setFile(int register) {
        file = header.version >= 5 ? register : register - 1;
    }

    private void extended(DwarfCursor c) {
        int at = c.pos;
        long length = c.uleb("extended opcode length");
        if (length == 0) return;
        if (length > c.end - c.pos) throw c.error(at, "extended opcode length " + length + " runs past the end of the unit");
        int next = c.pos + (int) length;
        int sub = c.u8("extended opcode");
        switch (sub) {
            case END_SEQUENCE -> {
                emit(true);
                reset();
            }
            case SET_ADDRESS -> {
                int size = (int) length - 1;
                if (size != 1 && size != 2 && size != 4 && size != 8) throw c.error(at, "DW_LNE_set_address operand of " + size + " bytes");
                address = c.address(size, "DW_LNE_set_address operand");
            }
            case DEFINE_FILE -> header.files.add(header.oldStyleFile(c, c.cstring("DW_LNE_define_file name")));
            case SET_DISCRIMINATOR -> discriminator = (int) c.uleb("DW_LNE_set_discriminator operand");
            default -> { }
        }
        c.pos = next;
    }
}

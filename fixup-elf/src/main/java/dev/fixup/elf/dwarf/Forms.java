package dev.fixup.elf.dwarf;

/**
 * Attribute values by form (DWARF 2 to 5): each is read, or skipped, as its form says. Values
 * come back as a Long (constants, flags, offsets, addresses, references as offsets in
 * .debug_info), a String (inline and indirect strings), or null for what no reader here needs
 * (blocks, expressions, indexed strings and addresses of split DWARF).
 */
final class Forms {
    private Forms() {}

    static final int ADDR = 0x01, BLOCK2 = 0x03, BLOCK4 = 0x04, DATA2 = 0x05, DATA4 = 0x06, DATA8 = 0x07, STRING = 0x08,
            BLOCK = 0x09, BLOCK1 = 0x0a, DATA1 = 0x0b, FLAG = 0x0c, SDATA = 0x0d, STRP = 0x0e, UDATA = 0x0f,
            REF_ADDR = 0x10, REF1 = 0x11, REF2 = 0x12, REF4 = 0x13, REF8 = 0x14, REF_UDATA = 0x15, INDIRECT = 0x16,
            SEC_OFFSET = 0x17, EXPRLOC = 0x18, FLAG_PRESENT = 0x19, STRX = 0x1a, ADDRX = 0x1b, REF_SUP4 = 0x1c,
            STRP_SUP = 0x1d, DATA16 = 0x1e, LINE_STRP = 0x1f, REF_SIG8 = 0x20, IMPLICIT_CONST = 0x21,
            LOCLISTX = 0x22, RNGLISTX = 0x23, REF_SUP8 = 0x24, STRX1 = 0x25, STRX2 = 0x26, STRX3 = 0x27, STRX4 = 0x28,
            ADDRX1 = 0x29, ADDRX2 = 0x2a, ADDRX3 = 0x2b, ADDRX4 = 0x2c,
            GNU_ADDR_INDEX = 0x1f01, GNU_STR_INDEX = 0x1f02, GNU_REF_ALT = 0x1f20, GNU_STRP_ALT = 0x1f21;

    /** What a unit's forms depend on: its version, sizes, where it starts, and the string sections. */
    record Unit(int version, int addressSize, int offsetSize, int unitOffset, DebugSection str, DebugSection lineStr) {}

    /** Reads one value of the form; implicitConst is the abbreviation's value for DW_FORM_implicit_const. */
    static Object read(DwarfCursor c, int form, long implicitConst, Unit u, String field) {
        switch (form) {
            case ADDR: return c.address(u.addressSize(), field);
            case DATA1: case REF1: case FLAG: case STRX1: case ADDRX1: return (long) c.u8(field);
            case DATA2: case REF2: case STRX2: case ADDRX2: return (long) c.u16(field);
            case STRX3: case ADDRX3: return c.fixed(2, field) | c.fixed(1, field) << 16;
            case DATA4: case REF4: case REF_SUP4: case STRX4: case ADDRX4: return c.u32(field);
            case DATA8: case REF8: case REF_SIG8: case REF_SUP8: return c.u64(field);
            case DATA16: c.skip(16, field); return null;
            case SDATA: return c.sleb(field);
            case UDATA: case REF_UDATA: case STRX: case ADDRX: case LOCLISTX: case RNGLISTX:
            case GNU_ADDR_INDEX: case GNU_STR_INDEX: return c.uleb(field);
            case STRING: return c.cstring(field);
            case STRP: return indirect(u.str(), c.fixed(u.offsetSize(), field), ".debug_str", field);
            case LINE_STRP: return indirect(u.lineStr(), c.fixed(u.offsetSize(), field), ".debug_line_str", field);
            case SEC_OFFSET: case STRP_SUP: case GNU_REF_ALT: case GNU_STRP_ALT: return c.fixed(u.offsetSize(), field);
            case REF_ADDR: return c.fixed(u.version() <= 2 ? u.addressSize() : u.offsetSize(), field);
            case FLAG_PRESENT: return 1L;
            case IMPLICIT_CONST: return implicitConst;
            case BLOCK1: c.skip(c.u8(field), field); return null;
            case BLOCK2: c.skip(c.u16(field), field); return null;
            case BLOCK4: c.skip(c.u32(field), field); return null;
            case BLOCK: case EXPRLOC: c.skip(c.uleb(field), field); return null;
            case INDIRECT: {
                int actual = c.ulebInt(field);
                if (actual == INDIRECT || actual == IMPLICIT_CONST) throw c.error(field + ": indirect form 0x" + Integer.toHexString(actual));
                return read(c, actual, 0, u, field);
            }
            default: throw c.error(field + ": unknown form 0x" + Integer.toHexString(form));
        }
    }

    /** Whether a reference form's value is relative to its unit (every reference but DW_FORM_ref_addr). */
    static boolean unitRelative(int form) {
        return form == REF1 || form == REF2 || form == REF4 || form == REF8 || form == REF_UDATA;
    }

    private static String indirect(DebugSection strings, long offset, String name, String field) {
        if (strings == null) throw new DwarfFormatException(field + ": refers to " + name + ", which the file does not have");
        return strings.string(offset, field);
    }
}

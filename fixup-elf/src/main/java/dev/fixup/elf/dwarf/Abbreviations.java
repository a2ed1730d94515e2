package dev.fixup.elf.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One unit's abbreviation table from .debug_abbrev: code to (tag, children, attribute forms). */
final class Abbreviations {
    record Attribute(int name, int form, long implicitConst) {}

    record Abbreviation(int tag, boolean children, List<Attribute> attributes) {}

    private final Map<Long, Abbreviation> byCode = new HashMap<>();

    static Abbreviations read(DebugSection abbrev, long offset) {
        if (offset < 0 || offset >= abbrev.data.length)
            throw new DwarfFormatException(".debug_info: debug_abbrev_offset 0x" + Long.toHexString(offset)
                    + " is outside .debug_abbrev (" + abbrev.data.length + " bytes)");
        Abbreviations a = new Abbreviations();
        DwarfCursor c = new DwarfCursor(abbrev, (int) offset);
        while (true) {
            long code = c.uleb("abbreviation code");
            if (code == 0) return a;
            int tag = c.ulebInt("abbreviation tag");
            boolean children = c.u8("abbreviation children flag") != 0;
            List<Attribute> attrs = new ArrayList<>();
            while (true) {
                int name = c.ulebInt("attribute name");
                int form = c.ulebInt("attribute form");
                if (name == 0 && form == 0) break;
                long implicit = form == Forms.IMPLICIT_CONST ? c.sleb("implicit_const value") : 0;
                attrs.add(new Attribute(name, form, implicit));
            }
            a.byCode.put(code, new Abbreviation(tag, children, attrs));
        }
    }

    Abbreviation get(long code) { return byCode.get(code); }
}

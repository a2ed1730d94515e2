package dev.fixup.link;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;

import java.util.ArrayList;
import java.util.List;

/** What two links must agree on to be laid out alike, as comparable text. */
final class Layouts {
    private Layouts() {}

    /** "name address size" of every allocated section, in section order. */
    static List<String> allocated(ElfFile f) {
        List<String> r = new ArrayList<>();
        for (Section s : f.sections) if (s.isAlloc()) r.add(String.format("%s %08x %x", s.name, s.addr, s.size));
        return r;
    }

    /** "name value" of every named symbol but the file names, sorted. */
    static List<String> symbols(ElfFile f) {
        List<String> r = new ArrayList<>();
        for (Symbol s : f.symbols) if (!s.name.isEmpty() && s.type() != Elf.STT_FILE) r.add(String.format("%s %08x", s.name, s.value));
        r.sort(null);
        return r;
    }
}

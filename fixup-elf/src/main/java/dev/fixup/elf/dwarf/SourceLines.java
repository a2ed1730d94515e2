package dev.fixup.elf.dwarf;

import dev.fixup.elf.ElfFile;
import java.util.List;

/**
 * Where code came from, from a file's DWARF: for an address, the source file and line of its
 * line-table row and the innermost function (an inlined one included) whose code holds it.
 * Addresses are keys ({@link #address}): the plain address in an executable, the section and
 * offset in a relocatable object, whose debugging sections are read with their relocations applied.
 */
public final class SourceLines {
    /** What the DWARF says of one address; file is null when no line row covers it, function when no function does. */
    public record Location(String file, int line, int discriminator, String function) {}

    private final List<CompileUnit> units;
    private final boolean relocatable;

    private SourceLines(List<CompileUnit> units, boolean relocatable) {
        this.units = units;
        this.relocatable = relocatable;
    }

    /**
     * The line information of elf, or null when it has no .debug_info.
     *
     * @throws DwarfFormatException when a debugging section is malformed
     */
    public static SourceLines of(ElfFile elf) {
        DebugSection info = DebugSection.of(elf, ".debug_info");
        if (info == null) return null;
        List<CompileUnit> units = new DebugInfoReader(info, DebugSection.of(elf, ".debug_abbrev"), DebugSection.of(elf, ".debug_str"),
                DebugSection.of(elf, ".debug_line_str"), DebugSection.of(elf, ".debug_line"), DebugSection.of(elf, ".debug_ranges"),
                DebugSection.of(elf, ".debug_rnglists")).read();
        return new SourceLines(units, elf.type == dev.fixup.elf.Elf.ET_REL);
    }

    /** The key of an address: section index and offset in a relocatable object, else the address itself. */
    public long address(int section, long offsetOrAddress) {
        return relocatable ? DebugSection.key(section, offsetOrAddress) : offsetOrAddress & 0xffffffffL;
    }

    /** The first unit that may hold address and knows its line or function; null when none does. */
    public Location locate(long address) {
        for (CompileUnit u : units) {
            if (!u.mayContain(address)) continue;
            Function f = u.function(address);
            LineTable.Position p = u.lines() == null ? null : u.lines().find(address);
            if (f == null && p == null) continue;
            return new Location(p == null ? null : p.file(), p == null ? 0 : p.line(), p == null ? 0 : p.discriminator(),
                    f == null ? null : f.name());
        }
        return null;
    }
}

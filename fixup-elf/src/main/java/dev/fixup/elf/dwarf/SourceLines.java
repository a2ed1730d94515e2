package dev.fixup.elf.dwarf;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import java.util.List;

/**
 * Where code came from, from a file's DWARF: for a place, the source file and line of its
 * line-table row and the innermost function (an inlined one included) whose code holds it. In a
 * relocatable object a place is looked up at the address {@link SectionPlacement} gives its
 * section, with the debugging sections relocated to match.
 */
public final class SourceLines {
    /** What the DWARF says of one address; file is null when no line row covers it, function when no function does. */
    public record Location(String file, int line, int discriminator, String function) {}

    private final List<CompileUnit> units;
    private final boolean relocatable;
    private final long[] placement;
    private final boolean[] allocated;

    private SourceLines(List<CompileUnit> units, ElfFile elf, long[] placement) {
        this.units = units;
        this.relocatable = elf.type == Elf.ET_REL;
        this.placement = placement;
        this.allocated = new boolean[elf.sections.size()];
        for (int i = 0; i < allocated.length; i++) allocated[i] = elf.sections.get(i).isAlloc();
    }

    /**
     * The line information of elf, or null when it has no .debug_info.
     *
     * @throws DwarfFormatException when a debugging section is malformed
     */
    public static SourceLines of(ElfFile elf) {
        long[] at = SectionPlacement.of(elf);
        DebugSection info = DebugSection.of(elf, ".debug_info", at);
        if (info == null) return null;
        List<CompileUnit> units = new DebugInfoReader(info, DebugSection.of(elf, ".debug_abbrev", at), DebugSection.of(elf, ".debug_str", at),
                DebugSection.of(elf, ".debug_line_str", at), DebugSection.of(elf, ".debug_line", at),
                DebugSection.of(elf, ".debug_ranges", at), DebugSection.of(elf, ".debug_rnglists", at)).read();
        return new SourceLines(units, elf, at);
    }

    /** Where the DWARF places an offset in a section of a relocatable object, or an executable's address. */
    private long address(int section, long offsetOrAddress) {
        if (!relocatable) return offsetOrAddress & 0xffffffffL;
        return (section >= 0 && section < placement.length ? placement[section] : 0) + (offsetOrAddress & 0xffffffffL);
    }

    /**
     * What the first unit that may hold the place knows of its line or function; else, in an
     * allocated section, where a variable starting there is declared; null when nothing is known.
     *
     * @param offsetOrAddress the offset in the section (a relocatable object) or the address (an executable)
     */
    public Location locate(int section, long offsetOrAddress) {
        long address = address(section, offsetOrAddress);
        for (CompileUnit u : units) {
            if (!u.mayContain(address)) continue;
            Function f = u.function(address);
            LineTable.Position p = u.lines() == null ? null : u.lines().find(address);
            if (f == null && p == null) continue;
            return new Location(p == null ? null : p.file(), p == null ? 0 : p.line(), p == null ? 0 : p.discriminator(),
                    f == null ? null : f.name());
        }
        // data, outside every unit's code: GNU BFD reports where a variable that starts there is declared
        if (section < 0 || section >= allocated.length || !allocated[section]) return null;
        for (CompileUnit u : units) {
            CompileUnit.Variable v = u.variable(address);
            if (v != null && v.line() > 0 && u.lines() != null) return new Location(u.lines().fileName(v.file() - 1), v.line(), 0, null);
        }
        return null;
    }
}

package dev.fixup.elf.dwarf;

import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import java.util.List;

/**
 * Where code came from, from a file's DWARF: for an address, the source file and line of its
 * line-table row and the innermost function (an inlined one included) whose code holds it.
 * A place is looked up at its address ({@link #address}): in a relocatable object, at the address
 * {@link SectionPlacement} gives its section, with the debugging sections relocated to match.
 */
public final class SourceLines {
    /** What the DWARF says of one address; file is null when no line row covers it, function when no function does. */
    public record Location(String file, int line, int discriminator, String function) {}

    private final List<CompileUnit> units;
    private final boolean relocatable;
    private final long[] placement;

    private SourceLines(List<CompileUnit> units, boolean relocatable, long[] placement) {
        this.units = units;
        this.relocatable = relocatable;
        this.placement = placement;
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
        return new SourceLines(units, elf.type == Elf.ET_REL, at);
    }

    /** Where the DWARF places an offset in a section of a relocatable object, or an executable's address. */
    public long address(int section, long offsetOrAddress) {
        if (!relocatable) return offsetOrAddress & 0xffffffffL;
        return (section >= 0 && section < placement.length ? placement[section] : 0) + (offsetOrAddress & 0xffffffffL);
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

package dev.fixup.asm;

import dev.fixup.testkit.HostTools;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The oracle: GNU as --32, and a comparison of two objects by section contents, symbols and relocations. */
final class GnuAs {
    private GnuAs() {}

    static boolean available() {
        return HostTools.has("as");
    }

    /** Assembles a file with GNU as; null plus the messages in err[0] when it fails. */
    static ElfFile assemble(Path source, String[] err) throws Exception {
        Path out = Files.createTempFile("fixup-gnu", ".o");
        try {
            HostTools.Result r = HostTools.run(null, "as", "--32", "-o", out.toString(), source.toString());
            if (!r.ok()) {
                err[0] = r.out();
                return null;
            }
            return ElfReader.read(Files.readAllBytes(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Differences between the oracle's object and ours, one line each; empty when equal. */
    static List<String> compare(ElfFile gnu, ElfFile ours) {
        List<String> diffs = new ArrayList<>();
        List<String> gs = sectionNames(gnu), os = sectionNames(ours);
        if (!gs.equals(os)) diffs.add("sections: as " + gs + " vs ours " + os);
        for (String name : gs) {
            Section a = gnu.section(name), b = ours.section(name);
            if (b == null) continue;
            if (a.type != b.type) diffs.add(name + ": type " + a.type + " vs " + b.type);
            if (a.flags != b.flags) diffs.add(name + ": flags 0x" + Integer.toHexString(a.flags) + " vs 0x" + Integer.toHexString(b.flags));
            if (a.size != b.size) diffs.add(name + ": size " + a.size + " vs " + b.size);
            if (a.addralign != b.addralign) diffs.add(name + ": addralign " + a.addralign + " vs " + b.addralign);
            if (a.entsize != b.entsize) diffs.add(name + ": entsize " + a.entsize + " vs " + b.entsize);
            if (a.type != Elf.SHT_NOBITS && !Arrays.equals(a.data, b.data)) {
                diffs.add(name + ": contents differ\n  as:   " + hex(a.data) + "\n  ours: " + hex(b.data));
            }
            List<String> ra = relocs(gnu, name), rb = relocs(ours, name);
            if (!ra.equals(rb)) diffs.add(name + ": relocations\n  as:   " + ra + "\n  ours: " + rb);
        }
        List<String> sa = symbols(gnu), sb = symbols(ours);
        if (!sa.equals(sb)) {
            boolean orderOnly = new java.util.TreeSet<>(sa).equals(new java.util.TreeSet<>(sb)) && sa.size() == sb.size();
            diffs.add((orderOnly ? SYMBOL_ORDER_ONLY : "symbols") + "\n  as:   " + sa + "\n  ours: " + sb);
        }
        return diffs;
    }

    private static String hex(byte[] d) {
        return d == null ? "null" : HexFormat.of().formatHex(d);
    }

    private static List<String> sectionNames(ElfFile f) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < f.sections.size(); i++) {
            Section s = f.sections.get(i);
            if (s.type == Elf.SHT_SYMTAB || s.type == Elf.SHT_STRTAB || s.type == Elf.SHT_REL) continue;
            out.add(s.name);
        }
        return out;
    }

    private static List<String> relocs(ElfFile f, String section) {
        List<String> out = new ArrayList<>();
        int idx = f.indexOf(f.section(section));
        for (Section s : f.sections) {
            if (s.type != Elf.SHT_REL || s.info != idx) continue;
            for (Relocation r : s.relocations) {
                out.add(String.format("%x:%d:%s", r.offset, r.type, symbolName(f, f.symbols.get(r.symbol))));
            }
        }
        return out;
    }

    private static String symbolName(ElfFile f, Symbol s) {
        if (s.type() == Elf.STT_SECTION) return f.sections.get(s.shndx).name;
        return s.name;
    }

    /** The same symbols, in another order (named apart in the report: the objects would still link alike). */
    static final String SYMBOL_ORDER_ONLY = "symbols (order only)";

    private static List<String> symbols(ElfFile f) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < f.symbols.size(); i++) {
            Symbol s = f.symbols.get(i);
            String sec = switch (s.shndx) {
                case Elf.SHN_UNDEF -> "UND";
                case Elf.SHN_ABS -> "ABS";
                case Elf.SHN_COMMON -> "COM";
                default -> s.shndx < f.sections.size() ? f.sections.get(s.shndx).name : "#" + s.shndx;
            };
            out.add(symbolName(f, s) + "=" + Integer.toHexString(s.value) + "/" + s.size + "/t" + s.type() + "/b" + s.bind()
                    + "/v" + s.other + "/" + sec);
        }
        return out;
    }
}

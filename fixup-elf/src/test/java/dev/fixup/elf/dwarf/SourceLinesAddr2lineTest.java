package dev.fixup.elf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Section;
import dev.fixup.testkit.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line reader against GNU addr2line on gcc -g objects of every DWARF version: for each byte
 * of .text, the same file, line and function; and damaged sections give errors naming the field.
 * Skips without gcc or addr2line.
 */
class SourceLinesAddr2lineTest {
    @TempDir Path dir;

    private static final String HEADER = "static inline int twice(int x)\n{\n  return x * 2;\n}\n";
    private static final String SOURCE = "#include \"h.h\"\nint f(int y)\n{\n  int s = 0;\n  for (int i = 0; i < y; i++)\n"
            + "    s += twice(i) ^ y;\n  return s;\n}\nint g(int y)\n{\n  return twice(y) + f(y - 1);\n}\n";

    private Path compile(String debug, String opt) throws Exception {
        HostTools.require("gcc", "addr2line");
        Files.writeString(dir.resolve("h.h"), HEADER);
        Files.writeString(dir.resolve("m.c"), SOURCE);
        Path o = dir.resolve("m" + debug + opt + ".o");
        HostTools.Result r = HostTools.run(dir, "gcc", "-m32", debug, opt, "-c", "m.c", "-o", o.toString());
        assertTrue(r.ok(), r.out());
        return o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-2", "-gdwarf-3", "-gdwarf-4", "-gdwarf-5"})
    void everyAddressOfTextIsWhereAddr2lineSaysItIs(String debug) throws Exception {
        for (String opt : new String[] {"-O0", "-O2"}) {
            Path o = compile(debug, opt);
            ElfFile elf = ElfReader.read(Files.readAllBytes(o));
            SourceLines lines = SourceLines.of(elf);
            assertNotNull(lines);
            int text = elf.indexOf(elf.section(".text"));
            int size = elf.section(".text").size;
            StringBuilder addresses = new StringBuilder();
            for (int a = 0; a < size; a++) addresses.append(String.format("0x%x%n", a));
            Files.writeString(dir.resolve("addresses"), addresses);
            HostTools.Result r = HostTools.run(dir, "sh", "-c", "addr2line -f -j .text -e " + o + " < addresses");
            assertTrue(r.ok(), r.out());
            String[] gnu = r.out().split("\n");
            for (int a = 0; a < size; a++) {
                SourceLines.Location at = lines.locate(text, a);
                String function = gnu[2 * a], place = gnu[2 * a + 1].replaceAll(" \\(discriminator \\d+\\)", "");
                String ours = at == null || at.line() == 0 ? "??:0" : at.file() + ":" + at.line();
                assertEquals(place, ours, debug + " " + opt + " .text+0x" + Integer.toHexString(a));
                if (at != null && at.function() != null) assertEquals(function, at.function(), debug + " " + opt + " .text+0x" + Integer.toHexString(a));
            }
        }
    }

    @Test void aTruncatedLineProgramIsAnErrorNamingTheField() throws Exception {
        ElfFile elf = ElfReader.read(Files.readAllBytes(compile("-gdwarf-5", "-O2")));
        Section line = elf.section(".debug_line");
        line.setData(Arrays.copyOf(line.data, 30));
        DwarfFormatException e = assertThrows(DwarfFormatException.class, () -> SourceLines.of(elf));
        assertEquals(".rel.debug_line: relocation offset 0x22 is outside .debug_line (30 bytes)", e.getMessage());
        for (Section s : elf.sections) if (s.info == elf.indexOf(line) && s.name.startsWith(".rel")) s.relocations.clear();
        e = assertThrows(DwarfFormatException.class, () -> SourceLines.of(elf));
        assertTrue(e.getMessage().startsWith(".debug_line+0x"), e.getMessage());
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test void anUnknownAbbreviationIsAnErrorNamingIt() throws Exception {
        ElfFile elf = ElfReader.read(Files.readAllBytes(compile("-gdwarf-4", "-O0")));
        Section abbrev = elf.section(".debug_abbrev");
        byte[] b = abbrev.data.clone();
        b[0] = 0x7f;                                     // the unit's first entry now uses a code the table lacks
        abbrev.setData(b);
        DwarfFormatException e = assertThrows(DwarfFormatException.class, () -> SourceLines.of(elf));
        assertTrue(e.getMessage().matches("\\.debug_info\\+0x[0-9a-f]+: abbreviation code 1 is not in the unit's table"), e.getMessage());
    }
}

package dev.fixup.kernel;

import dev.fixup.asm.Assembler;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Relocation;
import dev.fixup.elf.Section;
import dev.fixup.elf.Symbol;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** The kernel sources through GNU as and ld give the same bytes as through Fixup's assembler and linker. */
class GnuComparisonTest {
    @Test
    void everyKernelSourceAssemblesLikeGnuAs() throws Exception {
        Tools.assumeGnu();
        Path t = Files.createTempDirectory("as");
        for (String name : KernelSources.SOURCES) {
            Files.writeString(t.resolve(name), KernelSources.source(name));
            Tools.run(t, "as", "--32", name, "-o", "gnu.o");
            ElfFile gnu = ElfReader.read(Files.readAllBytes(t.resolve("gnu.o")));
            ElfFile ours = Assembler.assemble(name, KernelSources.source(name));
            for (Section g : gnu.sections) {
                if (g.type != Elf.SHT_PROGBITS && g.type != Elf.SHT_NOBITS && g.type != Elf.SHT_REL) continue;
                if (g.name.startsWith(".note") || g.name.equals(".comment")) continue;
                Section o = ours.section(g.name);
                assertNotNull(o, name + ": section " + g.name + " missing");
                assertEquals(g.size, o.size, name + ": size of " + g.name);
                if (g.type == Elf.SHT_PROGBITS) assertArrayEquals(g.data, o.data, name + ": bytes of " + g.name);
                if (g.type == Elf.SHT_REL) assertEquals(relocs(gnu, g), relocs(ours, o), name + ": " + g.name);
            }
            assertEquals(globals(gnu), globals(ours), name + ": global symbols");
        }
    }

    private static List<String> relocs(ElfFile f, Section rel) {
        List<String> out = new ArrayList<>();
        for (Relocation r : rel.relocations) {
            Symbol s = f.symbols.get(r.symbol);
            String target = s.type() == Elf.STT_SECTION ? f.sections.get(s.shndx).name : s.name;
            out.add(String.format("%x %d %s", r.offset, r.type, target));
        }
        return out;
    }

    private static TreeSet<String> globals(ElfFile f) {
        TreeSet<String> out = new TreeSet<>();
        for (Symbol s : f.symbols) {
            if (s.bind() == Elf.STB_LOCAL) continue;
            String sec = s.shndx == 0 ? "UND" : s.shndx >= Elf.SHN_ABS ? "ABS" : f.sections.get(s.shndx).name;
            out.add(String.format("%s %x %s", s.name, s.shndx == 0 ? 0 : s.value, sec));
        }
        return out;
    }

    @Test
    void vmlinuxMatchesGnuLd() throws Exception {
        KernelImage gnu = Tools.gnuKernel(), ours = Tools.kernel();
        for (String name : new String[] {".text", "__ex_table", ".data"}) {
            Section g = gnu.elf.section(name), o = ours.elf.section(name);
            assertEquals(g.addr, o.addr, "address of " + name);
            assertArrayEquals(g.data, o.data, "bytes of " + name);
        }
        for (String sym : new String[] {"__start___ex_table", "__stop___ex_table", "__fixup_start", "_etext", "_end",
                "restore_all", "copy_from_user", "idt_table", "init_tss"}) {
            assertEquals(gnu.symbol(sym), ours.symbol(sym), sym);
        }
    }
}

package dev.fixup.asm;

import dev.fixup.testkit.HostTools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * -g on an assembly source: the line table GNU as --gdwarf-5 makes for it (one row per source line with
 * an instruction in code, macro expansions on the invocation's line, file 0 = file 1 = the source),
 * compared through readelf --debug-dump=line, for a sample and for every .S file of the repository.
 */
class SourceLinesTest {
    @TempDir Path dir;

    private static String run(Path workDir, List<String> cmd) throws Exception {
        HostTools.Result r = HostTools.run(workDir, cmd);
        assumeTrue(r.ok(), cmd + " failed: " + r.out());
        return r.out();
    }

    /** Every .S file of the repository (examples, the kernel, the corpus), named as a relative path. */
    @TestFactory
    Stream<DynamicTest> repositorySourcesUnderDashG() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String d : new String[] {"../examples", "../fixup-kernel/src/main/asm", "src/test/resources/corpus"}) {
            if (!Files.isDirectory(Path.of(d))) continue;
            try (Stream<Path> s = Files.list(Path.of(d))) {
                s.filter(p -> p.toString().endsWith(".S")).sorted().forEach(files::add);
            }
        }
        return files.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> sameLineTable(p)));
    }

    private void sameLineTable(Path source) throws Exception {
        assumeTrue(GnuAs.available(), "GNU as is not installed: skipping");
        Path cwd = Path.of("").toAbsolutePath();
        Path gnu = dir.resolve("gnu.o"), ours = dir.resolve("ours.o");
        run(cwd, List.of("as", "--32", "--gdwarf-5", "-o", gnu.toString(), source.toString()));
        Files.write(ours, ElfWriter.write(new Assembler().debugLines(true).run(source.toString(), Files.readString(source))));
        assertEquals(run(cwd, List.of("readelf", "--debug-dump=line", gnu.toString())).replace(gnu.toString(), "X"),
                run(cwd, List.of("readelf", "--debug-dump=line", ours.toString())).replace(ours.toString(), "X"), source.toString());
    }

    @Test
    void lineTableOfAnAssemblySourceIsGnuAs() throws Exception {
        assumeTrue(GnuAs.available(), "GNU as is not installed: skipping");
        String src = "\t.text\n\t.globl f\nf:\n\tmovl 4(%esp), %eax\n\n\taddl $1, %eax\n\tjmp 1f\n\t.p2align 4\n1:\tret; ret\n"
                + "\t.data\nd:\t.long 1\n\t.text\n\tnop\n";
        Path s = dir.resolve("dbg.s");
        Files.writeString(s, src);
        Path ours = dir.resolve("ours.o");
        String cwd = System.getProperty("user.dir");
        System.setProperty("user.dir", dir.toString());
        try {
            Files.write(ours, ElfWriter.write(new Assembler().debugLines(true).run("dbg.s", src)));
        } finally {
            System.setProperty("user.dir", cwd);
        }
        run(dir, List.of("as", "--32", "--gdwarf-5", "-o", "gnu.o", "dbg.s"));
        String gnuLines = run(dir, List.of("readelf", "--debug-dump=line", "gnu.o"));
        String ourLines = run(dir, List.of("readelf", "--debug-dump=line", "ours.o"));
        assertEquals(gnuLines.replace("gnu.o", "X"), ourLines.replace("ours.o", "X"));
        // the compile unit that lets tools find it: same as GNU as's but for the producer
        String gnuInfo = run(dir, List.of("readelf", "--debug-dump=info,abbrev,aranges", "gnu.o"));
        String ourInfo = run(dir, List.of("readelf", "--debug-dump=info,abbrev,aranges", "ours.o"));
        assertEquals(gnuInfo.replace("gnu.o", "X").replaceAll("GNU AS [0-9.]+", "PRODUCER").replaceAll("\\(indirect string, offset: 0x[0-9a-f]+\\): PRODUCER", "PRODUCER"),
                ourInfo.replace("ours.o", "X").replace(DwarfUnit.PRODUCER, "PRODUCER").replaceAll("\\(indirect string, offset: 0x[0-9a-f]+\\): PRODUCER", "PRODUCER"));
    }
}

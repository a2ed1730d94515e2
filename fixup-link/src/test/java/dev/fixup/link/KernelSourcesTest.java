package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.elf.ExTable;
import dev.fixup.elf.Elf;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import dev.fixup.elf.Symbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real guest kernel (fixup-kernel/src/main/asm/*.S + kernel.lds), assembled by GNU as, linked by
 * our linker and by GNU ld with the same script and the same host-call addresses: same image.
 */
class KernelSourcesTest {
    @TempDir Path dir;

    @Test
    void kernelLinksLikeGnuLd() throws Exception {
        Path asm = Path.of(System.getProperty("fixup.root", "..")).resolve("fixup-kernel/src/main/asm");
        assumeTrue(Files.isRegularFile(asm.resolve("kernel.lds")), "no kernel sources at " + asm);
        HostTools.require("as");
        HostTools.require("ld");
        List<String> objs = new ArrayList<>();
        Linker ours = new Linker();
        List<ElfFile> elves = new ArrayList<>();
        try (Stream<Path> s = Files.list(asm)) {
            for (Path src : s.filter(p -> p.toString().endsWith(".S")).sorted().toList()) {
                String name = src.getFileName().toString().replace(".S", ".o");
                HostTools.Result r = HostTools.run(dir, "as", "--32", "-o", name, src.toString());
                assumeTrue(r.exit() == 0, "GNU as rejects " + src + ": " + r.out());
                objs.add(name);
                ElfFile f = ElfReader.read(Files.readAllBytes(dir.resolve(name)));
                elves.add(f);
                ours.add(name, f);
            }
        }
        // every symbol nobody defines is a host-call service: give each an address in a reserved page
        Map<String, Integer> host = new TreeMap<>();
        List<String> defined = new ArrayList<>();
        for (ElfFile f : elves) for (Symbol s : f.symbols) if (s.isDefined() && s.bind() != Elf.STB_LOCAL) defined.add(s.name);
        for (ElfFile f : elves)
            for (Symbol s : f.symbols)
                if (!s.isDefined() && !s.name.isEmpty() && !defined.contains(s.name) && !host.containsKey(s.name))
                    host.put(s.name, 0xffc00000 + 16 * host.size());
        String script = Files.readString(asm.resolve("kernel.lds"));
        LinkResult mine = ours.script(LinkerScript.parse("kernel.lds", script)).define(host).link();
        Binutils.readelfClean(dir, mine.bytes());

        List<String> cmd = new ArrayList<>(List.of("ld", "-m", "elf_i386", "-T", asm.resolve("kernel.lds").toString(), "-o", "vmlinux.gnu"));
        host.forEach((k, v) -> cmd.add("--defsym=" + k + "=0x" + Integer.toHexString(v)));
        cmd.addAll(objs);
        HostTools.Result ld = HostTools.run(dir, cmd.toArray(String[]::new));
        assertEquals(0, ld.exit(), ld.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("vmlinux.gnu")));
        GnuLdComparisonTest.compare(gnu, ElfReader.read(mine.bytes()));
        assertTrue(ExTable.isSorted(mine.elf().section("__ex_table").data));
        assertTrue(mine.elf().section("__ex_table").size > 0);
    }
}

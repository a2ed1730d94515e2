package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.testkit.Qemu;
import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Objects from `gcc -m32 -c -O2 -fno-pic -ffreestanding` link, load and run like ld's output. */
class GccObjectTest {
    @TempDir Path dir;

    static final String C = """
        static const char msg[] = "from C\\n";
        int counter = 3;
        int zeroed[16];
        static int sys3(int n, int a, int b, int c) {
            int r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
            return r;
        }
        __attribute__((noinline)) unsigned crc(const char *p, int n) {
            unsigned h = 5381;
            for (int i = 0; i < n; i++) h = h * 33 + p[i];
            return h;
        }
        int table[4] = {1, 2, 3, 4};
        const char *names[] = {"zero", "one", "two"};
        __attribute__((weak)) int maybe(void) { return 5; }
        extern int optional_hook(void) __attribute__((weak));
        void _start(void) {
            for (int i = 0; i < 16; i++) zeroed[i] += i;
            sys3(4, 1, (int)msg, sizeof msg - 1);
            sys3(4, 1, (int)names[2], 3);
            unsigned h = crc(msg, sizeof msg - 1);
            int hook = optional_hook ? optional_hook() : 0;
            sys3(1, (h & 0x7f) + zeroed[3] + counter + table[2] + maybe() + hook, 0, 0);
        }
        """;

    private Path compile(String name, String src, String... extra) throws Exception {
        HostTools.require("gcc");
        Files.writeString(dir.resolve(name + ".c"), src);
        String[] cmd = new String[]{"gcc", "-m32", "-c", "-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector",
                "-fno-asynchronous-unwind-tables", "-o", name + ".o", name + ".c"};
        if (extra.length > 0) {
            String[] c2 = new String[cmd.length + extra.length];
            System.arraycopy(cmd, 0, c2, 0, cmd.length);
            System.arraycopy(extra, 0, c2, cmd.length, extra.length);
            cmd = c2;
        }
        HostTools.Result r = HostTools.run(dir, cmd);
        assumeCompiled(r);
        return dir.resolve(name + ".o");
    }

    private static void assumeCompiled(HostTools.Result r) {
        org.junit.jupiter.api.Assumptions.assumeTrue(r.exit() == 0, "gcc -m32 cannot compile here (multilib missing?): " + r.out());
    }

    @Test
    void gccObjectRunsLikeLdOutput() throws Exception {
        Path obj = compile("c", C);
        LinkResult ours = new Linker().add("c.o", Files.readAllBytes(obj)).link();
        Binutils.readelfClean(dir, ours.bytes());

        HostTools.require("ld");
        HostTools.Result ld = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-z", "noseparate-code", "-o", "gnu.out", "c.o");
        assertEquals(0, ld.exit(), ld.out());
        ElfFile gnu = ElfReader.read(Files.readAllBytes(dir.resolve("gnu.out")));
        GnuLdComparisonTest.compare(gnu, ElfReader.read(ours.bytes()));

        HostTools.Result mine = Qemu.run(dir, "c.exe", ours.bytes());
        HostTools.Result ref = Qemu.run(dir, "gnu.exe", Files.readAllBytes(dir.resolve("gnu.out")));
        assertEquals("from C\ntwo", mine.out());
        assertEquals(ref.out(), mine.out());
        assertEquals(ref.exit(), mine.exit());
    }

    @Test
    void gccObjectWithEhFrameAndSectionsPerFunction() throws Exception {
        // -ffunction-sections/-fdata-sections give .text.NAME, .data.NAME, .rodata.NAME; .eh_frame has PC32 relocations
        HostTools.require("gcc");
        Files.writeString(dir.resolve("d.c"), C);
        HostTools.Result r = HostTools.run(dir, "gcc", "-m32", "-c", "-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector",
                "-ffunction-sections", "-fdata-sections", "-o", "d.o", "d.c");
        assumeCompiled(r);
        LinkResult ours = new Linker().add("d.o", Files.readAllBytes(dir.resolve("d.o"))).link();
        Binutils.readelfClean(dir, ours.bytes());
        assertNotNull(ours.elf().section(".eh_frame"));
        HostTools.Result mine = Qemu.run(dir, "d.exe", ours.bytes());
        assertEquals("from C\ntwo", mine.out());
    }

    @Test
    void comdatGroupsFromGxxLinkOnce() throws Exception {
        // an inline function used in two translation units: one COMDAT copy each, ld keeps the first
        HostTools.require("g++");
        Files.writeString(dir.resolve("i.cc"), "inline int twice(int x) { return 2 * x; }\nextern \"C\" int use1(int v) { return twice(v) + 1; }\n");
        Files.writeString(dir.resolve("j.cc"), "inline int twice(int x) { return 2 * x; }\nextern \"C\" int use2(int v) { return twice(v) + 2; }\n");
        for (String n : new String[]{"i", "j"}) {
            HostTools.Result r = HostTools.run(dir, "g++", "-m32", "-c", "-O0", "-fno-pic", "-fno-exceptions",
                    "-fno-asynchronous-unwind-tables", "-o", n + ".o", n + ".cc");
            assumeCompiled(r);
        }
        byte[] start = Binutils.assemble(dir, "start", """
                .text
                .globl _start
            _start:
                pushl $5
                call use1
                movl %eax, %ebx
                pushl $7
                call use2
                addl %eax, %ebx
                movl $1, %eax
                int $0x80
                .section .note.GNU-stack,"",@progbits
            """);
        LinkResult ours = new Linker().add("start.o", start).add("i.o", Files.readAllBytes(dir.resolve("i.o")))
                .add("j.o", Files.readAllBytes(dir.resolve("j.o"))).link();
        Binutils.readelfClean(dir, ours.bytes());
        HostTools.require("ld");
        HostTools.Result ld = HostTools.run(dir, "ld", "-m", "elf_i386", "-static", "-z", "noseparate-code", "-o", "gnu.out",
                "start.o", "i.o", "j.o");
        assertEquals(0, ld.exit(), ld.out());
        GnuLdComparisonTest.compare(ElfReader.read(Files.readAllBytes(dir.resolve("gnu.out"))), ElfReader.read(ours.bytes()));
        assertEquals(11 + 16, Qemu.run(dir, "cx.exe", ours.bytes()).exit());
    }
}

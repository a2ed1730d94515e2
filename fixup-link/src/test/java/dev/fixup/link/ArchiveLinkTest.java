package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.elf.LittleEndian;
import dev.fixup.elf.ArArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Archive members join the link as GNU ld pulls them: on demand, in order, groups rescanned. */
class ArchiveLinkTest {
    @TempDir Path dir;

    private void object(String name, String source) throws Exception {
        Binutils.assemble(dir, name, source);
    }

    private ArArchive archive(String name, String... members) throws Exception {
        HostTools.require("ar");
        List<String> cmd = new ArrayList<>(List.of("ar", "rcs", name));
        for (String m : members) cmd.add(m + ".o");
        HostTools.Result r = HostTools.run(dir, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out());
        return ArArchive.read(Files.readAllBytes(dir.resolve(name)), p -> { throw new AssertionError(p); });
    }

    private byte[] bytes(String name) throws Exception { return Files.readAllBytes(dir.resolve(name + ".o")); }

    @Test void pullsOnlyTheMembersThatDefineUndefinedSymbolsInOrder() throws Exception {
        object("main", ".globl _start\n_start: call foo\n .weak maybe\n .long maybe\n");
        object("foo", ".globl foo\nfoo: call bar\n ret\n");
        object("bar", ".globl bar\nbar: ret\n");
        object("unused", ".globl unused\nunused: ret\n");
        object("maybe", ".globl maybe\nmaybe: ret\n");
        ArArchive lib = archive("lib.a", "unused", "bar", "maybe", "foo");
        LinkResult r = new Linker().add("main.o", bytes("main")).addArchive("lib.a", lib).link();
        assertNotNull(r.symbol("foo"));
        assertNotNull(r.symbol("bar"), "bar is pulled on a second scan of the index, after foo");
        assertNull(r.symbol("unused"));
        assertNull(r.symbol("maybe"), "a weak reference pulls nothing");
        assertTrue(r.symbol("foo") < r.symbol("bar"), "members are placed in the order they were pulled");
        String map = r.map();
        assertTrue(map.contains("lib.a(foo.o)\n" + " ".repeat(30) + "main.o (foo)"), map);
        assertTrue(map.contains("lib.a(bar.o)\n" + " ".repeat(30) + "lib.a(foo.o) (bar)"), map);
    }

    @Test void anArchiveBeforeTheReferenceIsNotSearchedAgainUnlessGrouped() throws Exception {
        object("main", ".globl _start\n_start: call foo\n");
        object("foo", ".globl foo\nfoo: call qux\n ret\n");
        object("qux", ".globl qux\nqux: ret\n");
        ArArchive quxLib = archive("libqux.a", "qux");
        ArArchive fooLib = archive("libfoo.a", "foo");
        LinkException e = assertThrows(LinkException.class, () -> new Linker().add("main.o", bytes("main"))
                .addArchive("libqux.a", quxLib).addArchive("libfoo.a", fooLib).link());
        assertEquals(List.of("libfoo.a(foo.o): in section .text+0x1: undefined reference to `qux'"), e.errors());
        LinkResult r = new Linker().add("main.o", bytes("main")).startGroup()
                .addArchive("libqux.a", quxLib).addArchive("libfoo.a", fooLib).endGroup().link();
        assertNotNull(r.symbol("qux"));
    }

    @Test void entryAndDashUPullMembers() throws Exception {
        object("main", ".globl _start\n_start: ret\n");
        object("go", ".globl go\ngo: ret\n");
        object("keep", ".globl keepme\nkeepme: ret\n");
        ArArchive lib = archive("lib.a", "go", "keep");
        LinkResult r = new Linker().add("main.o", bytes("main")).addArchive("lib.a", lib).entry("go").undefined("keepme").link();
        assertEquals(r.symbol("go"), Integer.toUnsignedLong(r.elf().entry));
        assertNotNull(r.symbol("keepme"));
    }

    @Test void aMissingEntrySymbolWarnsAsGnuLdDoes() throws Exception {
        object("main", ".globl _start\n_start: ret\n");
        LinkResult r = new Linker().add("main.o", bytes("main")).entry("nosuch").link();
        long text = r.elf().section(".text").addr;
        assertEquals(List.of(String.format("cannot find entry symbol nosuch; defaulting to %08x", text)), r.warnings());
        assertEquals(text, Integer.toUnsignedLong(r.elf().entry));
    }

    @Test void defsymAndSectionStartsWork() throws Exception {
        object("main", ".globl _start\n_start: movl $answer, %eax\n .data\n .long 1\n");
        LinkResult r = new Linker().add("main.o", bytes("main")).defsym("answer", "0x40 + 2")
                .sectionStart(".text", 0x10000).sectionStart(".data", 0x20000).link();
        assertEquals(0x42L, r.symbol("answer"));
        assertEquals(0x10000, r.elf().section(".text").addr);
        assertEquals(0x20000, r.elf().section(".data").addr);
        assertEquals(0x42, LittleEndian.get32(r.elf().section(".text").data, 1));
    }
}

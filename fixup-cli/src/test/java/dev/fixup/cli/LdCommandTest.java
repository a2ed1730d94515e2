package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfReader;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fixup ld` with GNU ld's command line, and bad inputs getting one clear line. */
class LdCommandTest {
    @TempDir Path dir;

    private Path object() {
        Path src = dir.resolve("t.S"), obj = dir.resolve("t.o");
        try {
            Files.writeString(src, ".globl _start\n_start: movl $1, %eax\n int $0x80\n .data\nx: .long 1\n");
        } catch (java.io.IOException e) { throw new AssertionError(e); }
        String[] r = ObjdumpTest.fixup("as", src.toString(), "-o", obj.toString());
        assertEquals("0", r[0], r[2]);
        return obj;
    }

    private String[] ld(String... args) { String[] a = new String[args.length + 1]; a[0] = "ld"; System.arraycopy(args, 0, a, 1, args.length); return ObjdumpTest.fixup(a); }

    private ElfFile read(Path p) throws Exception { return ElfReader.read(Files.readAllBytes(p)); }

    @Test void takesWhatCollect2PassesForAStaticLink() throws Exception {
        Path out = dir.resolve("a.out");
        String[] r = ld("-plugin", "/usr/lib/gcc/liblto_plugin.so", "-plugin-opt=/usr/lib/gcc/lto-wrapper",
                "-plugin-opt=-fresolution=/tmp/x.res", "-plugin-opt=-pass-through=-lgcc", "--build-id", "-m", "elf_i386",
                "--hash-style=gnu", "--as-needed", "-static", "-z", "noexecstack", "--eh-frame-hdr", "-L" + dir, "-L", dir.toString(),
                "-o", out.toString(), object().toString(), "--start-group", "--end-group", "-(", "-)", "--no-as-needed");
        assertEquals("0", r[0], r[2]);
        assertEquals("", r[2]);
        assertTrue(read(out).symbol("_start") != null);
    }

    @Test void textDataAndBssAddressesFromTheCommandLine() throws Exception {
        Path out = dir.resolve("a.out");
        String[] r = ld("-Ttext=0x10000", "-Tdata", "0x20000", "--section-start=.bss=0x30000", object().toString(), "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        ElfFile f = read(out);
        assertEquals(0x10000, f.section(".text").addr);
        assertEquals(0x20000, f.section(".data").addr);
    }

    @Test void textSegmentMovesTheDefaultLayoutAsGnuLdDoes() throws Exception {
        Path out = dir.resolve("a.out");
        String[] r = ld("-Ttext-segment=0x400000", object().toString(), "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        ElfFile f = read(out);
        assertEquals(0x400000, f.segments.get(0).vaddr);
        assertEquals(0x400000, f.section(".text").addr & ~0xfff);
    }

    @Test void defsymMapAndEntry() throws Exception {
        Path out = dir.resolve("a.out"), map = dir.resolve("a.map");
        String[] r = ld("--defsym", "answer=0x2a", "--defsym=twice=answer*2", "-Map", map.toString(), "-e", "nosuch",
                object().toString(), "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        ElfFile f = read(out);
        assertEquals(String.format("fixup ld: warning: cannot find entry symbol nosuch; defaulting to %08x%n", f.section(".text").addr), r[2]);
        assertEquals(0x54, f.symbol("twice").value);
        assertTrue(Files.readString(map).contains(".text"), Files.readString(map));
    }

    @Test void partialLinkWritesARelocatableObject() throws Exception {
        Path r = dir.resolve("r.o"), out = dir.resolve("a.out");
        String[] res = ld("-r", object().toString(), "-o", r.toString());
        assertEquals("0", res[0], res[2]);
        assertEquals(dev.fixup.elf.Elf.ET_REL, read(r).type);
        res = ld(r.toString(), "-o", out.toString());
        assertEquals("0", res[0], res[2]);
        assertEquals(dev.fixup.elf.Elf.ET_EXEC, read(out).type);
    }

    @Test void unknownOptionsAndMissingLibrariesAreGnuLdsErrors() {
        String[] r = ld("--frobnicate", "x.o");
        assertEquals("1", r[0]);
        assertEquals("fixup ld: unrecognized option '--frobnicate'\nfixup ld: use the --help option for usage information\n", r[2].replace("\r", ""));
        r = ld("-L" + dir, "-lnosuch", object().toString());
        assertEquals("1", r[0]);
        assertEquals("fixup ld: cannot find -lnosuch: No such file or directory\n", r[2]);
        r = ld(dir.resolve("missing.o").toString());
        assertEquals("fixup ld: cannot find " + dir.resolve("missing.o") + ": No such file or directory\n", r[2]);
        r = ld("-m", "elf_x86_64", object().toString());
        assertTrue(r[2].startsWith("fixup ld: unrecognised emulation mode: elf_x86_64"), r[2]);
    }

    @Test void specialAndHugeFilesGetOneLine() throws Exception {
        String[] r = ld("/dev/zero");
        assertEquals("1", r[0]);
        assertEquals("fixup ld: /dev/zero: file not recognized: file format not recognized\n", r[2]);
        r = ld("-T", "/dev/zero", object().toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("fixup ld: /dev/zero: file too big"), r[2]);

        Path huge = dir.resolve("huge.o");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.write(new byte[]{0x7f, 'E', 'L', 'F', 1, 1, 1, 0});
            f.setLength(4L << 30); // sparse: 4 GB that take no disk
        }
        r = ld(huge.toString());
        assertEquals("1", r[0]);
        assertEquals("fixup ld: " + huge + ": file too big for a 32-bit link (more than 256 MB)\n", r[2]);

        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        Thread writer = new Thread(() -> {
            try (var o = Files.newOutputStream(fifo)) { o.write("not an object at all".getBytes()); } catch (Exception ignored) { }
        });
        writer.start();
        r = ld(fifo.toString());
        writer.join(10_000);
        assertEquals("fixup ld: " + fifo + ": file not recognized: file format not recognized\n", r[2]);
    }
}

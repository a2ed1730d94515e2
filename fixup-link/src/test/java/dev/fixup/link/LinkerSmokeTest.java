package dev.fixup.link;

import dev.fixup.testkit.HostTools;
import dev.fixup.testkit.Binutils;
import dev.fixup.testkit.Qemu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LinkerSmokeTest {
    @TempDir Path dir;

    static final String HELLO = """
            .text
            .globl _start
        _start:
            movl $4, %eax
            movl $1, %ebx
            movl $msg, %ecx
            movl $len, %edx
            int $0x80
            movl $1, %eax
            movl counter, %ebx
            addl $42, %ebx
            int $0x80
            .data
        msg: .ascii "hello, world\\n"
            .set len, . - msg
            .globl counter
        counter: .long 0
            .bss
            .comm scratch, 100, 4
        """;

    @Test
    void helloWorldRunsUnderQemu() throws Exception {
        LinkResult r = new Linker().add("hello.o", dev.fixup.elf.ElfReader.read(Binutils.assemble(dir, "hello", HELLO))).link();
        Binutils.readelfClean(dir, r.bytes());
        HostTools.Result run = Qemu.run(dir, "hello", r.bytes());
        assertEquals("hello, world\n", run.out());
        assertEquals(42, run.exit());
    }
}

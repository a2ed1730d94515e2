package dev.fixup.kernel.syscall;

import dev.fixup.kernel.Tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checked-in syscall name table is the installed kernel headers' asm/unistd_32.h, number for number. */
class SyscallNamesTest {
    @Test
    void tableMatchesTheKernelHeaders() throws Exception {
        Path h = Path.of("/usr/include/asm/unistd_32.h");
        if (!Files.exists(h)) h = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_32.h");
        assumeTrue(Files.exists(h), "asm/unistd_32.h (linux-libc-dev) is not installed: skipping");
        Map<Integer, String> header = new TreeMap<>();
        Matcher m = Pattern.compile("#define __NR_(\\w+)\\s+(\\d+)").matcher(Files.readString(h));
        while (m.find()) header.put(Integer.parseInt(m.group(2)), m.group(1));
        int max = header.keySet().stream().max(Integer::compare).orElse(0);
        assertTrue(SyscallNames.NAMES.length >= max + 1, "the header knows calls up to " + max);
        for (int nr = 0; nr < SyscallNames.NAMES.length; nr++) {
            assertEquals(header.getOrDefault(nr, ""), SyscallNames.NAMES[nr], "syscall " + nr);
        }
    }

    @Test
    void aCallFixupLacksIsNamedInTraces() throws Exception {
        Tools.Run r = Tools.run(Tools.program("\t.text\n\t.globl _start\n_start:\n"
                + "\tmovl $386, %eax\n\tint $0x80\n\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n"), false);
        assertTrue(r.trace().contains("syscall: rseq(0x00000000, 0x00000000, 0x00000000) = -38"), r.trace());
    }
}

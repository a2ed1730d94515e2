package dev.fixup.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A packaging step: runs each command the way a short user run does (as, ld, objdump, run, the
 * version and help texts) in one JVM, started with -XX:DumpLoadedClassList, so that the list holds
 * every class (and lambda) those runs load, the block translator and its bytecode library
 * included (the program loops long enough to be translated). The next step dumps the listed
 * classes into a static class-data-sharing archive that the launcher maps, which saves parsing,
 * verifying and linking them on every start.
 * Usage: ArchiveTraining (output discarded; a step that fails is reported, the list is still written).
 */
public final class ArchiveTraining {
    private ArchiveTraining() {}

    static final String PROGRAM = String.join("\n",
            "    .globl _start",
            "    .text",
            "_start:",
            "    movl $1000, %ecx",                 // a loop long enough to be translated to bytecode
            "1:  incl counter",
            "    decl %ecx",
            "    jnz 1b",
            "    movl $4, %eax",
            "    movl $1, %ebx",
            "    movl $msg, %ecx",
            "    movl $3, %edx",
            "    int $0x80",
            "    incl counter",
            "    movl $1, %eax",
            "    xorl %ebx, %ebx",
            "    int $0x80",
            "    .data",
            "msg: .ascii \"hi\\n\"",
            "    .bss",
            "counter: .long 0",
            "");

    public static void main(String[] args) throws IOException {
        PrintStream realErr = System.err;
        for (String f : train()) realErr.println("ArchiveTraining: fixup " + f + " failed; its classes may be missing from the archive");
    }

    /** Runs every step with the standard streams discarded; the steps that failed, with their status. */
    static List<String> train() throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("fixup-cds");
        PrintStream realOut = System.out, realErr = System.err;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> failed = new ArrayList<>();
        try {
            Path src = dir.resolve("hello.S"), obj = dir.resolve("hello.o"), exe = dir.resolve("hello");
            java.nio.file.Files.writeString(src, PROGRAM);
            System.setOut(quiet);
            System.setErr(quiet);
            String[][] steps = {
                {"--version"},
                {"as", "--32", "-o", obj.toString(), src.toString()},
                {"ld", "-o", exe.toString(), obj.toString()},
                {"objdump", "-d", "-r", "-h", "-t", exe.toString()},
                {"objdump", "--extable", exe.toString()},
                {"run", exe.toString()},
                {"run", src.toString()},
                {"run", "--translate", "1", exe.toString()}, // the translator and ASM, which any longer run loads
                {"--help"},
            };
            for (String[] step : steps) {
                int status = Main.execute(step);
                if (status != 0) failed.add(String.join(" ", step) + " (status " + status + ")");
            }
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
            try (var s = java.nio.file.Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
            }
        }
        return failed;
    }
}

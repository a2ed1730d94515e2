package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fixup run: what follows PROGRAM is the program's, byte for byte; -E, -U and -0 shape what it gets. */
class RunArgumentsTest {
    /** Prints each argv string on its own line, then each envp string after an "@@" line. */
    static final String PRINT_ARGS = String.join("\n",
            ".globl _start", "_start:",
            "  mov (%esp), %esi", "  lea 4(%esp), %edi", "  call strings",
            "  mov $sep, %ecx", "  mov $3, %edx", "  mov $4, %eax", "  mov $1, %ebx", "  int $0x80",
            "  add $4, %edi", "  mov $1000, %esi", "  call strings",
            "  mov $1, %eax", "  xor %ebx, %ebx", "  int $0x80",
            "strings:",                                   // esi = how many at most, edi = the array; stops at NULL
            "1:", "  test %esi, %esi", "  jz 9f", "  mov (%edi), %ecx", "  test %ecx, %ecx", "  jz 9f",
            "  mov %ecx, %edx",
            "2:", "  cmpb $0, (%edx)", "  je 3f", "  inc %edx", "  jmp 2b",
            "3:", "  sub %ecx, %edx", "  mov $4, %eax", "  mov $1, %ebx", "  int $0x80",
            "  mov $nl, %ecx", "  mov $1, %edx", "  mov $4, %eax", "  mov $1, %ebx", "  int $0x80",
            "  add $4, %edi", "  dec %esi", "  jmp 1b",
            "9:", "  ret",
            ".data", "nl: .byte 10", "sep: .ascii \"@@\\n\"", "");

    private record Out(int status, String stdout, String stderr) {}

    /** Runs `fixup ARGS` in its own JVM, as a user does: the guest writes to that process's descriptor 1. */
    private static Out run(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
        return new Out(p.exitValue(), out, err.get());
    }

    private static Path program(Path dir) throws Exception {
        Path p = dir.resolve("args.S");
        Files.writeString(p, PRINT_ARGS);
        return p;
    }

    /** The argv lines: everything before the "@@" line (each string ends with a newline, empty ones included). */
    private static List<String> argv(Out o) {
        String head = o.stdout().substring(0, o.stdout().indexOf("@@\n"));
        List<String> lines = List.of(head.split("\n", -1));
        return lines.subList(0, lines.size() - 1);
    }

    private static List<String> envp(Out o) {
        String s = o.stdout().substring(o.stdout().indexOf("@@\n") + 3);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test void everythingAfterProgramIsTheProgramsOwn(@TempDir Path dir) throws Exception {
        Path prog = program(dir);
        Path notWritten = dir.resolve("trace-file");
        Out o = run("run", prog.toString(), "-a", "-D", notWritten.toString(), "--", "", "-E", "X=1", "--root", "/x", "é");
        assertEquals(0, o.status(), o.stderr());
        assertEquals(List.of(prog.toString(), "-a", "-D", notWritten.toString(), "--", "", "-E", "X=1", "--root", "/x", "é"), argv(o));
        assertFalse(Files.exists(notWritten), "-D after PROGRAM must not write a host file");
    }

    @Test void optionsBeforeProgramStillWork(@TempDir Path dir) throws Exception {
        Path prog = program(dir);
        Path trace = dir.resolve("trace");
        Out o = run("run", "-d", "sys", "-D", trace.toString(), "-0", "zero", "-E", "FIXUP_A=1", "-U", "PATH",
                prog.toString(), "one");
        assertEquals(0, o.status(), o.stderr());
        assertEquals(List.of("zero", "one"), argv(o));
        List<String> env = envp(o);
        assertEquals(1, env.stream().filter(e -> e.equals("FIXUP_A=1")).count(), env.toString());
        assertFalse(env.stream().anyMatch(e -> e.startsWith("PATH=")), env.toString());
        assertFalse(Files.readString(trace).isEmpty(), "the trace went to the -D file given before PROGRAM");
    }

    @Test void environmentIsTheHostsWithSetsAndUnsetsInPlace() {
        List<String> host = List.of("A=1", "B=2", "C=3");
        assertArrayEquals(new String[] {"A=1", "B=two", "D=4"}, RunCommand.environment(host, List.of("B=two", "D=4"), List.of("C")));
        assertArrayEquals(new String[] {"A=1", "B=2", "C=3", "E="}, RunCommand.environment(host, List.of("E="), List.of("Z")));
        assertThrows(ToolException.class, () -> RunCommand.environment(host, List.of("novalue"), List.of()));
        assertThrows(ToolException.class, () -> RunCommand.environment(host, List.of("=x"), List.of()));
        assertThrows(ToolException.class, () -> RunCommand.environment(host, List.of(), List.of("A=1")));
    }

    @Test void theDefaultEnvironmentIsCopiedFromTheHost(@TempDir Path dir) throws Exception {
        Out o = run("run", program(dir).toString());
        // The child JVM inherits this one's variables (ProcessBuilder may reorder them).
        assertEquals(new java.util.TreeSet<>(RunCommand.hostEnvironment()), new java.util.TreeSet<>(envp(o)));
    }

    @Test void ramTakesSizesAndRefusesNonsenseInOneLine() {
        assertEquals(64 << 20, RunCommand.ramBytes("64"));
        assertEquals(64 << 20, RunCommand.ramBytes("64M"));
        assertEquals(8 << 20, RunCommand.ramBytes("8192k"));
        assertEquals(896 << 20, RunCommand.ramBytes("896m"));
        for (String bad : List.of("2048", "4097", "1G", "-1", "0", "3", "1.5G", "", "64MB", "99999999999999999999", "4097k")) {
            ToolException e = assertThrows(ToolException.class, () -> RunCommand.ramBytes(bad), bad);
            assertTrue(e.getMessage().startsWith("--ram: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test void ramTheHeapCannotHoldIsRefusedBeforeTheRunAndTheDefaultFitsTheHeap() {
        assertEquals(512 << 20, RunCommand.fitsHeap("512M", 512 << 20, 768L << 20));
        ToolException e = assertThrows(ToolException.class, () -> RunCommand.fitsHeap("896M", 896 << 20, 768L << 20));
        assertEquals("--ram: 896M is more than the 768M of guest RAM this Java heap can hold (give the JVM more, e.g. JAVA_TOOL_OPTIONS=-Xmx2g)", e.getMessage());
        long room = dev.fixup.kernel.KernelConfig.heapRoomForRam();
        int def = dev.fixup.kernel.KernelConfig.defaultRamBytes();
        assertEquals(Math.min(896L << 20, room), def, "all the kernel maps, or what the heap holds");
        assertTrue(room < Runtime.getRuntime().maxMemory(), "a reserve is kept for the JVM's own objects");
    }
}

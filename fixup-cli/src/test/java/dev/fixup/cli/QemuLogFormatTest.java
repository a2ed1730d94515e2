package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixup run -d in_asm,exec,cpu,page} and {@code -d strace} against qemu-i386 7.x on the same
 * binary. Fixup's log also shows the kernel's blocks (qemu-user has no kernel); the user blocks
 * must be qemu's: the same blocks, instruction addresses and bytes, the same Trace order, the same
 * registers at each block's start, dump lines of the same shape; the program's own mappings in
 * the page dump; and the strace lines equal once each mmap2 address is named by its order.
 */
class QemuLogFormatTest {
    private static final String PROGRAM = """
            	.globl _start
            _start:
            	movl $4, %eax
            	movl $1, %ebx
            	movl $msg, %ecx
            	movl $14, %edx
            	int $0x80
            	movl $3, %ecx
            1:	decl %ecx
            	jnz 1b
            	movl $122, %eax
            	xorl %ebx, %ebx
            	int $0x80
            	movl $1, %eax
            	movl $3, %ebx
            	int $0x80
            	.data
            msg: .ascii "Hello, world!\\n"
            """;
    private static final Pattern TRACE = Pattern.compile("Trace 0: 0x[0-9a-f]+ \\[([0-9a-f]{8})/([0-9a-f]{8})/[0-9a-f]{8}/[0-9a-f]{8}\\] ?.*");

    @Test
    void userBlocksRegistersAndPagesReadAsQemuLogsThem(@TempDir Path dir) throws Exception {
        Oracle.require("qemu-i386");
        Path source = dir.resolve("hello.S");
        Files.writeString(source, PROGRAM);
        Path exe = dir.resolve("hello");
        Files.write(exe, RunCommand.loadProgram(source));
        assertTrue(exe.toFile().setExecutable(true));
        Path qemuLog = dir.resolve("qemu.log"), ourLog = dir.resolve("ours.log");
        Oracle.Result q = Oracle.run(List.of("qemu-i386", "-d", "in_asm,exec,cpu,page,nochain", "-D", qemuLog.toString(), exe.toString()), dir);
        assertEquals(3, q.status());
        assertEquals(3, Main.execute("run", "-d", "in_asm,exec,cpu,page", "-D", ourLog.toString(), exe.toString()));
        List<String> qemu = Files.readAllLines(qemuLog), ours = Files.readAllLines(ourLog);

        Map<String, List<String>> qemuBlocks = blocks(qemu), ourBlocks = blocks(ours);
        assertFalse(qemuBlocks.isEmpty());
        for (Map.Entry<String, List<String>> b : qemuBlocks.entrySet()) {
            List<String> mine = ourBlocks.get(b.getKey());
            assertTrue(mine != null, "no IN: block at " + b.getKey() + " in " + ourBlocks.keySet());
            assertEquals(columns(b.getValue()), columns(mine), "block " + b.getKey());
            for (String line : mine) assertTrue(line.matches("0x[0-9a-f]{8}:  ([0-9a-f]{2} ){1,8}\\s+\\S+( +\\S.*)?"), line);
        }

        List<String[]> qemuTraces = traces(qemu, false), ourTraces = traces(ours, true);
        assertEquals(qemuTraces.stream().map(t -> t[0]).toList(), ourTraces.stream().map(t -> t[0]).toList(), "user blocks in execution order");
        for (int i = 0; i < qemuTraces.size(); i++) {
            String[] a = qemuTraces.get(i), b = ourTraces.get(i);
            assertEquals(a[1], b[1], "EAX..EDX before block " + a[0]);
            assertEquals(a[2], b[2], "EIP, EFLAGS, CPL before block " + a[0]);
            assertEquals(shape(a[3]), shape(b[3]), "the dump's lines and their shape");
        }

        List<String> qemuPages = binaryLoad(qemu), ourPages = binaryLoad(ours);
        List<String> program = qemuPages.stream().filter(l -> l.startsWith("0804")).toList();
        assertFalse(program.isEmpty(), qemuPages.toString());
        assertTrue(ourPages.containsAll(program), "our page dump " + ourPages + " has the program's " + program);
        assertTrue(ours.contains("start    end      size     prot"));
        assertTrue(ours.contains(qemu.stream().filter(l -> l.startsWith("entry ")).findFirst().orElseThrow()), "entry line as qemu's");
    }

    @Test
    void straceLinesAreQemuUsersForTheEfaultExample(@TempDir Path dir) throws Exception {
        Oracle.require("qemu-i386");
        Path exe = dir.resolve("efault");
        Files.write(exe, RunCommand.loadProgram(Examples.example("efault.S")));
        assertTrue(exe.toFile().setExecutable(true));
        Oracle.Result q = Oracle.run(List.of("qemu-i386", "-strace", exe.toString()), dir);
        Path ourLog = dir.resolve("ours.strace");
        int status = Main.execute("run", "-strace", "-D", ourLog.toString(), exe.toString());
        assertEquals(q.status(), status);
        List<String> qemu = normalize(q.stderr().lines().toList()), ours = normalize(Files.readAllLines(ourLog));
        assertTrue(qemu.size() > 40, qemu.toString());
        assertTrue(qemu.contains("PID write(1,0,5) = -1 errno=14 (Bad address)"), qemu.toString());
        assertEquals(qemu, ours);
    }

    /** Start address -> the block's instruction lines. */
    private static Map<String, List<String>> blocks(List<String> log) {
        Map<String, List<String>> r = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (!log.get(i).startsWith("IN:")) continue;
            List<String> lines = new ArrayList<>();
            for (int j = i + 1; j < log.size() && log.get(j).startsWith("0x"); j++) lines.add(log.get(j));
            if (!lines.isEmpty() && lines.get(0).startsWith("0x0")) r.putIfAbsent(lines.get(0).substring(0, 10), lines);
        }
        return r;
    }

    /** The address and instruction-byte columns (the text differs: objdump's syntax against Capstone's). */
    private static List<String> columns(List<String> lines) {
        return lines.stream().map(l -> l.substring(0, Math.min(38, l.length())).stripTrailing()).toList();
    }

    /** For each user block's Trace line: pc, the EAX line, the EIP line (up to CPL), and the whole dump. */
    private static List<String[]> traces(List<String> log, boolean userOnly) {
        List<String[]> r = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            Matcher m = TRACE.matcher(log.get(i));
            if (!m.matches()) continue;
            if (userOnly && Long.parseLong(m.group(2), 16) >= 0xc0000000L) continue;
            int end = i + 1;
            while (end < log.size() && !log.get(end).startsWith("EFER=")) end++;
            String eip = log.get(i + 3);
            r.add(new String[] {m.group(2), log.get(i + 1), eip.substring(0, eip.indexOf(" II=")), String.join("\n", log.subList(i + 1, end + 1))});
        }
        return r;
    }

    /** Each dump line's name and, for the lines whose fields Fixup has as qemu-user does, its shape. */
    private static List<String> shape(String dump) {
        List<String> r = new ArrayList<>();
        for (String line : dump.split("\n")) {
            String key = line.substring(0, line.indexOf('='));
            boolean fields = !key.startsWith("FS") && !key.startsWith("GS") && !key.startsWith("LDT") && !key.startsWith("TR");
            // qemu's lazy condition codes name the last flag-setting operation (CCO=DECL); Fixup's are always folded (CCO=EFLAGS)
            r.add(fields ? line.replaceAll("CCO=[A-Z]+", "CCO=OP").replaceAll("[0-9a-f]", "h") : key);
        }
        return r;
    }

    /** The mapping lines of the dump after the binary's load. */
    private static List<String> binaryLoad(List<String> log) {
        int at = log.indexOf("page layout changed following binary load");
        List<String> r = new ArrayList<>();
        for (int i = at + 2; at >= 0 && i < log.size() && log.get(i).matches("[0-9a-f]{8}-.*"); i++) r.add(log.get(i));
        return r;
    }

    /** PID for the pid, MMAPn for the n-th address mmap2 returned. */
    private static List<String> normalize(List<String> lines) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> r = new ArrayList<>();
        for (String line : lines) {
            line = line.replaceFirst("^\\d+ ", "PID ");
            Matcher m = Pattern.compile("^PID mmap2\\(.*\\) = 0x([0-9a-f]{8})$").matcher(line);
            if (m.matches()) names.putIfAbsent(Long.toHexString(Long.parseLong(m.group(1), 16)), "MMAP" + names.size());
            for (Map.Entry<String, String> e : names.entrySet()) {
                line = line.replace("0x" + e.getKey(), e.getValue()).replace("0x" + String.format("%8s", e.getKey()).replace(' ', '0'), e.getValue());
            }
            r.add(line);
        }
        return r;
    }
}

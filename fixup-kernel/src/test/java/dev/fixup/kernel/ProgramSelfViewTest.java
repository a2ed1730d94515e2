package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a program learns about itself, compared with native execution: AT_HWCAP is CPUID leaf 1's
 * edx of the CPU it runs on, /proc/self/cmdline is the argument strings as they are in its memory
 * now, lseek on /dev/null and friends lands at 0, and argument bytes that are not UTF-8 arrive as given.
 */
class ProgramSelfViewTest {
    private static final byte[][] ARGS = {"ab".getBytes(StandardCharsets.US_ASCII), {(byte) 0xff, (byte) 0xfe, 'x'},
        "c d".getBytes(StandardCharsets.US_ASCII), {(byte) 0xc3, (byte) 0xa9}};

    @Test
    void sameAsNative() throws Exception {
        Path exe = GuestC.buildGlibc("gaps", "-static");
        List<byte[]> argv = new ArrayList<>();
        argv.add(exe.toString().getBytes(StandardCharsets.UTF_8));
        argv.addAll(List.of(ARGS));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Kernel.boot(GuestC.config(out), Tools.kernel()).exec(Files.readAllBytes(exe), argv, List.of());
        String fixup = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, fixup);
        assertTrue(fixup.contains("hwcap == cpuid(1).edx\n"), fixup);
        assertTrue(fixup.contains("cmdline rest: 58 62 00 ff fe 78 00 63 20 64 00 c3 a9 00\n"), fixup);
        assertTrue(fixup.contains("lseek /dev/null: 0 0 0\n"), fixup);
        assertTrue(fixup.contains("arg: ff fe 78\n"), fixup);

        // natively, through bash so that the bytes reach execve unchanged
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$0\" ab $'\\xff\\xfex' 'c d' $'\\xc3\\xa9'", exe.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String nat = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals(nat, fixup);
    }
}

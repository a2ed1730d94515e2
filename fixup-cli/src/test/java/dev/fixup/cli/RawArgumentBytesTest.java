package dev.fixup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not valid in the JVM's charset (sun.jnu.encoding decodes them to U+FFFD or '?')
 * reach the guest's argv and environment unchanged: Fixup takes them from /proc/self/cmdline and
 * /proc/self/environ. bash's $'\xNN' puts the raw bytes on Fixup's command line, in the C locale
 * and in a UTF-8 one; -0 and -E values typed before PROGRAM keep their bytes too.
 */
class RawArgumentBytesTest {
    private static byte[] run(Path dir, String locale) throws Exception {
        Path prog = dir.resolve("args.S");
        Files.writeString(prog, RunArgumentsTest.PRINT_ARGS);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "exec env -i LC_ALL=" + locale + " $'FIXUP_RAW=\\xff\\xfe=\\xc3\\xa9' '" + java + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName()
                + " run -E FIXUP_SET=é -0 $'z\\xff' '" + prog + "' $'a\\xffb' $'\\xc3\\x28' ok";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue());
        return out;
    }

    private static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Test void argumentAndEnvironmentBytesPassUnchanged(@TempDir Path dir) throws Exception {
        for (String locale : List.of("C", "C.UTF-8")) {
            byte[] out = run(dir, locale);
            byte[] expected = concat(bytes('z', 0xff, '\n', 'a', 0xff, 'b', '\n', 0xc3, 0x28, '\n', 'o', 'k', '\n', '@', '@', '\n'),
                    ("LC_ALL=" + locale + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "FIXUP_RAW=".getBytes(java.nio.charset.StandardCharsets.US_ASCII), bytes(0xff, 0xfe, '=', 0xc3, 0xa9, '\n'),
                    "FIXUP_SET=".getBytes(java.nio.charset.StandardCharsets.US_ASCII), bytes(0xc3, 0xa9, '\n'));
            assertArrayEquals(expected, out, locale + ": " + new String(out, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}

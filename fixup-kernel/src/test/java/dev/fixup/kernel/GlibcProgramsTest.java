package dev.fixup.kernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * glibc static programs built by gcc -m32 run as they do natively: thread-local storage through
 * set_thread_area and %gs, fork/exec/pipe, signals; stripped, and as a static PIE; a dynamically
 * linked one is refused with the name of the interpreter it needs.
 */
class GlibcProgramsTest {
    private static void sameAsNative(Path exe) throws Exception {
        GuestC.Result nat = GuestC.host(null, exe);
        GuestC.Result fix = GuestC.fixup(exe);
        assertEquals(nat.stdout(), fix.stdout(), exe + ": stdout differs from native");
        assertEquals(nat.status(), fix.status(), exe + ": exit status differs from native");
        assertTrue(fix.stdout().contains("child got \"hello through a pipe\", FIXUP_TEST=yes\n"), fix.stdout());
    }

    @Test
    void staticProgramRunsAsNatively() throws Exception {
        sameAsNative(GuestC.buildGlibc("basics", "-static"));
    }

    @Test
    void strippedProgramRunsFromProgramHeadersAlone() throws Exception {
        Path exe = GuestC.buildGlibc("basics", "-static -s");
        sameAsNative(exe);
    }

    @Test
    void staticPieRunsAsNatively() throws Exception {
        sameAsNative(GuestC.buildGlibc("basics", "-static-pie"));
    }

    @Test
    void posixSpawnSharesMemoryWithItsVforkChild() throws Exception {
        Path exe = GuestC.buildGlibc("spawn", "-static");
        GuestC.Result nat = GuestC.host(null, exe), fix = GuestC.fixup(exe);
        assertEquals(nat, fix);
        assertEquals("spawned child: hello ppid-ok=1\nposix_spawn=0 status=9\nposix_spawn missing=2 (No such file or directory)\n",
                fix.stdout());
    }

    @Test
    void dynamicProgramIsRefusedNamingItsInterpreter() throws Exception {
        Path exe = GuestC.buildGlibc("basics", "-no-pie");
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> Kernel.run(GuestC.config(new ByteArrayOutputStream()), Tools.kernel(), Files.readAllBytes(exe),
                        new String[] {exe.toString()}, new String[0]));
        assertEquals("dynamically linked: it needs the program interpreter /lib/ld-linux.so.2, and Fixup runs static programs only",
                e.getMessage());
    }
}

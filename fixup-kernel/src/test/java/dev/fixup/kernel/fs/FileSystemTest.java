package dev.fixup.kernel.fs;

import dev.fixup.kernel.GuestC;
import dev.fixup.kernel.Kernel;
import dev.fixup.kernel.KernelConfig;
import dev.fixup.kernel.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path-name system calls and the guest file system, by glibc programs of examples/fs built
 * with gcc -m32 -static and run on Fixup and natively: the stat family, directories, links,
 * renames, /dev and /proc/self (fsops.c, procdev.c); and the escape attempts of jail.c inside a
 * --root, against Linux's chroot when this host lets us chroot, and against the checked-in
 * jail.expected always.
 */
class FileSystemTest {
    @TempDir static Path build;

    static Path compile(String name) throws Exception {
        Path exe = build.resolve(name);
        if (Files.exists(exe)) return exe;
        Path src = Tools.root().resolve("examples/fs/" + name + ".c").toAbsolutePath().normalize();
        try {
            exec(List.of("gcc", "-m32", "-static", "-O1", "-o", exe.toString(), src.toString()));
        } catch (IOException e) {
            Assumptions.abort("gcc -m32 -static (glibc) cannot build examples/fs/" + name + ".c here: skipping\n" + e.getMessage());
        }
        return exe;
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    private static GuestC.Result fixup(Path exe, Path root, String... args) throws Exception {
        return fixup(KernelConfig.UaccessMode.EXTABLE, exe, root, args);
    }

    private static GuestC.Result fixup(KernelConfig.UaccessMode mode, Path exe, Path root, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelConfig c = GuestC.config(out);
        c.uaccess = mode;
        c.root = root;
        c.programPath = exe.toString();
        String[] argv = GuestC.argv(root == null ? exe : Path.of("/prog"), args);
        int st = Kernel.run(c, Tools.kernel(), Files.readAllBytes(exe), argv, new String[] {"PATH=/bin"});
        return new GuestC.Result(st, out.toString(StandardCharsets.UTF_8));
    }

    @Test void pathCallsAnswerAsNative(@TempDir Path nativeDir, @TempDir Path fixupDir) throws Exception {
        Path exe = compile("fsops");
        GuestC.Result n = GuestC.host(null, exe, nativeDir.toString());
        GuestC.Result f = fixup(exe, null, fixupDir.toString());
        assertEquals(n.stdout(), f.stdout());
        assertEquals(n.status(), f.status());
        assertEquals(tree(nativeDir), tree(fixupDir), "the same files are left behind");
    }

    /** The same calls under --uaccess=verify, the seed's older design: the same answers, EFAULTs included. */
    @Test void pathCallsAnswerAsNativeUnderVerify(@TempDir Path nativeDir, @TempDir Path fixupDir) throws Exception {
        Path exe = compile("fsops");
        GuestC.Result n = GuestC.host(null, exe, nativeDir.toString());
        GuestC.Result f = fixup(KernelConfig.UaccessMode.VERIFY, exe, null, fixupDir.toString());
        assertEquals(n.stdout(), f.stdout());
    }

    @Test void devicesAndProcSelfAnswerAsNative(@TempDir Path nativeDir, @TempDir Path fixupDir) throws Exception {
        Path exe = compile("procdev");
        GuestC.Result n = GuestC.host(null, exe, nativeDir.toString());
        GuestC.Result f = fixup(exe, null, fixupDir.toString());
        assertEquals(n.stdout().replace(nativeDir.toString(), "DIR"), f.stdout().replace(fixupDir.toString(), "DIR"));
        assertEquals(n.status(), f.status());
    }

    private static Set<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + (Files.isSymbolicLink(p) ? "@" : Files.isDirectory(p) ? "/" : ""))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    /** Makes base/jail as examples/fs/jail.sh does, with base/secret beside it: the file that must stay unread. */
    private static Path jail(Path base, Path exe) throws Exception {
        exec(List.of("sh", Tools.root().resolve("examples/fs/jail.sh").toAbsolutePath().toString(), base.toString(), exe.toString()));
        return base.resolve("jail");
    }

    @Test void noEscapeFromTheRoot(@TempDir Path base) throws Exception {
        Path exe = compile("jail");
        Path root = jail(base, exe);
        GuestC.Result f = fixup(exe, root);
        assertEquals(0, f.status(), f.stdout());
        assertFalse(f.stdout().contains("SECRET"), f.stdout());
        assertEquals(Files.readString(Tools.root().resolve("examples/fs/jail.expected")), f.stdout());
        try (Stream<Path> s = Files.list(base)) {
            assertEquals(Set.of("jail", "secret"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "nothing was made or moved beside the root");
        }
        assertEquals("SECRET host file\n", Files.readString(base.resolve("secret")));
    }

    @Test void noEscapeFromTheRootAsLinuxChroot(@TempDir Path nativeBase, @TempDir Path fixupBase) throws Exception {
        Path exe = compile("jail");
        Path nativeRoot = jail(nativeBase, exe);
        String n;
        try {
            n = exec(List.of("chroot", nativeRoot.toString(), "/prog"));
        } catch (IOException e) {
            Assumptions.abort("chroot is not allowed here (not root?): the comparison with Linux skips\n" + e.getMessage());
            return;
        }
        GuestC.Result f = fixup(exe, jail(fixupBase, exe));
        assertEquals(n, f.stdout());
    }
}

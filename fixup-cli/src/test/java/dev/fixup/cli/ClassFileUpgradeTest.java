package dev.fixup.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaging step that re-emits picocli's Java 5 class files as Java 8 ones: every class it
 * rewrites must load and pass the JVM's type-checking verifier (no fallback for version 52), and
 * picocli built from the rewritten classes must still parse a command line and print help.
 */
class ClassFileUpgradeTest {
    /** Serves picocli's classes upgraded, everything else from the parent; records what it upgraded. */
    static final class UpgradingLoader extends ClassLoader {
        final List<String> upgraded = new ArrayList<>();

        UpgradingLoader() { super(ClassFileUpgradeTest.class.getClassLoader()); }

        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("picocli.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes;
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) throw new ClassNotFoundException(name);
                        bytes = in.readAllBytes();
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                    if (ClassFileUpgrade.majorVersion(bytes) < 50) {
                        bytes = ClassFileUpgrade.upgrade(bytes, getParent());
                        upgraded.add(name);
                    }
                    assertEquals(52, ClassFileUpgrade.majorVersion(bytes), name);
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    @Test
    void upgradedPicocliVerifiesAndWorks() throws Exception {
        UpgradingLoader loader = new UpgradingLoader();
        Class<?> cl = Class.forName("picocli.CommandLine", true, loader);
        Class<?> spec = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
        Class<?> option = Class.forName("picocli.CommandLine$Model$OptionSpec", true, loader);
        // a command built through the programmatic API: -n NUMBER and --help
        Object cmd = spec.getMethod("create").invoke(null);
        spec.getMethod("name", String.class).invoke(cmd, "demo");
        Object builder = option.getMethod("builder", String[].class).invoke(null, (Object) new String[] {"-n"});
        java.lang.reflect.Method type = builder.getClass().getMethod("type", Class.class), build = builder.getClass().getMethod("build");
        type.setAccessible(true);   // declared in a package-private superclass
        build.setAccessible(true);
        type.invoke(builder, int.class);
        spec.getMethod("addOption", option).invoke(cmd, build.invoke(builder));
        Object cli = cl.getConstructor(Object.class).newInstance(cmd);
        cl.getMethod("parseArgs", String[].class).invoke(cli, (Object) new String[] {"-n", "42"});
        Object n = spec.getMethod("findOption", String.class).invoke(cmd, "-n");
        assertEquals(42, (Integer) option.getMethod("getValue").invoke(n));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cl.getMethod("usage", java.io.PrintStream.class).invoke(cli, new java.io.PrintStream(out, true));
        assertTrue(out.toString().contains("Usage: demo"), out.toString());
        assertTrue(loader.upgraded.size() > 20, "picocli's classes are Java 5 ones: " + loader.upgraded.size() + " upgraded");
        assertTrue(loader.upgraded.contains("picocli.CommandLine"));
    }

    @Test
    void theJarIsRewrittenInPlaceAndNewerClassFilesAreLeftAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] own = resource(Main.class, "Main.class");
        byte[] old = resource(Main.class, "/picocli/CommandLine$Range.class");
        assertEquals(49, ClassFileUpgrade.majorVersion(old));
        java.nio.file.Path jar = dir.resolve("t.jar");
        try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (String[] e : new String[][] {{"META-INF/MANIFEST.MF", null}, {"dev/fixup/cli/Main.class", "own"}, {"picocli/CommandLine$Range.class", "old"}}) {
                out.putNextEntry(new java.util.zip.ZipEntry(e[0]));
                out.write(e[1] == null ? "Manifest-Version: 1.0\n".getBytes() : e[1].equals("own") ? own : old);
                out.closeEntry();
            }
        }
        ClassFileUpgrade.main(new String[] {jar.toString()});
        try (var z = new java.util.zip.ZipFile(jar.toFile())) {
            List<String> names = z.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertEquals(List.of("META-INF/MANIFEST.MF", "dev/fixup/cli/Main.class", "picocli/CommandLine$Range.class"), names);
            assertTrue(java.util.Arrays.equals(own, z.getInputStream(z.getEntry("dev/fixup/cli/Main.class")).readAllBytes()));
            assertEquals(52, ClassFileUpgrade.majorVersion(z.getInputStream(z.getEntry("picocli/CommandLine$Range.class")).readAllBytes()));
        }
    }

    static byte[] resource(Class<?> near, String name) throws IOException {
        try (InputStream in = near.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}

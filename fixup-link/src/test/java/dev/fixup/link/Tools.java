package dev.fixup.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the GNU oracle tools (as, ld, readelf, gcc, qemu-i386) when they are installed; tests skip otherwise. */
final class Tools {
    private Tools() {}

    record Result(int exit, String out) {}

    static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    static void require(String tool) { assumeTrue(has(tool), tool + " is not installed: skipping the oracle comparison"); }

    static Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("timeout: " + List.of(cmd)); }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Assembles source with `as --32` and returns the object bytes. */
    static byte[] assemble(Path dir, String name, String source) throws IOException, InterruptedException {
        require("as");
        Path s = dir.resolve(name + ".s");
        Files.writeString(s, source);
        Result r = run(dir, "as", "--32", "-o", name + ".o", name + ".s");
        if (r.exit != 0) throw new AssertionError("as failed: " + r.out);
        return Files.readAllBytes(dir.resolve(name + ".o"));
    }

    /** Assembles and reads back as our model. */
    static dev.fixup.elf.ElfFile object(Path dir, String name, String source) throws Exception {
        return dev.fixup.elf.ElfReader.read(assemble(dir, name, source));
    }

    /** Writes an executable (mode +x: qemu-user refuses others silently) and runs it under qemu-i386. */
    static Result qemu(Path dir, String name, byte[] exe) throws IOException, InterruptedException {
        require("qemu-i386");
        Path f = dir.resolve(name);
        Files.write(f, exe);
        if (!f.toFile().setExecutable(true)) throw new IOException("cannot chmod +x " + f);
        return run(dir, "qemu-i386", f.toString());
    }

    /** Runs `readelf -a -W` and returns its combined output, failing on any warning or error. */
    static String readelfClean(Path dir, byte[] elf) throws IOException, InterruptedException {
        require("readelf");
        Path f = Files.createTempFile(dir, "re", ".elf");
        Files.write(f, elf);
        Result r = run(dir, "readelf", "-a", "-W", f.toString());
        List<String> bad = new ArrayList<>();
        for (String line : r.out.split("\n"))
            if (line.startsWith("readelf:") || line.contains("Warning:") || line.contains("Error:")) bad.add(line);
        if (r.exit != 0 || !bad.isEmpty()) throw new AssertionError("readelf complains: " + bad + "\n" + r.out);
        return r.out;
    }
}

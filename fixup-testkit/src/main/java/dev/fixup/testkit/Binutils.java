package dev.fixup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** GNU as and readelf as oracles for Fixup's assembler, linker and ELF writer. */
public final class Binutils {
    private Binutils() {}

    /** Assembles source with {@code as --32} in dir; the object file's bytes. */
    public static byte[] assemble(Path dir, String name, String source) {
        HostTools.require("as");
        try {
            Files.writeString(dir.resolve(name + ".s"), source);
            HostTools.check(dir, "as", "--32", "-o", name + ".o", name + ".s");
            return Files.readAllBytes(dir.resolve(name + ".o"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code readelf -a -W} of an ELF file's bytes; fails the test on any warning or error readelf prints. */
    public static String readelfClean(Path dir, byte[] elf) {
        HostTools.require("readelf");
        try {
            Path f = Files.createTempFile(dir, "re", ".elf");
            Files.write(f, elf);
            HostTools.Result r = HostTools.run(dir, "readelf", "-a", "-W", f.toString());
            List<String> bad = new ArrayList<>();
            for (String line : r.out().split("\n")) {
                if (line.startsWith("readelf:") || line.contains("Warning:") || line.contains("Error:")) bad.add(line);
            }
            if (!r.ok() || !bad.isEmpty()) throw new AssertionError("readelf complains: " + bad + "\n" + r.out());
            return r.out();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

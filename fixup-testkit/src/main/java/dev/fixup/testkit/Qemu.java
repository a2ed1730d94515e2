package dev.fixup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** qemu-i386 (user mode) as the oracle for what a Linux i386 program prints and returns. */
public final class Qemu {
    private Qemu() {}

    /** Writes an executable into dir (mode +x: qemu-user refuses others) and runs it under qemu-i386. */
    public static HostTools.Result run(Path dir, String name, byte[] executable) {
        HostTools.require("qemu-i386");
        try {
            Path f = dir.resolve(name);
            Files.write(f, executable);
            if (!f.toFile().setExecutable(true)) throw new IOException("cannot chmod +x " + f);
            return HostTools.run(dir, "qemu-i386", f.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

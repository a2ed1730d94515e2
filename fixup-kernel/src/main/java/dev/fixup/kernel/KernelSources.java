package dev.fixup.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The guest sources of vmlinux, shipped in this jar (src/main/asm). */
public final class KernelSources {
    /** The .S files, in link order. */
    public static final List<String> SOURCES = List.of("head.S", "entry.S", "uaccess.S", "debug.S");
    public static final String SCRIPT = "kernel.lds";

    private KernelSources() {}

    /** A guest source file's text. */
    public static String source(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream("asm/" + name)) {
            if (in == null) throw new IllegalStateException("kernel source " + name + " missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

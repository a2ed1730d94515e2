package dev.fixup.kernel;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.link.LinkException;
import dev.fixup.link.LinkInput;
import dev.fixup.link.LinkResult;
import dev.fixup.link.Linker;
import dev.fixup.link.LinkerScript;

import dev.fixup.elf.ElfFormatException;
import dev.fixup.elf.ElfReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds vmlinux from the guest sources shipped in this jar ({@link KernelSources}) with Fixup's
 * own assembler and linker: the .S files, kernel.lds, and the Java services' addresses
 * ({@link HostCall}) as absolute symbols. The build runs once, when the jar is made ({@link #main});
 * a program start only reads the image back.
 */
public final class KernelBuilder {
    private static KernelImage cached;
    static final String EMBEDDED = "vmlinux";

    private KernelBuilder() {}

    /** The kernel image: the one built with the jar, or a fresh build when there is none. Once per JVM. */
    public static synchronized KernelImage build() {
        if (cached == null) {
            byte[] embedded = embedded();
            try {
                cached = embedded != null ? new KernelImage(ElfReader.read(embedded), embedded) : buildFresh();
            } catch (ElfFormatException e) {
                throw new IllegalStateException("the vmlinux in the jar is damaged: " + e.getMessage(), e);
            }
        }
        return cached;
    }

    /** The vmlinux that the build put beside this class, or null. */
    static byte[] embedded() {
        try (InputStream in = KernelBuilder.class.getResourceAsStream(EMBEDDED)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The build's step: writes vmlinux to the path given (the jar's resources). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: KernelBuilder OUTPUT");
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.write(out, buildFresh().bytes);
    }

    static KernelImage buildFresh() {
        try {
            List<LinkInput> objects = new ArrayList<>();
            for (String name : KernelSources.SOURCES) {
                objects.add(new LinkInput(name.replace(".S", ".o"), Assembler.assemble(name, KernelSources.source(name))));
            }
            LinkerScript script = LinkerScript.parse(KernelSources.SCRIPT, KernelSources.source(KernelSources.SCRIPT));
            LinkResult vmlinux = Linker.link(objects, script, HostCall.symbols());
            return new KernelImage(vmlinux.elf(), vmlinux.bytes());
        } catch (AsmException e) {
            throw new IllegalStateException("assembling the kernel failed:\n" + String.join("\n", e.diagnostics()), e);
        } catch (LinkException e) {
            throw new IllegalStateException("linking the kernel failed:\n" + String.join("\n", e.errors()), e);
        }
    }
}

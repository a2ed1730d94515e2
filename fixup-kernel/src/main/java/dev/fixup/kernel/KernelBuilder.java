package dev.fixup.kernel;

import dev.fixup.asm.AsmException;
import dev.fixup.asm.Assembler;
import dev.fixup.link.LinkException;
import dev.fixup.link.LinkInput;
import dev.fixup.link.LinkResult;
import dev.fixup.link.Linker;
import dev.fixup.link.LinkerScript;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds vmlinux from the guest sources shipped in this jar ({@link KernelSources}) with Fixup's
 * own assembler and linker: the .S files, kernel.lds, and the Java services' addresses
 * ({@link HostCall}) as absolute symbols.
 */
public final class KernelBuilder {
    private static KernelImage cached;

    private KernelBuilder() {}

    /** The kernel image, built once per JVM. */
    public static synchronized KernelImage build() {
        if (cached == null) cached = buildFresh();
        return cached;
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

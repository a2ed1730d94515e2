package dev.fixup.kernel;

import dev.fixup.asm.Assembler;
import dev.fixup.link.LinkInput;
import dev.fixup.link.Linker;

import java.util.List;

/** Assembles and links a user program with Fixup's own tools (default layout at 0x08048000, entry _start). */
final class Programs {
    private Programs() {}

    static byte[] link(String source) throws Exception {
        return Linker.link(List.of(new LinkInput("p.o", Assembler.assemble("p.S", source))), null, null).bytes();
    }
}

package dev.fixup.link;

import dev.fixup.elf.ElfFile;

import java.util.Collections;
import java.util.Map;

/** The linked executable: its model, its bytes (via ElfWriter), and the final global symbol values. */
public final class LinkResult {
    private final ElfFile elf;
    private final byte[] bytes;
    private final Map<String, Long> symbols;

    LinkResult(ElfFile elf, byte[] bytes, Map<String, Long> symbols) {
        this.elf = elf;
        this.bytes = bytes;
        this.symbols = Collections.unmodifiableMap(symbols);
    }

    public ElfFile elf() { return elf; }

    public byte[] bytes() { return bytes; }

    /** Final value of a global symbol (object, script, caller or linker defined), or null. */
    public Long symbol(String name) { return symbols.get(name); }

    /** All defined global symbols, by name. */
    public Map<String, Long> symbols() { return symbols; }
}

package dev.fixup.link;

import dev.fixup.elf.ElfFile;

import java.util.Collections;
import java.util.Map;

/** The linked executable: its model, its bytes (via ElfWriter), and the final global symbol values. */
public final class LinkResult {
    private final ElfFile elf;
    private final byte[] bytes;
    private final Map<String, Long> symbols;
    private final java.util.List<String> warnings;
    private final java.util.function.Supplier<String> map;

    LinkResult(ElfFile elf, byte[] bytes, Map<String, Long> symbols, java.util.List<String> warnings, java.util.function.Supplier<String> map) {
        this.elf = elf;
        this.bytes = bytes;
        this.symbols = Collections.unmodifiableMap(symbols);
        this.warnings = java.util.List.copyOf(warnings);
        this.map = map;
    }

    /** What ld would print as "warning: ..." (the link still succeeded). */
    public java.util.List<String> warnings() { return warnings; }

    /** The link map (-Map FILE): archive members pulled and why, output sections and their inputs. */
    public String map() { return map.get(); }

    public ElfFile elf() { return elf; }

    public byte[] bytes() { return bytes; }

    /** Final value of a global symbol (object, script, caller or linker defined), or null. */
    public Long symbol(String name) { return symbols.get(name); }

    /** All defined global symbols, by name. */
    public Map<String, Long> symbols() { return symbols; }
}

package dev.fixup.asm;

import dev.fixup.elf.ElfFile;
import dev.fixup.elf.ElfWriter;
import java.util.List;

/**
 * GNU as compatible assembler for i386 AT&T syntax: source text in, ELF32 relocatable object out.
 * Errors are collected (every statement is tried) and thrown together as an {@link AsmException} whose
 * lines read like GNU as's: "file:line: error: message". Warnings are available from
 * {@link #warnings()} after a successful run.
 */
public final class Assembler {
    private List<String> warnings = List.of();

    /** Assembles one source file; fileName is used in diagnostics only. */
    public static ElfFile assemble(String fileName, String source) throws AsmException {
        return new Assembler().run(fileName, source);
    }

    /** Assembles and serializes with fixup-elf's {@link ElfWriter}. */
    public static byte[] assembleToBytes(String fileName, String source) throws AsmException {
        return ElfWriter.write(assemble(fileName, source));
    }

    private List<java.nio.file.Path> includeDirs = List.of();
    private final List<String> defsyms = new java.util.ArrayList<>();
    private long expansionLimit = Assembly.MAX_EXPANDED;

    /** A lower bound on expanded statements than Fixup's own, for tests that must stay fast. */
    Assembler limitExpansions(long statements) {
        expansionLimit = Math.min(statements, Assembly.MAX_EXPANDED);
        return this;
    }

    private boolean sourceLines;

    /** -g: DWARF line information for the assembly source itself (where it has no .loc of its own). */
    public Assembler debugLines(boolean on) {
        sourceLines = on;
        return this;
    }

    /** Directories where .include looks after the name as given (GNU as's -I). */
    public Assembler includeDirs(List<java.nio.file.Path> dirs) {
        includeDirs = List.copyOf(dirs);
        return this;
    }

    /**
     * Defines a symbol before the sources are read (GNU as's --defsym name=value). As in GNU as, the value
     * is a number read as C's strtoul reads it (base from its prefix; what follows the digits is ignored).
     */
    public Assembler defsym(String name, String value) {
        defsyms.add(name + "=" + strtoul(value));
        return this;
    }

    static long strtoul(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        boolean negative = i < s.length() && s.charAt(i) == '-';
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            radix = 16;
            i += 2;
        } else if (s.startsWith("0", i)) {
            radix = 8;
        }
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        for (; i < s.length() && Character.digit(s.charAt(i), radix) >= 0; i++) {
            v = v.multiply(java.math.BigInteger.valueOf(radix)).add(java.math.BigInteger.valueOf(Character.digit(s.charAt(i), radix)));
            if (v.bitLength() > 64) return -1; // ULONG_MAX on overflow
        }
        return negative ? -v.longValue() : v.longValue();
    }

    /** Like {@link #assemble} on an instance, keeping the warnings for {@link #warnings()}. */
    public ElfFile run(String fileName, String source) throws AsmException {
        return run(List.of(new SourceInput(fileName, source)));
    }

    /** Assembles several inputs as one source, in order, as GNU as does (diagnostics name each file). */
    public ElfFile run(List<SourceInput> inputs) throws AsmException {
        Assembly asm = new Assembly(inputs.isEmpty() ? "" : inputs.get(0).name());
        asm.includeDirs = includeDirs;
        asm.lines.sourceLines = sourceLines;
        asm.expansionBudget = expansionLimit;
        try {
            asm.run(inputs, defsyms);
            if (!asm.diag.hasErrors()) {
                for (SectionBuffer s : asm.sections.values()) s.joinSubsections();
                new Relaxer(asm).run();
                // line information, then .eh_frame, as in GNU as: both need the final code layout
                if (!asm.lines.isEmpty()) {
                    boolean unit = DwarfUnit.needed(asm); // decided before .debug_line may create sections
                    Expr lineUnit = asm.lines.emit();
                    if (unit) new DwarfUnit(asm).emit(lineUnit, inputs.get(0).name());
                }
                if (!asm.cfi.isEmpty()) asm.cfi.emit();
                ObjectWriter w = new ObjectWriter(asm);
                w.resolveFixups();
                if (!asm.diag.hasErrors()) {
                    ElfFile f = w.build();
                    if (!asm.diag.hasErrors()) {
                        warnings = List.copyOf(asm.diag.all());
                        return f;
                    }
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            // a defect of the assembler itself: still reported as a diagnostic, never as a stack trace
            asm.diag.error(asm.line, "internal error: " + e);
        }
        throw new AsmException(asm.diag.all());
    }

    /** Warnings ("file:line: Warning: ...") of the last successful {@link #run}. */
    public List<String> warnings() { return warnings; }
}

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

    /** Like {@link #assemble} on an instance, keeping the warnings for {@link #warnings()}. */
    public ElfFile run(String fileName, String source) throws AsmException {
        Assembly asm = new Assembly(fileName);
        try {
            asm.run(source);
            if (!asm.diag.hasErrors()) {
                for (SectionBuffer s : asm.sections.values()) s.joinSubsections();
                new Relaxer(asm).run();
                // .eh_frame comes last, as in GNU as: its advances need the final code layout
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

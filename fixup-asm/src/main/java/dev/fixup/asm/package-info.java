/**
 * A GNU as compatible assembler for i386 AT&amp;T syntax that writes ELF32 relocatable objects.
 *
 * <p>Entry point: {@link dev.fixup.asm.Assembler#assemble(String, String)}, or an {@code Assembler} with
 * options (-I directories, --defsym, -g) run on several {@code SourceInput}s assembled as one source, as GNU
 * as does. The pipeline, one class per step:
 * <ol>
 *   <li>{@code SourceReader} cuts the text into statements (comments out, {@code ;} and newlines);
 *       {@code Assembly} handles them in order, expanding {@code Macro}s, .rept/.irp bodies
 *       ({@code BodyCollector}) and conditionals, in a single pass like GNU as;</li>
 *   <li>{@code Directives} and {@code InstructionAssembler} (operands by {@code OperandParser},
 *       bytes by fixup-x86's {@code Encoder}) append bytes to the {@code Frag}s of a {@code SectionBuffer};
 *       what is not known yet becomes a {@code PendingField} holding an {@code Expr};</li>
 *   <li>{@code Relaxer} lays the sections out: jump sizes, alignment pads ({@code NopFill}), .org gaps,
 *       following GNU as's relaxation step for step;</li>
 *   <li>{@code ObjectWriter} resolves pending fields with {@code Evaluator} into bytes or REL relocations
 *       (position-independent ones for sym@PLT/@GOT/@GOTOFF) and builds the {@code ElfFile} (symbol table
 *       in GNU as's order and selection, COMDAT groups); before that, {@code DwarfLines} turns .file/.loc
 *       (or, under -g, the source's own lines) into .debug_line, {@code DwarfUnit} adds a compile unit
 *       where the source has none, and {@code CallFrameInfo} turns the .cfi_* directives into .eh_frame.</li>
 * </ol>
 * Expressions are parsed and evaluated with explicit stacks (no recursion a source can exhaust); sizes are
 * checked before memory is taken. The test suite compares every repository {@code .S} file, a corpus,
 * random relaxation programs and gcc's output for every repository C file (-O0..-O3, with and without -g)
 * with GNU as --32: section contents, symbols and relocations must be identical; a structure-aware fuzz
 * test makes sure no source reaches an internal error.
 */
package dev.fixup.asm;

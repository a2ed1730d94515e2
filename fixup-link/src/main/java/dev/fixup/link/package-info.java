/**
 * A static linker for ELF32 i386 relocatable objects, in the steps ld takes:
 * <ol>
 *   <li>{@link dev.fixup.link.Linker} copies the inputs, drops duplicate COMDAT groups and resolves
 *       global symbols ({@code SymbolTable}: strong beats weak and common, commons merge);</li>
 *   <li>{@link dev.fixup.link.LinkerScript} (parsed by {@code LinkerScriptParser}, or ld's default
 *       layout for user programs, {@code DefaultLayout}) is evaluated by {@code SectionLayout}, which
 *       assigns input sections to output sections, places orphans, and iterates until addresses settle;</li>
 *   <li>{@link dev.fixup.link.Relocator} patches every input section at its final address;</li>
 *   <li>the output sections are assembled, checked for overlaps, {@code __ex_table} is sorted by
 *       {@link dev.fixup.elf.ExTable} (after relocation, as Linux's sorttable does on the image),
 *       {@code SegmentBuilder} makes the program headers, and ElfWriter lays out the file.</li>
 * </ol>
 * The kernel's module loader reuses {@link dev.fixup.link.Relocator} and {@link dev.fixup.elf.ExTable}.
 */
package dev.fixup.link;


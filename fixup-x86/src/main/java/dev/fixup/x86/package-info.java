/**
 * The i386/P6 integer instruction set as ONE table ({@link dev.fixup.x86.FormTable}: rows such as
 * {@code add Ev,Gv 01 /r}) and the three views derived from it:
 * <ul>
 *   <li>{@link dev.fixup.x86.Encoder} (with {@code FormMatcher} and {@code Emitter}): AT&amp;T operands to the bytes
 *       GNU as 2.40 {@code --32} chooses, with its warnings and error wording;</li>
 *   <li>{@link dev.fixup.x86.Decoder}: bytes to an {@link dev.fixup.x86.Insn} for the CPU, through opcode maps
 *       built from the rows (one lookup per opcode: ModRM.reg, register/memory, operand size, 0x66);</li>
 *   <li>{@link dev.fixup.x86.Disassembler}: an Insn to the text {@code objdump -d} prints.</li>
 * </ul>
 * The tests hold each view to an oracle: a corpus generated from the table is assembled by GNU as and
 * disassembled by objdump (32- and 16-bit code), and random instruction bytes are compared with objdump.
 */
package dev.fixup.x86;

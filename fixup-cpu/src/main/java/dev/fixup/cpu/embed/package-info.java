/**
 * An i386 to embed in a Java program, in the spirit of Unicorn: {@link dev.fixup.cpu.embed.Emulator}
 * sets up flat 32-bit protected mode with paging, maps memory page by page with permissions,
 * reads and writes registers and memory, calls hooks on code ranges, memory reads and writes,
 * invalid accesses (which may map the page and resume) and interrupts, and runs with
 * {@code start(begin, until, timeoutNanos, count)} and {@code stop()}.
 *
 * <p>A guest whose data page appears on first touch:
 *
 * <pre>{@code
 * Emulator emu = new Emulator();
 * int code = 0x1000000, data = 0x2000000;
 * emu.map(code, 4096, Emulator.READ | Emulator.EXEC);
 * emu.write(code, new byte[] {
 *         (byte) 0xbb, 0x00, 0x00, 0x00, 0x02,   // mov $0x2000000, %ebx
 *         (byte) 0x8b, 0x03,                     // mov (%ebx), %eax
 *         (byte) 0x83, (byte) 0xc0, 0x2a,        // add $42, %eax
 *         (byte) 0x89, 0x03,                     // mov %eax, (%ebx)
 *         (byte) 0xcd, (byte) 0x80});            // int $0x80
 * int[] steps = {0};
 * emu.hookCode(code, code + 4095, (e, address, size) -> steps[0]++);
 * emu.hookInvalidMemory((e, type, address) -> {  // the data page appears on first touch
 *     e.map(address & ~0xfff, 4096, Emulator.READ | Emulator.WRITE);
 *     return true;                               // and the instruction runs again
 * });
 * emu.hookInterrupt((e, vector) -> e.stop());
 * emu.start(code, code + 14, 1_000_000_000L, 0);
 * System.out.println("memory " + emu.read32(data) + ", eax " + emu.reg(Register.EAX)
 *         + ", " + steps[0] + " instructions hooked");
 * }</pre>
 *
 * It prints {@code memory 42, eax 42, 6 instructions hooked}. The same example is in
 * {@code docs/embedding.md}, and a test runs it.
 */
package dev.fixup.cpu.embed;

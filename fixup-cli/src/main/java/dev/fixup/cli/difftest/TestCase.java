package dev.fixup.cli.difftest;

import java.util.List;

/**
 * One generated test: the initial machine state and the sequence of units. ESP and EBP are not random:
 * EBP is the base register pointing into the case's memory block and ESP its private stack, both at
 * fixed offsets inside that block, so every address the sequence touches lies in memory that is dumped.
 *
 * @param seed the seed that regenerates exactly this case ({@code fixup difftest --case SEED})
 * @param regs initial EAX ECX EDX EBX - - ESI EDI (entries 4 and 5 are ignored)
 * @param eflags initial EFLAGS, loaded with popf
 * @param memory initial contents of the memory block ({@link #MEM_SIZE} bytes)
 */
public record TestCase(long seed, int length, int[] regs, int eflags, byte[] memory, List<Unit> units) {
    /** Size of the block each case owns: data in the middle, its stack at the top. */
    public static final int MEM_SIZE = 512;
    /** EBP points here (offset in the block): disp8 reaches the middle 256 bytes, disp32 all of it. */
    public static final int EBP_OFFSET = 256;
    /** Initial ESP (offset in the block): room for pushes below, for pops of junk above. */
    public static final int ESP_OFFSET = 448;

    /** The case cut after its first {@code k} units (the reproducer's bisection). */
    public TestCase prefix(int k) {
        return new TestCase(seed, length, regs, eflags, memory, units.subList(0, k));
    }

    /** Flags undefined when the sequence ends. */
    public int undefinedAtEnd() {
        return units.isEmpty() ? 0 : units.get(units.size() - 1).undefinedAfter();
    }

    /** The sequence as assembly text, one instruction per line, with the symbol prefix filled in. */
    public String text(String prefix) {
        StringBuilder b = new StringBuilder();
        for (Unit u : units) for (String l : u.lines()) b.append(l.replace("@", prefix)).append('\n');
        return b.toString();
    }
}

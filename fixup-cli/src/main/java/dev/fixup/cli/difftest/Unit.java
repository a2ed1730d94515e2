package dev.fixup.cli.difftest;

import dev.fixup.x86.UndefinedFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * An atomic piece of a generated sequence: the instruction under test plus the helper lines it needs
 * (a shift count loaded into %cl, a guarded index register, a dividend that cannot overflow, a label
 * a branch jumps to). Reproducers cut sequences only between units, so every prefix still assembles.
 * {@code @} in a line stands for the case's symbol prefix ({@code @mem}, {@code @L3}).
 *
 * @param name what the unit tests, for the statistics ("rcll", "rep movsb", "jne")
 * @param undefinedAfter arithmetic flags left undefined once the unit has run (see {@link UndefinedFlags})
 */
public record Unit(String name, List<String> lines, int undefinedAfter) {

    /** Accumulates lines while tracking which flags are undefined after each of them. */
    static final class Builder {
        final List<String> lines = new ArrayList<>();
        int undefined;
        private final java.util.Random rnd;

        Builder(int undefinedBefore, java.util.Random rnd) {
            this.undefined = undefinedBefore;
            this.rnd = rnd;
        }

        Builder add(String line, UndefinedFlags.Effect effect) {
            lines.add(line);
            undefined = effect.apply(undefined);
            return this;
        }

        Builder add(String line) {
            lines.add(line);
            return this;
        }

        /** Before an instruction that reads flags: if any of them is undefined, define all six with a cmp
         *  (it changes no register), so the undefined value never reaches a register. */
        Builder defineFlags(int reads) {
            if ((reads & undefined) != 0) {
                String[] regs = {"%eax", "%ecx", "%edx", "%ebx", "%esp", "%ebp", "%esi", "%edi"};
                add("cmpl $" + Values.hex(Values.interesting(rnd, 4)) + ", " + regs[rnd.nextInt(8)],
                        UndefinedFlags.of(dev.fixup.x86.Op.CMP, 4, 0, -1));
            }
            return this;
        }

        Unit build(String name) {
            return new Unit(name, List.copyOf(lines), undefined);
        }
    }
}

package dev.fixup.cli.difftest;

import dev.fixup.x86.UndefinedFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * A case whose final state (or way of ending) differs between Fixup and qemu-i386, with the unit found to
 * cause it: the first prefix of the sequence whose final state already differs.
 *
 * @param culprit index of the first unit whose prefix differs, -1 when the bisection could not tell
 * @param before qemu's state just before the culprit (null: the initial state)
 */
public record Difference(TestCase testCase, int culprit, List<String> fields, StateDump before, StateDump fixup,
                         StateDump qemu, RunResult fixupRun, RunResult qemuRun) {

    /** What differs between two dumps, masking the flags the Intel manual leaves undefined. */
    public static List<String> compare(StateDump f, StateDump q, int undefinedFlags, byte[] initialMemory) {
        List<String> d = new ArrayList<>();
        for (int r = 0; r < 8; r++)
            if (f.regs()[r] != q.regs()[r])
                d.add(String.format("%s: fixup %08x qemu %08x", StateDump.REG_NAMES[r], f.regs()[r], q.regs()[r]));
        int x = (f.eflags() ^ q.eflags()) & ~undefinedFlags;
        if (x != 0)
            d.add(String.format("eflags %s: fixup %08x qemu %08x (masked undefined: %s)", UndefinedFlags.names(x),
                    f.eflags(), q.eflags(), undefinedFlags == 0 ? "none" : UndefinedFlags.names(undefinedFlags)));
        for (int i = 0; i < f.memory().length; i++)
            if (f.memory()[i] != q.memory()[i])
                d.add(String.format("mem+%d (%s): fixup %02x qemu %02x initial %02x", i, where(i), f.memory()[i] & 0xff,
                        q.memory()[i] & 0xff, initialMemory[i] & 0xff));
        return d;
    }

    private static String where(int offset) {
        return "ebp" + (offset - TestCase.EBP_OFFSET >= 0 ? "+" : "") + (offset - TestCase.EBP_OFFSET);
    }

    /** Name of the culprit unit, for the statistics by instruction. */
    public String culpritName() {
        return culprit < 0 ? "(unknown)" : testCase.units().get(culprit).name();
    }

    /** The reproducer: seed, the instructions, the states and the differing fields. */
    public String describe() {
        TestCase c = testCase;
        StringBuilder b = new StringBuilder();
        b.append(String.format("DIFFERENCE in %s: case seed 0x%x, %d units (reproduce: fixup difftest --case 0x%x --length %d)%n",
                culpritName(), c.seed(), c.units().size(), c.seed(), c.length()));
        if (fixupRun != null && fixupRun.status() != qemuRun.status())
            b.append(String.format("  exit status: fixup %d qemu %d%n", fixupRun.status(), qemuRun.status()));
        for (String f : fields) b.append("  differs: ").append(f).append('\n');
        b.append("  sequence (> marks the culprit unit):\n");
        for (int u = 0; u < c.units().size(); u++)
            for (String l : c.units().get(u).lines())
                b.append(u == culprit ? "  > " : "    ").append(l.endsWith(":") ? "" : "  ").append(l.replace("@", "")).append('\n');
        StringBuilder init = new StringBuilder();
        for (int r = 0; r < 8; r++)
            init.append(StateDump.REG_NAMES[r]).append('=')
                    .append(r == 4 ? "mem+" + TestCase.ESP_OFFSET : r == 5 ? "mem+" + TestCase.EBP_OFFSET : String.format("%08x", c.regs()[r])).append(' ');
        b.append("  initial:       ").append(init).append(String.format("eflags=%08x [%s]%n", c.eflags(), UndefinedFlags.names(c.eflags())));
        if (before != null) b.append("  before culprit (qemu): ").append(before.registers()).append('\n');
        if (fixup != null) b.append("  after (fixup): ").append(fixup.registers()).append('\n');
        if (qemu != null) b.append("  after (qemu):  ").append(qemu.registers()).append('\n');
        if (fixupRun != null && fixupRun.status() != qemuRun.status()) {
            String log = fixupRun.log().strip();
            if (!log.isEmpty()) b.append("  fixup log: ").append(log.replace("\n", "\n             ")).append('\n');
            String qlog = qemuRun.log().strip();
            if (!qlog.isEmpty()) b.append("  qemu log: ").append(qlog.replace("\n", "\n            ")).append('\n');
        }
        return b.toString();
    }
}

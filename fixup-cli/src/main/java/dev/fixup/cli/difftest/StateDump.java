package dev.fixup.cli.difftest;

import dev.fixup.x86.UndefinedFlags;

/** The state one case wrote to stdout: 8 registers, EFLAGS and its memory block. */
public record StateDump(int[] regs, int eflags, byte[] memory) {
    public static final String[] REG_NAMES = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

    /** The index-th record of a program's output, or null if the program stopped before writing it. */
    public static StateDump parse(byte[] out, int index) {
        int at = index * CaseProgram.RECORD_SIZE;
        if (out.length < at + CaseProgram.RECORD_SIZE) return null;
        int[] regs = new int[8];
        for (int r = 0; r < 8; r++) regs[r] = le32(out, at + 4 * r);
        byte[] mem = java.util.Arrays.copyOfRange(out, at + 36, at + CaseProgram.RECORD_SIZE);
        return new StateDump(regs, le32(out, at + 32), mem);
    }

    /** Number of complete records in the output. */
    public static int records(byte[] out) {
        return out.length / CaseProgram.RECORD_SIZE;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    /** One line: registers and flags (the memory block is shown only where it differs). */
    public String registers() {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < 8; r++) b.append(REG_NAMES[r]).append('=').append(String.format("%08x ", regs[r]));
        return b.append("eflags=").append(String.format("%08x [%s]", eflags, UndefinedFlags.names(eflags))).toString();
    }
}

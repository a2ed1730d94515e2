package dev.fixup.bench;

import java.nio.charset.StandardCharsets;

/**
 * One run of a guest program: what it printed, how it exited, the wall time, and (under Fixup)
 * how many guest instructions the CPU executed (-1 when not known, e.g. under qemu).
 */
public record GuestRun(byte[] stdout, int status, long nanos, long instructions) {
    public String text() { return new String(stdout, StandardCharsets.ISO_8859_1); }

    public double seconds() { return nanos / 1e9; }

    /** Guest instructions per microsecond = millions per second. */
    public double mips() { return instructions < 0 ? Double.NaN : instructions / (nanos / 1e3); }
}

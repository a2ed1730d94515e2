package dev.fixup.bench;

import java.nio.charset.StandardCharsets;

/**
 * One run of a guest program: what it printed, how it exited, the wall time, the CPU time
 * (user + system; steadier than wall time on a loaded machine) and, under Fixup, how many guest
 * instructions the CPU executed (-1 when not known, e.g. under qemu). stderr is kept for diagnostics
 * (under Fixup it also holds the kernel log).
 */
public record GuestRun(byte[] stdout, String stderr, int status, long nanos, long cpuNanos, long instructions) {
    public String text() { return new String(stdout, StandardCharsets.ISO_8859_1); }

    public double seconds() { return nanos / 1e9; }

    public double cpuSeconds() { return cpuNanos / 1e9; }
}

package dev.fixup.cli.difftest;

/** How a test program ended on one machine: exit status (128+signal when killed), stdout, diagnostics. */
public record RunResult(int status, byte[] stdout, String log) {}

package dev.fixup.bench;

import java.util.Arrays;

/**
 * One timed run of a command: exit status (-1 when it timed out and was killed), whole-process
 * wall seconds, user + system CPU seconds and peak resident set in KB (both -1 when
 * /usr/bin/time is missing), a digest of what it wrote on stdout, and the end of its stderr.
 */
record Measurement(int status, boolean timedOut, double wall, double cpu, long maxRssKb, byte[] stdoutDigest, String stderrTail) {
    /** Finished; for a tool, with status 0 (a guest program's own status is compared with the native run's instead). */
    boolean ok(Workload.Check check) { return !timedOut && (check == Workload.Check.SAME_OUTPUT || status == 0); }

    boolean sameOutputAs(Measurement o) {
        return !timedOut && !o.timedOut && status == o.status && Arrays.equals(stdoutDigest, o.stdoutDigest);
    }

    /** Why a run failed, for the notes under the table. */
    String failure() {
        if (timedOut) return "timed out";
        String tail = stderrTail.strip();
        int nl = tail.lastIndexOf('\n');
        return "exit status " + status + (tail.isEmpty() ? "" : ": " + (nl >= 0 ? tail.substring(nl + 1) : tail));
    }
}

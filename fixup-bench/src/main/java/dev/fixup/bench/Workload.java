package dev.fixup.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One row of the benchmark: the command line each runner runs (a runner without one shows n/a),
 * the file its standard input comes from (null: empty), what the check compares, and, for guest
 * programs, how to run the same program inside the benchmark's own JVM (null: not meaningful).
 */
record Workload(String name, Map<Runner, List<String>> commands, Path stdin, Check check, InJvm inJvm) {
    /** What "the same" means for a row: guest programs print the same bytes and exit alike as natively; tools exit 0. */
    enum Check { SAME_OUTPUT, STATUS_ZERO }

    /** A guest program run by {@link FixupRunner} in this JVM: exec time only, after a warm-up run; {@code mips}: show the instruction rate. */
    record InJvm(Path program, List<String> args, int ramMegabytes, boolean mips) {}

    List<String> command(Runner r) { return commands.get(r); }
}

#!/bin/sh
# The benchmark: every workload under native, qemu-i386 and Fixup, alternating, then a markdown
# table of medians and ratios (GuestBenchmark; --help lists its options).
# Usage: fixup-bench/run.sh [--quick] [--reps N] [--only REGEX] [--list] [--no-in-jvm] [--translate N] [--markdown FILE]
# Extra JVM options for the benchmark's own JVM (e.g. a JFR recording of the in-JVM runs) via JAVA_OPTS.
set -eu
. "$(dirname "$0")/bench-common.sh"
# The Fixup column runs through the launcher, on the fixup.jar this brings up to date.
bench_classes
exec java -XX:+UseSerialGC ${JAVA_OPTS:-} -cp "$bench_cp" -Dfixup.root="$root" dev.fixup.bench.GuestBenchmark "$@"

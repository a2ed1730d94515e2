#!/bin/sh
# The benchmark: every workload under native, qemu-i386 and Fixup, alternating, then a markdown
# table of medians and ratios (GuestBenchmark; --help lists its options).
# Usage: fixup-bench/run.sh [--quick] [--reps N] [--only REGEX] [--list] [--no-in-jvm] [--translate N] [--markdown FILE]
# Extra JVM options for the benchmark's own JVM (e.g. a JFR recording of the in-JVM runs) via JAVA_OPTS.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
# The launcher rebuilds fixup.jar (and its class-data archive) when a source changed; the Fixup
# column runs through it. Another module may be mid-edit, so a failed rebuild falls back to the last good jar.
"$root/fixup" --version >/dev/null 2>&1 || echo "run.sh: rebuilding fixup.jar failed; using the existing jar" >&2
[ -f "$root/fixup-cli/target/fixup.jar" ] || { echo "run.sh: no fixup-cli/target/fixup.jar" >&2; exit 1; }
# Maven's output (even -q prints colour resets) is shown only when the build fails.
if ! log=$(cd "$root" && mvn -B -q -Dstyle.color=never -pl fixup-bench -am compile 2>&1); then
  printf '%s\n' "$log" >&2
  exit 1
fi
exec java -XX:+UseSerialGC ${JAVA_OPTS:-} -cp "$root/fixup-cli/target/fixup.jar:$root/fixup-bench/target/classes" \
  -Dfixup.root="$root" dev.fixup.bench.GuestBenchmark "$@"

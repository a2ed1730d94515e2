#!/bin/sh
# Runs the whole-workload guest benchmark (GuestBenchmark) against the current sources.
# Usage: fixup-bench/run.sh [--reps N] [--warmup N] [--build DIR] [--fixup-only] [--translate N] [PROGRAM[=ARG] ...]
# e.g. fixup-bench/run.sh --reps 3 crc32=130 vm=28   (defaults: all four CPU-bound programs, ~200 M insns each)
# Extra JVM options (e.g. a JFR recording) via JAVA_OPTS.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
# The launcher rebuilds fixup.jar when a source changed; another module may be mid-edit, so a
# failed rebuild falls back to the last good jar.
"$root/fixup" --version >/dev/null 2>&1 || echo "run.sh: rebuilding fixup.jar failed; using the existing jar" >&2
[ -f "$root/fixup-cli/target/fixup.jar" ] || { echo "run.sh: no fixup-cli/target/fixup.jar" >&2; exit 1; }
# Maven's output (even -q prints colour resets) is shown only when the build fails.
if ! log=$(cd "$root" && mvn -B -q -Dstyle.color=never -pl fixup-bench -am compile 2>&1); then
  printf '%s\n' "$log" >&2
  exit 1
fi
exec java ${JAVA_OPTS:-} -cp "$root/fixup-cli/target/fixup.jar:$root/fixup-bench/target/classes" \
  -Dfixup.root="$root" dev.fixup.bench.GuestBenchmark "$@"

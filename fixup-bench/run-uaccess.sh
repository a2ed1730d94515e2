#!/bin/sh
# Runs the verify/extable benchmark (UaccessBenchmark) against the current sources.
# Usage: fixup-bench/run-uaccess.sh [--iterations K] [--reps N] [--vmas 1,10,100,1000] [WORKLOAD ...]
# Workloads: getpid time gettimeofday sigprocmask pipe16 writev16 (default: all).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
# As run.sh: the launcher rebuilds fixup.jar when a source changed.
"$root/fixup" --version >/dev/null 2>&1 || echo "run-uaccess.sh: rebuilding fixup.jar failed; using the existing jar" >&2
[ -f "$root/fixup-cli/target/fixup.jar" ] || { echo "run-uaccess.sh: no fixup-cli/target/fixup.jar" >&2; exit 1; }
if ! log=$(cd "$root" && mvn -B -q -Dstyle.color=never -pl fixup-bench -am compile 2>&1); then
  printf '%s\n' "$log" >&2
  exit 1
fi
exec java -XX:+UseSerialGC ${JAVA_OPTS:-} -cp "$root/fixup-cli/target/fixup.jar:$root/fixup-bench/target/classes" \
  dev.fixup.bench.UaccessBenchmark "$@"

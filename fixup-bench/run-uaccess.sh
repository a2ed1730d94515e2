#!/bin/sh
# Runs the verify/extable benchmark (UaccessBenchmark) against the current sources.
# Usage: fixup-bench/run-uaccess.sh [--iterations K] [--reps N] [--vmas 1,10,100,1000] [WORKLOAD ...]
# Workloads: getpid time gettimeofday sigprocmask pipe16 writev16 (default: all).
set -eu
. "$(dirname "$0")/bench-common.sh"
bench_classes
exec java -XX:+UseSerialGC ${JAVA_OPTS:-} -cp "$bench_cp" dev.fixup.bench.UaccessBenchmark "$@"

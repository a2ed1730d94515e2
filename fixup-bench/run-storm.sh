#!/bin/sh
# The random-syscall storm (examples/proc/storm.c) at length: CALLS syscalls per seed, each seed on
# each user-access mode, with StormTest's checks (no host exception, no oops, no hang, frames and
# heap back where they were). Prints one line of figures per seed and the totals.
#   fixup-bench/run-storm.sh [CALLS [SEEDS [MODES]]]     (defaults: 1000000  1,2,3,4  extable,verify)
cd "$(dirname "$0")/.." || exit 1
exec mvn -B -o -q -pl fixup-kernel -am test -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest='StormTest#randomSyscallsLeaveTheKernelAsItWas' \
    -Dstorm.calls="${1:-1000000}" -Dstorm.seeds="${2:-1,2,3,4}" -Dstorm.modes="${3:-extable,verify}"

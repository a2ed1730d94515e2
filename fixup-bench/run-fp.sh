#!/bin/sh
# The floating-point workload (workloads/fpbench.c: x87 arithmetic, sqrt, libm sin/exp, printf of
# doubles), built by gcc -m32 -O2 -static, timed natively, under qemu-i386, under Fixup (blocks
# translated, the default) and under Fixup's interpreter (--translate 0). Whole-process wall time
# from a fresh process each run (a fresh JVM for Fixup); medians of REPS runs; every run's output
# must equal the native one. Usage: fixup-bench/run-fp.sh [--reps N] [ROUNDS]   (defaults: 5, 20000)
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
reps=5
if [ "${1:-}" = "--reps" ]; then reps=$2; shift 2; fi
rounds=${1:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v gcc >/dev/null || { echo "run-fp.sh: gcc is missing" >&2; exit 1; }
gcc -m32 -O2 -static -o "$work/fpbench" "$root/fixup-bench/workloads/fpbench.c" -lm
"$root/fixup" --version >/dev/null 2>&1 || { echo "run-fp.sh: building fixup.jar failed" >&2; exit 1; }
"$work/fpbench" "$rounds" > "$work/expected"

# median of the wall times (seconds) of $reps runs of the command; each run's output is checked
time_runs() {
  name=$1; shift
  : > "$work/times"
  i=0
  while [ $i -lt "$reps" ]; do
    s=$(date +%s.%N)
    "$@" > "$work/out" 2>"$work/err" || { echo "$name: exit status $?" >&2; cat "$work/err" >&2; exit 1; }
    e=$(date +%s.%N)
    cmp -s "$work/out" "$work/expected" || { echo "$name: output differs from native" >&2; diff "$work/expected" "$work/out" >&2; exit 1; }
    echo "$e - $s" | bc >> "$work/times"
    i=$((i + 1))
  done
  sort -n "$work/times" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

native=$(time_runs native "$work/fpbench" "$rounds")
qemu=skipped
command -v qemu-i386 >/dev/null && qemu=$(time_runs qemu-i386 qemu-i386 "$work/fpbench" "$rounds")
fixup=$(time_runs fixup "$root/fixup" run "$work/fpbench" "$rounds")
interp=$(time_runs fixup-interp "$root/fixup" run --translate 0 "$work/fpbench" "$rounds")
echo "fpbench $rounds rounds, wall seconds, median of $reps (output identical to native in every run)"
printf '%-28s %8s\n' native "$native" qemu-i386 "$qemu" "fixup (translated)" "$fixup" "fixup --translate 0" "$interp"
ratio() { [ "$2" = skipped ] && echo - || echo "scale=2; $1 / $2" | bc; }
echo "fixup/native $(ratio "$fixup" "$native")  fixup/qemu-i386 $(ratio "$fixup" "$qemu")  qemu-i386/native $(ratio "$qemu" "$native")  interpreter/translated $(ratio "$interp" "$fixup")"

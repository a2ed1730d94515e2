#!/bin/sh
# The floating-point workload (workloads/fpbench.c: x87 arithmetic, sqrt, libm sin/exp, printf of
# doubles), built by gcc -m32 -O2 -static, timed natively, under qemu-i386, under Fixup (blocks
# translated, the default) and under Fixup's interpreter (--translate 0). Whole-process wall and CPU
# time from a fresh process each run (a fresh JVM for Fixup); medians of REPS runs; every run's output
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

# medians of the wall and CPU (user + system) seconds of $reps runs of the command: "wall cpu";
# each run's output is checked against the native one
time_runs() {
  name=$1; shift
  : > "$work/times"
  i=0
  while [ $i -lt "$reps" ]; do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/out" 2>"$work/err" \
      || { echo "$name: exit status $?" >&2; cat "$work/err" >&2; exit 1; }
    cmp -s "$work/out" "$work/expected" || { echo "$name: output differs from native" >&2; diff "$work/expected" "$work/out" >&2; exit 1; }
    awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time" >> "$work/times"
    i=$((i + 1))
  done
  med() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
  echo "$(cut -d' ' -f1 "$work/times" | med) $(cut -d' ' -f2 "$work/times" | med)"
}

native=$(time_runs native "$work/fpbench" "$rounds")
qemu="- -"
command -v qemu-i386 >/dev/null && qemu=$(time_runs qemu-i386 qemu-i386 "$work/fpbench" "$rounds")
fixup=$(time_runs fixup "$root/fixup" run "$work/fpbench" "$rounds")
interp=$(time_runs fixup-interp "$root/fixup" run --translate 0 "$work/fpbench" "$rounds")
echo "fpbench $rounds rounds: medians of $reps runs, seconds (output identical to native in every run)"
printf '%-22s %8s %8s\n' "" wall cpu
for row in "native:$native" "qemu-i386:$qemu" "fixup:$fixup" "fixup --translate 0:$interp"; do
  printf '%-22s %8s %8s\n' "${row%%:*}" ${row#*:}
done
# "-" when a figure is missing or the divisor rounds to 0.00 s (native runs this in under 10 ms)
ratio() { case "$1$2" in *-*) echo -;; *) if [ "$(echo "$2 == 0" | bc)" = 1 ]; then echo "n/a (native < 0.01 s)"; else echo "scale=1; $1 / $2" | bc; fi;; esac; }
w() { echo "$1" | cut -d' ' -f1; }
c() { echo "$1" | cut -d' ' -f2; }
echo "wall: fixup/native $(ratio "$(w "$fixup")" "$(w "$native")")  fixup/qemu-i386 $(ratio "$(w "$fixup")" "$(w "$qemu")")  interpreter/translated $(ratio "$(w "$interp")" "$(w "$fixup")")"
echo "cpu:  fixup/qemu-i386 $(ratio "$(c "$fixup")" "$(c "$qemu")")  interpreter/translated $(ratio "$(c "$interp")" "$(c "$fixup")")"

#!/usr/bin/env bash
# Runs the Debian programs test's workloads natively, under qemu-i386 and under `fixup run` (a fresh
# JVM each run), each in a fresh copy of the fixture directory, and prints per workload: the exit
# statuses, whether Fixup's stdout, stderr and status equal native's, and the median wall time of
# RUNS runs (default 3) of each. usage: scripts/time-debs.sh [-n RUNS] [-k] [ID...]   (-k: keep outputs in $out)
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
res="$here/fixup-kernel/src/test/resources/debian"
cache="${FIXUP_DEBS:-/var/cache/fixup-debs}/x"
runs=3 keep=0
while [ $# -gt 0 ]; do case "$1" in -n) runs=$2; shift 2;; -k) keep=1; shift;; *) break;; esac; done
work="$(mktemp -d /tmp/fixup-debs-time.XXXXXX)"; dir="$work/w"; out="$work/out"; mkdir -p "$out"
declare -A prog
while IFS=$'\t' read -r name pkg path; do prog[${name#@}]="$cache/$pkg/$path"; done < <(grep '^@' "$res/workloads.tsv")
bb="${prog[busybox]}"
qemu="$(command -v qemu-i386 || echo qemu-i386)"
[ -x "$bb" ] || { echo "time-debs: $bb missing (run scripts/fetch-debs.sh)" >&2; exit 1; }
(cd "$here" && ./fixup run "$bb" true) >/dev/null 2>&1   # builds the jar and its class-data archive
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {   # run MODE ID ARGV... : one run in a fresh fixture; writes $out/ID.MODE.{out,err,rc}; prints ms
  local mode=$1 id=$2; shift 2
  sh "$res/fixture.sh" "$dir" "$bb" >/dev/null 2>&1
  local t0; t0=$(date +%s%N)
  case $mode in
    native) (cd "$dir" && env -i PATH="$dir/bin" LC_ALL=C TZ=UTC HOME="$dir" "$@") ;;
    qemu)   (cd "$dir" && env -i PATH="$dir/bin" LC_ALL=C TZ=UTC HOME="$dir" "$qemu" "$@") ;;
    fixup)  (cd "$dir" && env -i PATH="$PATH" HOME="$HOME" "$here/fixup" run -U PATH -U HOME -E PATH="$dir/bin" \
               -E LC_ALL=C -E TZ=UTC -E HOME="$dir" "$@") ;;
  esac >"$out/$id.$mode.out" 2>"$out/$id.$mode.err" </dev/null
  echo $? > "$out/$id.$mode.rc"
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
printf '%-22s %-8s %-8s %-8s %-5s %9s %9s %9s\n' workload native qemu fixup same native_ms qemu_ms fixup_ms
while IFS=$'\t' read -r -a row; do
  case "${row[0]}" in ''|\#*|@*) continue;; esac
  id=${row[0]} exe=${prog[${row[1]}]}
  if [ $# -gt 0 ] && [[ " $* " != *" $id "* ]]; then continue; fi
  [ -x "$exe" ] || { echo "$id: $exe missing"; continue; }
  declare -A ms=()
  for mode in native qemu fixup; do
    t=(); for ((i = 0; i < runs; i++)); do t+=("$(run $mode "$id" "$exe" "${row[@]:2}")"); done
    ms[$mode]=$(printf '%s\n' "${t[@]}" | median)
  done
  same=yes
  for f in out err rc; do cmp -s "$out/$id.native.$f" "$out/$id.fixup.$f" || same=no; done
  printf '%-22s %-8s %-8s %-8s %-5s %9s %9s %9s\n' "$id" "$(cat "$out/$id.native.rc")" "$(cat "$out/$id.qemu.rc")" \
    "$(cat "$out/$id.fixup.rc")" $same "${ms[native]}" "${ms[qemu]}" "${ms[fixup]}"
done < "$res/workloads.tsv"
if [ $keep = 1 ]; then echo "outputs kept in $out"; else rm -rf "$work"; fi

#!/usr/bin/env bash
# Runs the Debian programs test's workloads natively, under qemu-i386 and under `fixup run` (a fresh
# JVM each run), each in a fresh copy of the fixture directory, and prints per workload: the exit
# statuses, whether Fixup's stdout, stderr and status equal native's, the median wall time and CPU
# time (user + system, of the process and its children) of RUNS runs (default 3) of each, and the
# system calls Fixup answered with ENOSYS (from one more run with -d sys).
# usage: scripts/time-debs.sh [-n RUNS] [-k] [ID...]   (-k: keep the outputs and traces)
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
res="$here/fixup-kernel/src/test/resources/debian"
cache="${FIXUP_DEBS:-/var/cache/fixup-debs}/x"
runs=3 keep=0
while [ $# -gt 0 ]; do case "$1" in -n) runs=$2; shift 2;; -k) keep=1; shift;; *) break;; esac; done
[ -x /usr/bin/time ] || { echo "time-debs: needs /usr/bin/time (package time)" >&2; exit 1; }
work="$(mktemp -d /tmp/fixup-debs-time.XXXXXX)"; dir="$work/w"; out="$work/out"; mkdir -p "$out"
declare -A prog
while IFS=$'\t' read -r name pkg path; do prog[${name#@}]="$cache/$pkg/$path"; done < <(grep '^@' "$res/workloads.tsv")
bb="${prog[busybox]}"
qemu="$(command -v qemu-i386 || echo qemu-i386)"
[ -x "$bb" ] || { echo "time-debs: $bb missing (run scripts/fetch-debs.sh)" >&2; exit 1; }
# A copy of the jar (with its own class-data archive, as ./fixup makes one), so that edits to the
# sources during a long run do not rebuild the jar under it.
(cd "$here" && ./fixup run "$bb" true) >/dev/null 2>&1
cp "$here/fixup-cli/target/fixup.jar" "$work/fixup.jar"
java -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$work/fixup.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$work/fixup.jar" \
  run "$bb" true >/dev/null 2>&1
fixup_cmd=(java -XX:+UseSerialGC -XX:SharedArchiveFile="$work/fixup.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$work/fixup.jar")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {   # run MODE ID ARGV... : one run in a fresh fixture; writes $out/ID.MODE.{out,err,rc}; prints "wall_ms cpu_ms"
  local mode=$1 id=$2; shift 2
  sh "$res/fixture.sh" "$dir" "$bb" >/dev/null 2>&1
  local env=(env -i PATH="$dir/bin" LC_ALL=C TZ=UTC HOME="$dir") fixup=()
  case $mode in
    qemu) env+=("$qemu") ;;
    fixup|trace)
      env=(env -i PATH="$PATH" HOME="$HOME")
      fixup=("${fixup_cmd[@]}" run -U PATH -U HOME -E PATH="$dir/bin" -E LC_ALL=C -E TZ=UTC -E HOME="$dir")
      [ $mode = trace ] && fixup+=(-d sys -D "$out/$id.trace") ;;
  esac
  (cd "$dir" && /usr/bin/time -f '%e %U %S' -o "$out/time" "${env[@]}" "${fixup[@]}" "$@") \
    >"$out/$id.$mode.out" 2>"$out/$id.$mode.err" </dev/null
  echo $? > "$out/$id.$mode.rc"
  tail -1 "$out/time" | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}'   # after "Command exited with ..."
}
printf '%-22s %-6s %-6s %-6s %-4s %17s %17s %17s  %s\n' workload native qemu fixup same 'native ms(cpu)' 'qemu ms(cpu)' \
  'fixup ms(cpu)' 'ENOSYS under Fixup'
while IFS=$'\t' read -r -a row; do
  case "${row[0]}" in ''|\#*|@*) continue;; esac
  id=${row[0]} exe=${prog[${row[1]}]}
  if [ $# -gt 0 ] && [[ " $* " != *" $id "* ]]; then continue; fi
  [ -x "$exe" ] || { echo "$id: $exe missing"; continue; }
  declare -A t=()
  for mode in native qemu fixup; do
    wall=() cpu=()
    for ((i = 0; i < runs; i++)); do read -r w c < <(run $mode "$id" "$exe" "${row[@]:2}"); wall+=("$w"); cpu+=("$c"); done
    t[$mode]="$(printf '%s\n' "${wall[@]}" | median)($(printf '%s\n' "${cpu[@]}" | median))"
  done
  run trace "$id" "$exe" "${row[@]:2}" >/dev/null
  same=yes
  for f in out err rc; do cmp -s "$out/$id.native.$f" "$out/$id.fixup.$f" || same=no; done
  enosys=$(sed -n 's/^syscall: \([a-z_0-9]*\)(.*) = -38$/\1/p' "$out/$id.trace" | sort -u | tr '\n' ' ')
  printf '%-22s %-6s %-6s %-6s %-4s %17s %17s %17s  %s\n' "$id" "$(cat "$out/$id.native.rc")" "$(cat "$out/$id.qemu.rc")" \
    "$(cat "$out/$id.fixup.rc")" $same "${t[native]}" "${t[qemu]}" "${t[fixup]}" "$enosys"
done < "$res/workloads.tsv"
if [ $keep = 1 ]; then echo "outputs kept in $out"; else rm -rf "$work"; fi

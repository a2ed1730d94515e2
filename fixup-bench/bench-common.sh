# Sourced by the fixup-bench scripts after `set -eu`. Sets $root (the repository) and $me (the
# script's name, for messages).
root="$(cd "$(dirname "$0")/.." && pwd)"
me=$(basename "$0")

# Runs Maven in the repository with these arguments; its output (even -q prints colour resets) is
# shown only when the build fails, and then the script stops.
quiet_mvn() {
  if ! log=$(cd "$root" && mvn -B -q -Dstyle.color=never "$@" 2>&1); then
    printf '%s\n' "$log" >&2
    exit 1
  fi
}

# Brings fixup.jar and fixup-bench's classes up to date and sets $bench_cp, the class path of a
# benchmark JVM. The launcher rebuilds fixup.jar (and its class-data archive) when a source changed;
# another module may be mid-edit, so a failed rebuild falls back to the last good jar.
bench_classes() {
  "$root/fixup" --version >/dev/null 2>&1 || echo "$me: rebuilding fixup.jar failed; using the existing jar" >&2
  [ -f "$root/fixup-cli/target/fixup.jar" ] || { echo "$me: no fixup-cli/target/fixup.jar" >&2; exit 1; }
  quiet_mvn -pl fixup-bench -am compile
  bench_cp="$root/fixup-cli/target/fixup.jar:$root/fixup-bench/target/classes"
}

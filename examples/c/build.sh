#!/bin/sh
# Builds the C examples with gcc -m32 against our runtime (runtime/) and libgcc, linked by
# Fixup's own linker: gcc -B puts a directory whose `ld` runs `fixup ld` first on its search path,
# so gcc's collect2 hands fixup ld its usual command line (crt objects, -L, -lgcc, --build-id ...).
# Usage: build.sh [OUTDIR]   (default: examples/c/build, which is not committed)
# FIXUP: the command that runs fixup (default: the repository's ./fixup script).
# Prints the path of each program built. Needs gcc with 32-bit support (gcc-multilib).
set -eu
src="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$src/build}"
mkdir -p "$out"
CC="${CC:-gcc}"
FIXUP="${FIXUP:-$src/../../fixup}"
bin="$out/fixup-tools"
mkdir -p "$bin"
printf '#!/bin/sh\nexec %s ld "$@"\n' "$FIXUP" > "$bin/ld"
chmod +x "$bin/ld"
# Freestanding guest programs on the examples' own runtime. -ffreestanding: no hosted libc assumptions; -lgcc supplies
# __udivdi3/__divdi3/__umoddi3/__moddi3 for 64-bit division.
CFLAGS="-m32 -O2 -static -nostdlib -ffreestanding -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra"
# EXTRA_CFLAGS (e.g. "-O3 -march=i686") only for experiments that shake out more instruction forms.
CFLAGS="$CFLAGS ${EXTRA_CFLAGS:-}"
PROGRAMS="${PROGRAMS:-crc32 sort vm arith64 printf}"
for f in start.S sys.c string.c print.c; do
  $CC $CFLAGS -I"$src/runtime" -c "$src/runtime/$f" -o "$out/rt_${f%.*}.o"
done
for p in $PROGRAMS; do
  $CC $CFLAGS -no-pie -B"$bin/" -I"$src/runtime" -o "$out/$p" "$src/$p.c" \
    "$out/rt_start.o" "$out/rt_sys.o" "$out/rt_string.o" "$out/rt_print.o" -lgcc
  echo "$out/$p"
done

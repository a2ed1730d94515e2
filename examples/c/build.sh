#!/bin/sh
# Builds the C examples with gcc -m32 against our runtime (runtime/) and libgcc.
# Usage: build.sh [OUTDIR]   (default: examples/c/build, which is not committed)
# Prints the path of each program built. Needs gcc with 32-bit support (gcc-multilib).
set -eu
src="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$src/build}"
mkdir -p "$out"
CC="${CC:-gcc}"
# The flags of issue 3. -ffreestanding: no hosted libc assumptions; -lgcc supplies
# __udivdi3/__divdi3/__umoddi3/__moddi3 for 64-bit division.
CFLAGS="-m32 -O2 -static -nostdlib -ffreestanding -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra"
# EXTRA_CFLAGS (e.g. "-O3 -march=i686") only for experiments that shake out more instruction forms.
CFLAGS="$CFLAGS ${EXTRA_CFLAGS:-}"
PROGRAMS="${PROGRAMS:-crc32 sort vm arith64 printf}"
for f in start.S sys.c string.c print.c; do
  $CC $CFLAGS -I"$src/runtime" -c "$src/runtime/$f" -o "$out/rt_${f%.*}.o"
done
for p in $PROGRAMS; do
  $CC $CFLAGS -no-pie -I"$src/runtime" -o "$out/$p" "$src/$p.c" \
    "$out/rt_start.o" "$out/rt_sys.o" "$out/rt_string.o" "$out/rt_print.o" -lgcc
  echo "$out/$p"
done

#!/bin/sh
# Builds the EFAULT table program with gcc -m32 against examples/c/runtime and examples/proc/proc.h.
# Usage: build.sh [OUTDIR]   (default: examples/efault/build, not committed). Prints the program's path.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
rt="$here/../c/runtime"
out="${1:-$here/build}"
mkdir -p "$out"
CC="${CC:-gcc}"
CFLAGS="-m32 -O2 -static -nostdlib -ffreestanding -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -Wall -Wextra -Wno-unused-parameter"
for f in start.S sys.c string.c print.c; do
  $CC $CFLAGS -I"$rt" -c "$rt/$f" -o "$out/rt_${f%.*}.o"
done
$CC $CFLAGS -no-pie -I"$rt" -I"$here/../proc" -o "$out/efault_table" "$here/efault_table.c" \
  "$out/rt_start.o" "$out/rt_sys.o" "$out/rt_string.o" "$out/rt_print.o" -lgcc
echo "$out/efault_table"

#!/bin/sh
# Builds the root jail.c expects in DIR/jail (DIR/secret is the host file it must never read).
# usage: jail.sh DIR PROG   (PROG: jail.c built with gcc -m32 -static)
set -e
dir=$1; prog=$2
mkdir -p "$dir/jail/etc" "$dir/jail/d"
echo "SECRET host file" > "$dir/secret"
echo "jail-hostname" > "$dir/jail/etc/hostname"
echo "jail secret" > "$dir/jail/secret"
echo "d secret" > "$dir/jail/d/secret"
cp "$prog" "$dir/jail/prog"
cd "$dir/jail"
ln -s /etc/hostname escape
ln -s ../../.. up
ln -s / rootlink
ln -s ../../../.. d/rel
ln -s /etc d/abs
ln -s loop2 loop1
ln -s loop1 loop2
ln -s self self
ln -s /etc/hostname c0
i=1; while [ $i -le 41 ]; do ln -s c$((i-1)) c$i; i=$((i+1)); done
ln -s c38 chain40
ln -s c39 chain41

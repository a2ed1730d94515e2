#!/bin/sh
# Makes the working directory the Debian programs run in: text and number files, a small tree with
# fixed times, a bin/ of busybox applet links, and (when mke2fs is there) a deterministic ext2 image.
# usage: fixture.sh DIR BUSYBOX
set -e
umask 022
dir=$1 busybox=$2
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/d/sub"
cd "$dir"
for a in $("$busybox" --list); do ln -s "$busybox" "bin/$a"; done
printf '%s\n' 42 -7 3.5 100 0 17 -0.25 9 1e2 8 > nums.txt
printf '%s\n' apple apple banana cherry cherry cherry apple date banana banana > words.txt
printf 'alpha\nbeta gamma\n' > d/a.txt
printf 'one two three four\n' > d/b.txt
printf 'deep\n' > d/sub/c.txt
ln -s a.txt d/link
chmod 640 d/b.txt
touch -h -d '2024-01-02 03:04:05 UTC' d/link
touch -d '2024-01-02 03:04:05 UTC' d/a.txt d/b.txt d/sub/c.txt d/sub d
if command -v mke2fs >/dev/null 2>&1 || [ -x /sbin/mke2fs ]; then
  PATH=$PATH:/sbin:/usr/sbin E2FSPROGS_FAKE_TIME=1704164645 mke2fs -q -F -t ext2 -b 1024 -N 32 \
    -U 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 -E hash_seed=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 \
    -d d img.ext2 512 >/dev/null 2>&1 || rm -f img.ext2
  # the same file system with a wrong link count (inode 12 says 5 names, it has 1): e2fsck -n finds it
  cp img.ext2 bad.ext2 && PATH=$PATH:/sbin:/usr/sbin E2FSPROGS_FAKE_TIME=1704164645 \
    debugfs -w -R "sif a.txt links_count 5" bad.ext2 >/dev/null 2>&1 || rm -f bad.ext2
fi
touch -d '2024-01-02 03:04:05 UTC' . 

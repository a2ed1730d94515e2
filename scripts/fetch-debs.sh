#!/usr/bin/env bash
# Fetches Debian's i386 packages of the static programs the Debian programs test runs side by side
# with native execution, into a cache outside the repository, and extracts each into its own tree:
#   $FIXUP_DEBS/PKG_VERSION_i386.deb  and  $FIXUP_DEBS/x/PKG/{bin,usr,sbin,...}
# Needs `dpkg --add-architecture i386 && apt-get update` done beforehand (.ci/run does it as root).
# Idempotent and quiet: a package already extracted is not looked at again (delete its tree to refresh).
# Exit status 0 when every package is there, 1 when one could not be fetched (the tests then skip it).
set -uo pipefail
cache="${FIXUP_DEBS:-/var/cache/fixup-debs}"
pkgs=(busybox-static bash-static zsh-static sash mksh e2fsck-static gpgv-static)
[ $# -gt 0 ] && pkgs=("$@")
mkdir -p "$cache/x" || { echo "fetch-debs: cannot create $cache" >&2; exit 1; }
status=0
for p in "${pkgs[@]}"; do
  [ -f "$cache/x/$p/.fetched" ] && continue
  deb="$(ls "$cache/${p}"_*_i386.deb 2>/dev/null | head -1)"
  if [ -z "$deb" ]; then
    if ! command -v apt-get >/dev/null; then echo "fetch-debs: $p: apt-get not available" >&2; status=1; continue; fi
    if ! out="$(cd "$cache" && apt-get download -q "$p:i386" 2>&1)"; then
      echo "fetch-debs: $p:i386 could not be downloaded (dpkg --add-architecture i386 and apt-get update done?):" >&2
      echo "$out" | tail -2 >&2
      status=1; continue
    fi
    deb="$(ls "$cache/${p}"_*_i386.deb 2>/dev/null | head -1)"
  fi
  rm -rf "$cache/x/$p.tmp"
  if dpkg-deb -x "$deb" "$cache/x/$p.tmp"; then
    basename "$deb" > "$cache/x/$p.tmp/.fetched"
    rm -rf "$cache/x/$p" && mv "$cache/x/$p.tmp" "$cache/x/$p"
  else
    echo "fetch-debs: $p: dpkg-deb -x $deb failed" >&2
    rm -rf "$cache/x/$p.tmp"; status=1
  fi
done
exit $status

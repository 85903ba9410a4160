#!/bin/sh
# storage-health.sh MOUNTPOINT: the cluster filesystem as this node sees it, as sections that NodeStorageRead reads (each
# starts with "@@storageha:NAME" on a line of its own, the last one is "end"):
#   mounts     the lines of /proc/self/mountinfo whose mount point is MOUNTPOINT (none: nothing is mounted there)
#   directory  "exists" or "missing", only when nothing is mounted
#   space      df -P -B1 MOUNTPOINT, then "exit N"
#   inodes     df -P -i MOUNTPOINT, then "exit N"
#   writable   "exit N" (0: a file was created and removed under MOUNTPOINT), then what the write said
# Whatever touches the filesystem runs under timeout (5 s, exit 124): a hung FUSE mount must not hang the console's
# poller. Nothing is written when nothing is mounted (the file would land on the node's own disk). Exits 0; 2 without
# its argument.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ $# -lt 1 ]; then echo "usage: storage-health.sh MOUNTPOINT" >&2; exit 2; fi
mountpoint=$1
section() { printf '\n@@storageha:%s\n' "$1"; }
section mounts
# mountinfo writes a space in a path as \040; reading it never touches the mounted filesystem.
mounts=$(awk -v mp="$mountpoint" '{ p = $5; gsub(/\\040/, " ", p); if (p == mp) print }' /proc/self/mountinfo)
if [ -n "$mounts" ]; then printf '%s\n' "$mounts"; fi
if [ -z "$mounts" ]; then
  section directory
  if timeout -k 1 5 test -d "$mountpoint"; then echo exists; else echo missing; fi
else
  section space
  out=$(timeout -k 1 5 df -P -B1 "$mountpoint" 2>&1) && rc=0 || rc=$?
  printf '%s\nexit %s\n' "$out" "$rc"
  section inodes
  out=$(timeout -k 1 5 df -P -i "$mountpoint" 2>&1) && rc=0 || rc=$?
  printf '%s\nexit %s\n' "$out" "$rc"
  section writable
  # A name of this node's own: every node checks the same shared directory at the same time.
  file="$mountpoint/.storageha-health.$(hostname 2>/dev/null || echo node).$$"
  # $1 is the inner shell's argument, not this one's (SC2016).
  # shellcheck disable=SC2016
  out=$(timeout -k 1 5 sh -c ': > "$1" && rm -f "$1"' storageha-write "$file" 2>&1) && rc=0 || rc=$?
  printf 'exit %s\n%s\n' "$rc" "$out"
fi
section end

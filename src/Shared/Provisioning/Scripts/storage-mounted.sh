#!/bin/sh
# storage-mounted.sh MOUNTPOINT SECONDS: is the cluster filesystem mounted at MOUNTPOINT on this node, and writable?
# Waits up to SECONDS seconds (0: asks once), asking once a second, for the cluster may be mounting it right now.
# Exit 0 when a filesystem is mounted exactly there and a file can be created and removed in it, after printing
# "SOURCE FSTYPE" as findmnt's raw output gives them (a space as \x20): the console compares that line across the
# nodes, since every node must mount the same device, written the same (Samba's fileid module compares it).
# Exit 1 otherwise, after saying on standard error what is wrong.
set -eu
mountpoint=$1
waited=0
while ! mounted=$(findmnt -rn -o SOURCE,FSTYPE --mountpoint "$mountpoint" 2>/dev/null); do
  if [ "$waited" -ge "$2" ]; then
    if [ -d "$mountpoint" ]; then
      echo "$mountpoint is not a mount point: nothing is mounted there, so the data would land on this node's own disk" >&2
    else
      echo "$mountpoint does not exist" >&2
    fi
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
# Mounts stacked on one directory: the topmost is the one in use.
mounted=$(printf '%s\n' "$mounted" | tail -n 1)
probe="$mountpoint/.storageha-write-check.$(uname -n).$$"
# A hung network mount blocks the write: give up after 20 s instead of hanging the step. $1 is the inner shell's.
# shellcheck disable=SC2016
if ! timeout 20 sh -c ': > "$1" && rm -f "$1"' storageha-write-check "$probe" 2>/dev/null; then
  echo "$mountpoint is mounted ($mounted) but not writable: a file could not be created and removed there within 20 s" >&2
  exit 1
fi
echo "$mounted"

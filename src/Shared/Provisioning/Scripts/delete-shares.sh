#!/bin/sh
# delete-shares.sh NAME...: deletes these shares from the Samba registry, the ones that are there; their folders and
# data stay. Exit 0 when none of them is left; non-zero when net conf could not delete one.
set -eu
for share in "$@"; do
  if net conf showshare "$share" >/dev/null 2>&1; then net conf delshare "$share"; fi
done

#!/bin/sh
# shares-absent.sh NAME...: is none of these shares in the Samba registry? Exit 0 when none is; 1 when one is.
set -eu
for share in "$@"; do
  if net conf showshare "$share" >/dev/null 2>&1; then exit 1; fi
done

#!/bin/sh
# files-absent.sh PATH...: is none of these paths there? Exit 0 when none is; 1 when one is.
set -eu
for path in "$@"; do
  if [ -e "$path" ]; then exit 1; fi
done

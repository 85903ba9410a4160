#!/bin/sh
# files-restored.sh ORIGINALS PATH...: has every PATH been given back (restore-files.sh)? Exit 0 when each PATH is
# its restored original, or absent with no original waiting; 1 otherwise.
set -eu
originals=$1
shift
for path in "$@"; do
  kept=$originals$path
  if [ -e "$kept.orig" ] || [ -e "$kept.none" ]; then exit 1; fi
  if [ ! -e "$kept.restored" ] && [ -e "$path" ]; then exit 1; fi
done

#!/bin/sh
# restore-files.sh ORIGINALS PATH...: gives the server back what each PATH was before the console first wrote it
# (write-file.sh kept it under ORIGINALS): the original file, or nothing where there was none; a PATH the console
# wrote without keeping an original (its own files) is removed. A restored PATH is marked ORIGINALS/PATH.restored, so
# that running this again never removes a file it gave back. Exit 0 when done; non-zero when a step fails.
set -eu
originals=$1
shift
for path in "$@"; do
  kept=$originals$path
  if [ -e "$kept.orig" ]; then
    mv -f "$kept.orig" "$path"
    : > "$kept.restored"
  elif [ ! -e "$kept.restored" ]; then
    rm -f "$path" "$kept.none"
  fi
done

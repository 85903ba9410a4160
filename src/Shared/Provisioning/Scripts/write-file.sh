#!/bin/sh
# write-file.sh PATH MODE ORIGINALS: writes standard input to PATH with MODE (octal, as chmod takes it), creating
# PATH's directory. The first time the console writes PATH it keeps what was there under ORIGINALS (ORIGINALS/PATH.orig,
# or ORIGINALS/PATH.none when there was nothing), so that a teardown gives the server its own file back
# (restore-files.sh).
# Atomic: the content goes to a temporary file beside PATH that is renamed over it, so a reader sees the old file or
# the new one, never half of one; a failed write leaves no temporary file behind.
# Exit 0 when written; non-zero when a step fails (PATH then is as it was).
set -eu
path=$1 mode=$2 kept=$3$1
if [ ! -e "$kept.orig" ] && [ ! -e "$kept.none" ]; then
  mkdir -p "$(dirname "$kept")"
  rm -f "$kept.restored"
  if [ -e "$path" ]; then cp -p "$path" "$kept.orig"; else : > "$kept.none"; fi
fi
mkdir -p "$(dirname "$path")"
temp=$(mktemp "$path.XXXXXX")
trap 'rm -f "$temp"' EXIT
cat > "$temp"
chmod "$mode" "$temp"
mv -f "$temp" "$path"

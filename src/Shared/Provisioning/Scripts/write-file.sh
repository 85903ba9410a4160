#!/bin/sh
# write-file.sh PATH MODE: writes standard input to PATH with MODE (octal, as chmod takes it), creating PATH's directory.
# Atomic: the content goes to a temporary file beside PATH that is renamed over it, so a reader sees the old file or
# the new one, never half of one; a failed write leaves no temporary file behind.
# Exit 0 when written; non-zero when a step fails (PATH then is as it was).
set -eu
mkdir -p "$(dirname "$1")"
temp=$(mktemp "$1.XXXXXX")
trap 'rm -f "$temp"' EXIT
cat > "$temp"
chmod "$2" "$temp"
mv -f "$temp" "$1"

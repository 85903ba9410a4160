#!/bin/sh
# file-is.sh PATH MODE: is PATH already written, holding exactly standard input, with MODE (octal, as stat -c %a shows it)?
# Exit 0 when it is; 1 when PATH is missing, has another mode or other content.
set -eu
if [ "$(stat -c %a "$1" 2>/dev/null)" != "$2" ]; then exit 1; fi
cmp -s - "$1" || exit 1

#!/bin/sh
# fence-secret-is.sh FILE: does FILE already hold the first line of standard input, root-only (mode 600), with its MD5
# in FILE.sign (what pacemaker-fenced checks)? Compares inside the shell: the password is never in an argv.
# Exit 0 when it does; 1 when a file is missing, open to others, or holds another value or sum.
set -eu
IFS= read -r secret || true
if [ ! -f "$1" ] || [ ! -f "$1.sign" ]; then exit 1; fi
if [ "$(stat -c %a "$1")" != 600 ] || [ "$(stat -c %a "$1.sign")" != 600 ]; then exit 1; fi
if [ "$(cat "$1")" != "$secret" ]; then exit 1; fi
if [ "$(cat "$1.sign")" != "$(printf '%s' "$secret" | md5sum | cut -d ' ' -f 1)" ]; then exit 1; fi

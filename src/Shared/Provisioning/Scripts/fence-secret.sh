#!/bin/sh
# fence-secret.sh FILE: keeps a fence device's password as Pacemaker's CIB secrets do (cibsecret's files): the first
# line of standard input in FILE and its MD5 in FILE.sign, both root-only (mode 600, directories 700). The CIB holds
# "lrm://" instead, and pacemaker-fenced reads FILE (checking the sum) when it registers the device. The password is
# never in an argv.
# Exit 0 when both files are written; 2 when standard input is empty; another non-zero when a step fails.
set -eu
umask 077
IFS= read -r secret || true
if [ -z "$secret" ]; then echo "fence-secret: no password on standard input" >&2; exit 2; fi
mkdir -p "$(dirname "$1")"
printf '%s\n' "$secret" > "$1.new"
printf '%s' "$secret" | md5sum | cut -d ' ' -f 1 > "$1.sign.new"
mv -f "$1.new" "$1"
mv -f "$1.sign.new" "$1.sign"

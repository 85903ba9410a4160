#!/bin/sh
# smb-password.sh set|delete USER: a local user's SMB password in the cluster's passdb (with clustering = yes it lives
# in CTDB, so one node sets it for all). set: the first line of standard input becomes USER's password (smbpasswd -s
# reads it twice; it never is an argument). delete: USER leaves the passdb, when it is there.
# Exit 0 when done; non-zero with smbpasswd's or pdbedit's message otherwise.
set -eu
if [ "$1" = set ]; then
  IFS= read -r password || true
  printf '%s\n%s\n' "$password" "$password" | smbpasswd -s -a "$2" > /dev/null
elif pdbedit --user="$2" > /dev/null 2>&1; then
  pdbedit --delete --user="$2" > /dev/null
fi

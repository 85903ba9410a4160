#!/bin/sh
# set-password.sh USER: sets USER's password to the first line of standard input (a secret never goes in an argv).
# Exit 0 when chpasswd took it; non-zero otherwise.
set -eu
IFS= read -r password || true
printf '%s:%s\n' "$1" "$password" | chpasswd

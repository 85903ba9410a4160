#!/bin/sh
# install-key.sh KEY: adds the line KEY (a public key) to this user's ~/.ssh/authorized_keys, once: a line that is
# already there is not added again. A new ~/.ssh and authorized_keys are private to the user (umask 077).
# Exit 0 when the key is in the file; non-zero when it could not be written.
set -eu
umask 077
directory=$HOME/.ssh
file=$directory/authorized_keys
mkdir -p "$directory"
touch "$file"
if ! grep -qxF "$1" "$file"; then printf '%s\n' "$1" >> "$file"; fi

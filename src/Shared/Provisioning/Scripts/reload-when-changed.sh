#!/bin/sh
# reload-when-changed.sh FILE STAMP RUNNING ARGUMENT RELOAD...: tells a running daemon to re-read FILE, then records
# FILE in STAMP.
#   RUNNING ARGUMENT  a command that succeeds only while the daemon runs (e.g. corosync-cfgtool -s)
#   RELOAD...         the command that makes it re-read FILE (e.g. corosync-cfgtool -R); not run when it is stopped,
#                     as a stopped daemon reads FILE when it starts
# The stamp is how a re-run knows the daemon has this version (cmp FILE STAMP).
# Exit 0 when done; non-zero when RELOAD or the copy failed (then STAMP is not updated, and a re-run reloads again).
set -eu
file=$1
stamp=$2
running=$3
argument=$4
shift 4
if "$running" "$argument" >/dev/null 2>&1; then "$@"; fi
mkdir -p "$(dirname "$stamp")"
cp "$file" "$stamp"

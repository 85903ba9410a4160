#!/bin/sh
# seed-file.sh PATH OWNER: writes standard input to PATH, owned by OWNER (user:group) and private to it (mode 600),
# only where PATH does not exist yet: a file a running service has since rewritten is never replaced.
# Atomic like write-file.sh (a temporary file renamed over PATH). Exit 0 when PATH exists (already, or now); non-zero
# when a step fails.
set -eu
if [ -e "$1" ]; then exit 0; fi
mkdir -p "$(dirname "$1")"
temp=$(mktemp "$1.XXXXXX")
trap 'rm -f "$temp"' EXIT
cat > "$temp"
chown "$2" "$temp"
mv -f "$temp" "$1"

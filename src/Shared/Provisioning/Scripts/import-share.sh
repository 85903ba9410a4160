#!/bin/sh
# import-share.sh NAME: replaces the registry share NAME with the section on standard input ("[NAME]" and its
# parameters, as `net conf showshare` prints it): net conf import of that one share; the other shares stay.
# Exit 0 when imported; non-zero when net conf refused it.
set -eu
section=$(mktemp)
trap 'rm -f "$section"' EXIT
cat > "$section"
net conf import "$section" "$1"

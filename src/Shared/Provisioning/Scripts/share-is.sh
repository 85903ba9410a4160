#!/bin/sh
# share-is.sh NAME: does the registry already hold share NAME exactly as on standard input (as net conf showshare
# prints it)? Exit 0 when it does; 1 when the share is missing or differs.
set -eu
share=$(net conf showshare "$1" 2>/dev/null) || exit 1
[ "$share" = "$(cat)" ] || exit 1

#!/bin/sh
# directories-exist.sh DIRECTORY...: is every DIRECTORY there? Exit 0 when all are; 1 when one is not.
set -eu
for directory in "$@"; do
  [ -d "$directory" ] || exit 1
done

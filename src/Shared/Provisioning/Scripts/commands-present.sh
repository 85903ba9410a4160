#!/bin/sh
# commands-present.sh COMMAND...: is every COMMAND on the PATH?
# Exit 0 when all are; 1 when some are not, after printing "missing: NAME NAME..." to standard error (all of them,
# so the admin installs what is missing in one go).
set -eu
missing=
for command in "$@"; do
  command -v "$command" >/dev/null 2>&1 || missing="$missing $command"
done
if [ -n "$missing" ]; then
  echo "missing:$missing" >&2
  exit 1
fi

#!/bin/sh
# in-directory.sh DIRECTORY COMMAND [ARGUMENT...]: runs COMMAND inside DIRECTORY, the CIB batch's private directory,
# where the batch's commands name cib.xml relatively.
# Exit: COMMAND's exit code; non-zero when DIRECTORY cannot be entered (COMMAND then never runs).
set -eu
cd "$1"
shift
exec "$@"

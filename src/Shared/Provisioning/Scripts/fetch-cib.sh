#!/bin/sh
# fetch-cib.sh ORIGINAL COPY: the live CIB into ORIGINAL (what the push compares against) and into COPY (what the
# batch edits), in the current directory: the batch's private one.
# Exit 0 when both are written; non-zero when pcs cannot read the CIB.
set -eu
pcs cluster cib "$1"
cp "$1" "$2"

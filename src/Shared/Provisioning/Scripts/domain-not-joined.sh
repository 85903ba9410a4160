#!/bin/sh
# domain-not-joined.sh: is the cluster no member of a domain (any more)? Exit 0 when net ads testjoin fails (not
# joined, or the domain no longer knows the cluster); 1 while the cluster is still joined.
set -eu
if net ads testjoin >/dev/null 2>&1; then echo "still joined"; exit 1; fi

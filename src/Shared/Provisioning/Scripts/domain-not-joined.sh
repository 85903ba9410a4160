#!/bin/sh
# domain-not-joined.sh: is the cluster no member of a domain (any more)? Exit 0 only when net ads testjoin says the
# join is not valid (never joined, left, or the account is gone); 1 while joined, and 1 when net could not tell (e.g.
# CTDB, which holds the machine account's secret, not answering yet), so a leave is never skipped by mistake.
set -eu
said=$(net ads testjoin 2>&1) && { echo "still joined"; exit 1; }
case $said in
  *"Join to domain is not valid"*) exit 0 ;;
  *) printf 'net ads testjoin could not tell: %s\n' "$said"; exit 1 ;;
esac

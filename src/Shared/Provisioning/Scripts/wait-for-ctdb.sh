#!/bin/sh
# wait-for-ctdb.sh SECONDS: waits until CTDB reports every node healthy (the registry, and so the shares, needs it),
# asking once a second for at most SECONDS seconds.
# Exit 0 when healthy; 1 when time ran out, after printing `ctdb status` to standard error (which node is not).
set -eu
waited=0
until ctdb nodestatus all >/dev/null 2>&1; do
  if [ "$waited" -ge "$1" ]; then
    ctdb status >&2 || true
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done

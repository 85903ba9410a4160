#!/bin/sh
# forget-cluster-state.sh: deletes what a stopped node kept of its cluster, as `pcs cluster destroy` does: Pacemaker's
# CIB (with every resource: a node that still had it would start the cluster's VIPs at its next boot) and corosync's
# state. Only when neither daemon runs. Exit 0 when done; 1 when corosync or pacemaker still runs (nothing deleted).
set -eu
if pidof corosync >/dev/null 2>&1 || pidof pacemakerd >/dev/null 2>&1; then
  echo "corosync or pacemaker still runs here: stop the cluster on this node first" >&2
  exit 1
fi
rm -f /var/lib/pacemaker/cib/cib* /var/lib/corosync/*

#!/bin/sh
# cluster-running.sh: do corosync and pacemaker both run? Exit 0 when they do; non-zero when one does not.
set -eu
service corosync status >/dev/null 2>&1
service pacemaker status >/dev/null 2>&1

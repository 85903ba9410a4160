#!/bin/sh
# cluster-stopped.sh: are pacemaker and corosync both stopped? Exit 0 when they are; 1 when one still runs.
set -eu
if service pacemaker status >/dev/null 2>&1 || service corosync status >/dev/null 2>&1; then exit 1; fi

#!/bin/sh
# stop-cluster.sh: stops pacemaker, then corosync (the reverse of start-cluster.sh).
# Exit 0 when both stopped; non-zero when one did not (corosync keeps running under a pacemaker that failed to stop).
set -eu
service pacemaker stop
service corosync stop

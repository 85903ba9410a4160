#!/bin/sh
# start-cluster.sh: starts corosync, then pacemaker, through `service` (systemctl on systemd hosts, the init scripts
# elsewhere). Exit 0 when both started; non-zero when one did not (pacemaker is not started without corosync).
set -eu
service corosync start
service pacemaker start

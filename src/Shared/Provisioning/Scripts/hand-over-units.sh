#!/bin/sh
# hand-over-units.sh RECORD UNIT...: hands each installed UNIT from systemd to the cluster: systemd no longer starts it
# at boot, and it is stopped unless the cluster already runs it (Pacemaker's systemd: agent marks a unit it runs with
# a "Cluster Controlled" drop-in; stopping that one would fail the service). A UNIT that was enabled is added to
# RECORD, so that a teardown enables it again (give-back-units.sh). A UNIT that is not installed is skipped.
# One systemctl call disables them all and one stops them all (each call reloads or waits on systemd: per unit, a
# hand-over took 15 s). Exit 0 when every UNIT is handed over; non-zero when systemctl fails.
set -eu
record=$1
shift
mkdir -p "$(dirname "$record")"
enabled=
running=
for unit in "$@"; do
  enablement=$(systemctl is-enabled "$unit" 2>/dev/null) || true
  if [ -z "$enablement" ] || [ "$enablement" = not-found ]; then continue; fi
  if [ "$enablement" = enabled ]; then
    grep -qxF "$unit" "$record" 2>/dev/null || echo "$unit" >> "$record"
    enabled="$enabled $unit"
  fi
  if systemctl is-active --quiet "$unit" && [ ! -e "/run/systemd/system/$unit.service.d/50-pacemaker.conf" ]; then
    running="$running $unit"
  fi
done
# The lists are unit names, split into words on purpose.
# shellcheck disable=SC2086
if [ -n "$enabled" ]; then systemctl disable --quiet $enabled; fi
# shellcheck disable=SC2086
if [ -n "$running" ]; then systemctl stop $running; fi

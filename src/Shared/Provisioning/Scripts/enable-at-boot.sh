#!/bin/sh
# enable-at-boot.sh RECORD UNIT...: has systemd start each UNIT at boot (as `pcs cluster enable` does for corosync and
# pacemaker, so that a rebooted node rejoins by itself). A UNIT this enables is added to RECORD, so that a teardown
# disables it again (give-back-units.sh). Exit 0 when every UNIT is enabled; non-zero when systemctl fails.
set -eu
record=$1
shift
mkdir -p "$(dirname "$record")"
for unit in "$@"; do
  if [ "$(systemctl is-enabled "$unit" 2>/dev/null || true)" != enabled ]; then
    grep -qxF "$unit" "$record" 2>/dev/null || echo "$unit" >> "$record"
    systemctl enable --quiet "$unit"
  fi
done

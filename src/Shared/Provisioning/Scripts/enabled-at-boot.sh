#!/bin/sh
# enabled-at-boot.sh UNIT...: does systemd start every UNIT at boot? Exit 0 when each is enabled; 1 otherwise.
set -eu
for unit in "$@"; do
  if [ "$(systemctl is-enabled "$unit" 2>/dev/null || true)" != enabled ]; then exit 1; fi
done

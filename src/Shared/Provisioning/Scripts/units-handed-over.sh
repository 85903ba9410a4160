#!/bin/sh
# units-handed-over.sh UNIT...: has systemd let go of every UNIT (neither enabled nor active), so that only the
# cluster starts it? Exit 0 when it has; 1 when a UNIT is still enabled or running under systemd.
set -eu
for unit in "$@"; do
  if systemctl is-enabled --quiet "$unit" || systemctl is-active --quiet "$unit"; then exit 1; fi
done

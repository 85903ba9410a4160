#!/bin/sh
# units-handed-over.sh UNIT...: has systemd let go of every installed UNIT, so that only the cluster starts it? Exit 0
# when each is not enabled at boot and runs only under the cluster (or not at all); 1 when one is enabled, or runs on
# its own. Under Pacemaker a unit is active: that alone is not a reason to hand it over again.
set -eu
for unit in "$@"; do
  enablement=$(systemctl is-enabled "$unit" 2>/dev/null) || true
  if [ "$enablement" = enabled ]; then exit 1; fi
  if systemctl is-active --quiet "$unit" && [ ! -e "/run/systemd/system/$unit.service.d/50-pacemaker.conf" ]; then exit 1; fi
done

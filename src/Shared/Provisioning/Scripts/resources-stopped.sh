#!/bin/sh
# resources-stopped.sh RESOURCE...: does none of these resources run anywhere (or exist at all any more)?
# Exit 0 when none runs; 1 when crm_resource locates one running on a node.
set -eu
for resource in "$@"; do
  if crm_resource --resource "$resource" --locate 2>/dev/null | grep -q 'is running on'; then exit 1; fi
done

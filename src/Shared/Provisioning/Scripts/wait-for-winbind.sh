#!/bin/sh
# wait-for-winbind.sh WORKGROUP TIMEOUT: waits up to TIMEOUT seconds until this node's winbind works for the domain
# just joined: the trust secret checks out (wbinfo -t) and the domain's "Domain Users" group resolves through NSS. A
# winbindd started before the join learns of it on its own, within its reconnect delay; the folders and shares set
# up next need it. Exit 0 when it works; 1 with wbinfo's words when it did not in time.
set -eu
deadline=$(( $(date +%s) + $2 ))
until said=$(wbinfo -t 2>&1) && getent group "$1\\domain users" >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "winbind does not work for $1 after $2 s: $(printf '%s\n' "$said" | tail -n 1)" >&2
    exit 1
  fi
  sleep 1
done

#!/bin/sh
# wait-for-winbind.sh WORKGROUP TIMEOUT [CLONE NODE]: waits up to TIMEOUT seconds until this node's winbind works for the
# domain just joined: the trust secret checks out (wbinfo -t) and the domain's "Domain Users" group resolves through NSS.
# winbindd reads the domain it serves when it starts: one Pacemaker started before the domain's settings reached the
# registry serves the default WORKGROUP until it restarts. Given winbind's CLONE and this NODE's name in the cluster,
# such a winbindd is restarted on this node under Pacemaker first (Samba here with it: one node at a time, so the plan
# runs this per node). Exit 0 when it works; 1 with wbinfo's words when it did not in time. Without CLONE and with
# TIMEOUT 0: only says whether it works now.
set -eu
# A winbindd not running yet (wbinfo prints nothing or "(null)") reads the settings when Pacemaker starts it: only a
# running one serving another domain is restarted; a restart refused (it stopped meanwhile) is left to the wait.
own=$(wbinfo --own-domain 2>/dev/null || true)
case $own in ''|'(null)') own= ;; esac
if [ -n "${3:-}" ] && [ -n "$own" ] && [ "$own" != "$1" ]; then
  if pcs resource restart "$3" "$4" --wait=60 >/dev/null 2>&1; then
    echo "winbind served '$own', not $1: restarted it on $4"
  else
    echo "winbind served '$own', not $1: its restart on $4 was refused; waiting for it"
  fi
fi
deadline=$(( $(date +%s) + $2 ))
until said=$(wbinfo -t 2>&1) && getent group "$1\\domain users" >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "winbind does not work for $1 after $2 s: $(printf '%s\n' "$said" | tail -n 1)" >&2
    exit 1
  fi
  sleep 1
done

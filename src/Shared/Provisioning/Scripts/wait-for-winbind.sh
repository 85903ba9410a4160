#!/bin/sh
# wait-for-winbind.sh WORKGROUP TIMEOUT [CLONE NODE]: waits up to TIMEOUT seconds until this node's winbind works for the
# domain just joined: the trust secret checks out (wbinfo -t) and the domain's "Domain Users" group resolves through NSS.
# winbindd reads the domain it serves when it starts: one Pacemaker started before the domain's settings reached the
# registry serves the default WORKGROUP until it restarts. Given winbind's CLONE and this NODE's name in the cluster,
# such a winbindd is restarted on this node under Pacemaker (Samba here with it: one node at a time, so the plan
# runs this per node). Exit 0 when it works; 1 with wbinfo's words when it did not in time. Without CLONE and with
# TIMEOUT 0: only says whether it works now.
set -eu
deadline=$(( $(date +%s) + $2 ))
tries=0
until said=$(wbinfo -t 2>&1) && getent group "$1\\domain users" >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "winbind does not work for $1 after $2 s: $(printf '%s\n' "$said" | tail -n 1)" >&2
    exit 1
  fi
  # Asked on every round, not once: Pacemaker may start winbindd during the wait, and one that runs (it answers a
  # ping) serving another domain, or none ("(null)": it started before the registry held any), is restarted. One
  # not running is left to Pacemaker. A restart refused (it stopped meanwhile) is tried again, three times at most.
  own=$(wbinfo --own-domain 2>/dev/null || true)
  if [ -n "${3:-}" ] && [ "$tries" -lt 3 ] && [ "$own" != "$1" ] && wbinfo -p >/dev/null 2>&1; then
    tries=$((tries + 1))
    if pcs resource restart "$3" "$4" --wait=60 >/dev/null 2>&1; then
      echo "winbind served '${own:-(null)}', not $1: restarted it on $4"
      tries=3
    else
      echo "winbind served '${own:-(null)}', not $1: its restart on $4 was refused"
    fi
  fi
  sleep 1
done

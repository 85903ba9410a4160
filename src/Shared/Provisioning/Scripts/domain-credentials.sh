#!/bin/sh
# domain-credentials.sh REALM WORKGROUP: asks the domain whether the administrator given on standard input (name on the
# first line, password on the second) may log in, before the plan changes anything: a wrong name or password then stops
# the apply with nothing done. An authenticated LDAP search of the domain's own object, with an empty config (-s
# /dev/null: the node's smb.conf may be the cluster's, which needs CTDB). The password reaches net through a file
# descriptor (PASSWD_FD), never an argv or the environment. No administrator given: nothing to check (the join asks for
# one if it must run). Exit 0 when the domain accepted them; 1 with net's words when it refused.
set -eu
IFS= read -r user || true
if [ -z "$user" ]; then
  echo "no domain administrator given: not checked (the join asks for one when the cluster is not joined yet)"
  exit 0
fi
if said=$(PASSWD_FD=0 timeout 30 net -s /dev/null --realm="$1" -W "$2" ads search -U "$user" '(objectClass=domain)' dn 2>&1); then
  echo "$1 accepts $user"
  exit 0
fi
echo "$1 refused $user: $(printf '%s\n' "$said" | grep -v -e '^Error reading password' -e '^$' | tail -n 2 | tr '\n' ' ')" >&2
exit 1

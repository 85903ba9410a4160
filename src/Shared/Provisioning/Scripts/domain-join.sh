#!/bin/sh
# domain-join.sh REALM: joins the cluster to the Active Directory domain REALM (the registry's realm) once — one machine account for all
# nodes, its secret in the databases CTDB replicates. Standard input: the administrator's name on the first line, the
# password on the second; the password reaches net through a file descriptor (PASSWD_FD), never an argv or the
# environment. No DNS update here: the nodes' own addresses never go into the domain's DNS.
# Exit 0 when joined (or already joined); net's own message and exit code otherwise.
set -eu
if net ads testjoin >/dev/null 2>&1; then echo "already joined to $1"; exit 0; fi
IFS= read -r user || true
[ -n "$user" ] || { echo "the join needs a domain administrator's name and password" >&2; exit 2; }
PASSWD_FD=0 net ads join --no-dns-updates -U "$user"

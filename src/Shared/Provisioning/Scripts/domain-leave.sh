#!/bin/sh
# domain-leave.sh REALM: the cluster leaves the Active Directory domain REALM and deletes its machine account there.
# Standard input: the administrator's name on the first line, the password on the second (read by net through
# PASSWD_FD, never an argv). Exit 0 when left (or not joined); net's own message and exit code otherwise.
set -eu
if ! net ads testjoin >/dev/null 2>&1; then echo "not joined to $1: nothing to leave"; exit 0; fi
IFS= read -r user || true
[ -n "$user" ] || { echo "leaving the domain needs a domain administrator's name and password" >&2; exit 2; }
PASSWD_FD=0 net ads leave -U "$user"

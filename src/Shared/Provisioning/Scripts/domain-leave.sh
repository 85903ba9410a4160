#!/bin/sh
# domain-leave.sh REALM: the cluster leaves the Active Directory domain REALM and deletes its machine account there.
# Standard input: the administrator's name on the first line, the password on the second (read by net through
# PASSWD_FD, never an argv). Exit 0 when left (or not joined); 3 when the domain only disabled the machine account;
# net's own message and exit code otherwise.
set -eu
if ! net ads testjoin >/dev/null 2>&1; then echo "not joined to $1: nothing to leave"; exit 0; fi
IFS= read -r user || true
[ -n "$user" ] || { echo "leaving the domain needs a domain administrator's name and password" >&2; exit 2; }
left=$(PASSWD_FD=0 net ads leave -U "$user" 2>&1) && rc=0 || rc=$?
# net asks its file descriptor for the password twice and complains of the second, empty read even when it left.
printf '%s\n' "$left" | grep -v -e '^Error reading password from file descriptor' -e '^$' || true
# net falls back to disabling the account when it may not delete it, and still exits 0: say so, it is not gone.
case $left in
  *"Disabled account"*) echo "the cluster left $1, but its machine account could only be disabled, not deleted: delete it in the domain by hand" >&2; exit 3 ;;
esac
[ "$rc" -eq 0 ] && echo "left $1: its machine account is deleted"
exit "$rc"

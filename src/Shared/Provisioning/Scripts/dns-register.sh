#!/bin/sh
# dns-register.sh set|check FQDN ADDRESS...: the cluster's name in the domain's DNS with exactly the virtual IPs, so
# clients find \\NAME on the addresses that move, never on a node's own. Registered by the cluster's machine account
# (net ads dns register -P: a member may write its own name's records).
#   set    registers FQDN with the addresses (replacing what it had)
#   check  exit 0 when the resolver answers FQDN with exactly the addresses; 1 otherwise
set -eu
mode=$1 fqdn=$2
shift 2
wanted=$(printf '%s\n' "$@" | sort -u)
case $mode in
  check) [ "$(getent ahosts "$fqdn" 2>/dev/null | awk '{ print $1 }' | sort -u)" = "$wanted" ] ;;
  set) net ads dns register -P "$fqdn" "$@" ;;
  *) echo "dns-register.sh: set or check, not '$mode'" >&2; exit 2 ;;
esac

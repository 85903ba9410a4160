#!/bin/sh
# connected-clients.sh: who is connected to this node, as sections that ConnectedClientsRead reads (each starts with
# "@@storageha:NAME" on a line of its own, the last one is "end"):
#   pnn          this node's CTDB number (`ctdb pnn`), empty without CTDB: smbstatus lists the sessions of every node
#   smbstatus    "exit N", then `smbstatus --json` (Samba 4.16+); "missing" when Samba is not installed
#   nfs          "exit N", then Ganesha's ClientMgr ShowClients over the system D-Bus as dbus-send prints it;
#                "missing" when dbus-send is not installed
#   connections  established TCP connections to ports 445 and 2049 (`ss -Htn`): local and peer address, so that each
#                client is shown with the address it came in through (a VIP or the node's own)
# Read-only. Each tool runs under timeout (5 s, exit 124): smbstatus waits while CTDB recovers its databases, and the
# console polls this every few seconds. Exits 0.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
section() { printf '\n@@storageha:%s\n' "$1"; }
section pnn
if command -v ctdb >/dev/null 2>&1; then timeout -k 1 5 ctdb pnn 2>/dev/null || true; fi
section smbstatus
if command -v smbstatus >/dev/null 2>&1; then
  out=$(timeout -k 1 5 smbstatus --json 2>&1) && rc=0 || rc=$?
  printf 'exit %s\n%s\n' "$rc" "$out"
else
  echo missing
fi
section nfs
if command -v dbus-send >/dev/null 2>&1; then
  out=$(timeout -k 1 5 dbus-send --system --print-reply --dest=org.ganesha.nfsd /org/ganesha/nfsd/ClientMgr \
    org.ganesha.nfsd.clientmgr.ShowClients 2>&1) && rc=0 || rc=$?
  printf 'exit %s\n%s\n' "$rc" "$out"
else
  echo missing
fi
section connections
ss -Htn state established '( sport = :445 or sport = :2049 )' 2>/dev/null | awk '{ print $(NF-1), $NF }'
section end

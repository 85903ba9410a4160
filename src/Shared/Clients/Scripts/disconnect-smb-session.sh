#!/bin/sh
# disconnect-smb-session.sh PID CLIENT: ends one SMB client connection on this node. smbd serves each client connection
# in a process of its own, so asking that process to shut down (`smbcontrol PID shutdown`) ends exactly this client's
# connection, with its session and tree connects, cleanly (open files closed, locks released, its records removed);
# kill-client-ip would end every connection from that address, close-share every user's use of a share and leave the
# session to reconnect the tree. CLIENT is the connection's client end as smbstatus names it ("ipv4:ADDR:PORT"): the
# script first checks that process PID still serves it (`smbstatus -p`), so a process whose client already left, or a
# PID given to another process since, is not touched.
# Exits 0 when done; 3 when that connection is gone (prints why); 2 on bad arguments; else smbcontrol's status.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ $# -ne 2 ]; then echo "usage: disconnect-smb-session.sh PID CLIENT" >&2; exit 2; fi
pid=$1 client=$2
case $pid in *[!0-9]*|'') echo "PID must be a number" >&2; exit 2;; esac
status=$(timeout -k 1 10 smbstatus -p 2>&1) || { echo "smbstatus failed: $status" >&2; exit 1; }
# Under CTDB smbstatus lists every node's sessions, each process as PNN:PID; this node's own are the ones to look at.
pnn=""
if command -v ctdb >/dev/null 2>&1; then pnn=$(timeout -k 1 5 ctdb pnn 2>/dev/null || true); pnn=${pnn#PNN:}; fi
# smbstatus -p: one line per session, its server process first and the client's end in parentheses ("host (ipv4:A:P)").
if ! printf '%s\n' "$status" | awk -v pid="$pid" -v pnn="$pnn" -v client="($client)" \
  '($1 == pid || (pnn != "" && $1 == pnn ":" pid)) && index($0, client) { found = 1 } END { exit !found }'; then
  echo "no SMB session of $client is served by process $pid on this node: it has already ended"
  exit 3
fi
smbcontrol "$pid" shutdown

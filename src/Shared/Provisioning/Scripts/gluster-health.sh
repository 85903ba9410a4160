#!/bin/sh
# gluster-health.sh VOLUME: a GlusterFS volume as this node's glusterd sees it, as sections that GlusterHealthRead reads
# (each starts with "@@storageha:NAME" on a line of its own, the last one is "end"), each the CLI's XML then "exit N":
#   status  gluster volume status VOLUME --xml: the bricks that run (a brick of a node whose glusterd is down is absent)
#   info    gluster volume info VOLUME --xml: every brick the volume has
#   heal    gluster volume heal VOLUME info --xml: the entries waiting to heal, per brick
# The CLI exits 0 even when glusterd could not answer: the console reads the XML's opRet, never the exit code. Each call
# runs under timeout (10 s, exit 124; then the others are not asked): glusterd can block the CLI for minutes after a peer
# is lost. Exit 127 in a section: no gluster CLI here. The script exits 0; 2 without its argument.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ $# -lt 1 ]; then echo "usage: gluster-health.sh VOLUME" >&2; exit 2; fi
volume=$1
section() { printf '\n@@storageha:%s\n' "$1"; }
ask() {
  if command -v gluster >/dev/null 2>&1; then
    out=$(timeout -k 1 10 gluster --mode=script "$@" 2>&1) && rc=0 || rc=$?
  else
    out="gluster: command not found" rc=127
  fi
  printf '%s\nexit %s\n' "$out" "$rc"
}
section status; ask volume status "$volume" --xml
# A glusterd that let the status time out (waiting for a lost peer) would let these wait as long: the console asks another node.
if [ "$rc" = 124 ]; then section end; exit 0; fi
section info; ask volume info "$volume" --xml
section heal; ask volume heal "$volume" info --xml
section end

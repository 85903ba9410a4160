#!/bin/bash
# GlusterFS in the lab (lab.sh up --gluster): glusterd in every node and one replica volume over a brick per node,
# started but not mounted — mounting it is the console's job (a cloned ocf:heartbeat:Filesystem). Every node's
# glusterd state, configuration, logs and brick are its own (namespace nodes: boot.sh gives them a private
# /var/lib/glusterd and /srv on their disk, /etc is their overlay; systemd nodes: their whole disk).
# Called by lab.sh (not meant to be run by hand), with LAB_DIR and LAB_PREFIX set:
#
#   gluster.sh setup NODE...     glusterd in every node, peers probed from the first, the volume created (replica =
#                                the node count) with the lab's timeouts and started; returns when every brick is online
#   gluster.sh node-start NODE   after the node booted again: its glusterd answers and its brick is online, a heal asked
#   gluster.sh brick-kill NODE   SIGKILL of the node's brick process (glusterfsd) only; returns when the volume's status
#                                shows that brick offline
#   gluster.sh brick-start NODE  `gluster volume start VOL force` (starts the dead brick); returns when it is online
#   gluster.sh status            the volume and one line per brick, from `gluster volume status --xml`
#   gluster.sh heal-info [--wait SECONDS]  entries pending heal per brick and in all (--wait: until none are pending)
#   gluster.sh describe          the volume as lab.json's "gluster" (JSON)
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/lab.sh
LAB_DIR=${LAB_DIR:-} PREFIX=${LAB_PREFIX:-}
VOLUME=labvol
BRICK_PATH=/srv/gluster/$VOLUME
# Where the console is told to mount it: on each node's own disk (a namespace node's /mnt is the host's).
MOUNT_POINT=/srv/$VOLUME
# The same server string on every node: Samba's vfs_fileid (fileid:algorithm = fsname) needs one device everywhere.
DEVICE=localhost:/$VOLUME
# glusterd's own ping-timeout (Debian's 0 leaves a CLI call waiting 120 s on a dead peer; 10 s: it answers in ~20 s).
GLUSTERD_PING_TIMEOUT=10
# Mandatory on the volume: with Gluster's defaults a write blocks 76 s after a peer's power loss, with these 5 s.
VOLUME_OPTIONS="network.ping-timeout 5 server.tcp-user-timeout 5 server.keepalive-time 2 server.keepalive-interval 1 server.keepalive-count 3"
die() { echo "lab: gluster: $*" >&2; exit 1; }
say() { echo "lab: gluster: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

node_addr() { echo "192.0.2.$((10 + ${1#node}))"; }
node_names() { ls "$LAB_DIR/nodes" 2>/dev/null | sort -V; }
brick_of() { echo "$(node_addr "$1"):$BRICK_PATH"; }
init_kind() { sed -n 's/^INIT=//p' "$LAB_DIR/settings"; }
in_node() { local n=$1; shift; "$LAB" exec "$n" "$@"; }
gluster_in() { local n=$1; shift; in_node "$n" timeout 60 gluster --mode=script "$@"; }

# Inside a node ($1: glusterd.vol's ping-timeout, $2: the node's init, $3: the bricks' parent): glusterd with the lab's glusterd.vol, running
# and answering its CLI. A systemd node enables Debian's glusterd.service (installed disabled), as an admin does: it
# starts at every boot from then on. A namespace node's boot.sh starts glusterd once it has run there.
NODE_GLUSTERD='
vol=/etc/glusterfs/glusterd.vol
grep -qx "    option ping-timeout $1" "$vol" || sed -i "s/^\( *option ping-timeout\) .*/\1 $1/" "$vol" || exit 1
mkdir -p /var/log/glusterfs "$3" || exit 1
if [ "$2" = systemd ]; then systemctl enable --now --quiet glusterd.service || exit 1
elif ! pidof glusterd > /dev/null; then glusterd -p /run/glusterd.pid || exit 1; fi
for _ in $(seq 300); do gluster --mode=script pool list > /dev/null 2>&1 && exit 0; sleep 0.1; done
echo "glusterd does not answer its CLI within 30 s" >&2; exit 1
'
glusterd_up() { in_node "$1" bash -c "$NODE_GLUSTERD" glusterd "$GLUSTERD_PING_TIMEOUT" "$(init_kind)" "$(dirname "$BRICK_PATH")"; }

# `gluster volume status --xml` asked in the first node whose glusterd answers: "ADDRESS:PATH STATUS PID PORT" a
# brick (status 1 online, 0 offline); a brick whose node's glusterd is down is absent. Fails on opRet != 0 (the CLI's
# exit code is 0 even then).
brick_states() {
  local n xml
  for n in $(node_names); do
    xml=$(gluster_in "$n" volume status "$VOLUME" --xml 2> /dev/null) || continue
    awk -v path="$BRICK_PATH" -F'[<>]' '
      $2 == "opRet" && $3 != 0 { failed = 1 }
      $2 == "opErrstr" && $3 != "" { err = $3 }
      $2 == "node" { host = p = s = pid = port = "" }
      $2 == "hostname" { host = $3 }
      $2 == "path" { p = $3 }
      $2 == "status" { s = $3 }
      $2 == "pid" { pid = $3 }
      $2 == "port" { port = $3 }
      $2 == "/node" && p == path { print host ":" p, s, pid, port }
      END { if (failed) { print "volume status failed: " err > "/dev/stderr"; exit 1 } }' <<< "$xml" && return 0
  done
  echo "no node's glusterd answers volume status" >&2; return 1
}

# Returns when the bricks of NODES all have STATE (1 online, 0 offline) in the volume's status, or fails after SECONDS.
wait_bricks() {
  local want=$1 t=$2 end n bricks=; shift 2
  for n in "$@"; do bricks+=" $(brick_of "$n")"; done
  end=$(( SECONDS + t ))
  while [ $SECONDS -lt "$end" ]; do
    brick_states 2> /dev/null | awk -v want="$want" -v bricks="$bricks" '
      BEGIN { n = split(bricks, b, " "); for (i = 1; i <= n; i++) left[b[i]] = 1 }
      $2 == want { delete left[$1] }
      END { for (k in left) exit 1 }' && return 0
    sleep 0.2
  done
  return 1
}

setup() {
  local t0 n first=$1 pids=() p count bricks=() replica=()
  t0=$(now)
  for n in "$@"; do glusterd_up "$n" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || die "glusterd did not start in every node"; done
  say "glusterd answers in $* ($(since "$t0"))"
  for n in "${@:2}"; do gluster_in "$first" peer probe "$(node_addr "$n")" > /dev/null || die "$first cannot probe $n"; done
  for _ in $(seq 300); do
    count=$(gluster_in "$first" peer status 2> /dev/null | grep -c 'Peer in Cluster (Connected)')
    [ "$count" = $(($# - 1)) ] && break; sleep 0.1
  done
  [ "$count" = $(($# - 1)) ] || die "peers not all connected to $first within 30 s ($count of $(($# - 1)))"
  for n in "$@"; do bricks+=("$(brick_of "$n")"); done
  # One node: a plain volume (replica 1 is refused). Force: the bricks are on the nodes' root filesystem.
  [ $# -gt 1 ] && replica=(replica $#)
  gluster_in "$first" volume create "$VOLUME" "${replica[@]}" "${bricks[@]}" force > /dev/null || die "cannot create volume $VOLUME"
  # shellcheck disable=SC2086
  gluster_in "$first" volume set "$VOLUME" $VOLUME_OPTIONS > /dev/null || die "cannot set the volume's timeouts"
  gluster_in "$first" volume start "$VOLUME" > /dev/null || die "cannot start volume $VOLUME"
  wait_bricks 1 60 "$@" || die "not every brick is online within 60 s"
  say "volume $VOLUME (${replica[*]:-1 brick}) started, every brick online ($(since "$t0"))"
}

# After `lab.sh start`: glusterd answers (boot.sh or systemd started it), its brick is online, and the self-heal
# daemons are asked to heal what was written while it was down (otherwise they look every 10 minutes).
node_start() {
  local n=$1 t0; t0=$(now)
  glusterd_up "$n" || die "$n: glusterd does not run"
  wait_bricks 1 60 "$n" || die "$n's brick is not online within 60 s"
  gluster_in "$n" volume heal "$VOLUME" > /dev/null 2>&1 || say "$n: heal not started (the next self-heal crawl will)"
  say "$n's brick online ($(since "$t0"))"
}

brick_kill() {
  local n=$1 t0; t0=$(now)
  in_node "$n" pkill -KILL -x glusterfsd || die "$n has no brick process"
  wait_bricks 0 60 "$n" || die "$n's brick still shows online 60 s after its process was killed"
  say "$n's brick process killed; its brick is offline in the volume's status ($(since "$t0"))"
}

brick_start() {
  local n=$1 t0; t0=$(now)
  gluster_in "$n" volume start "$VOLUME" force > /dev/null || die "volume start $VOLUME force failed in $n"
  wait_bricks 1 60 "$n" || die "$n's brick is not online within 60 s"
  gluster_in "$n" volume heal "$VOLUME" > /dev/null 2>&1 || say "$n: heal not started (the next self-heal crawl will)"
  say "$n's brick online ($(since "$t0"))"
}

status() {
  local states n b line end=$((SECONDS + 60))
  # Right after a node's power loss glusterd cannot lock it until its ping-timeout: "Locking failed" for ~20 s.
  until states=$(brick_states 2> /dev/null); do
    [ $SECONDS -lt $end ] || { brick_states > /dev/null; exit 1; }
    sleep 1
  done
  echo "volume $VOLUME: $(awk '$2 == 1' <<< "$states" | wc -l) of $(node_names | wc -l) bricks online"
  for n in $(node_names); do
    b=$(brick_of "$n")
    line=$(awk -v b="$b" '$1 == b' <<< "$states")
    if [ -z "$line" ]; then echo "$n $b absent (its glusterd does not answer)"
    else awk -v n="$n" '{ print n, $1, ($2 == 1 ? "online pid " $3 " port " $4 : "offline") }' <<< "$line"; fi
  done
}

# "BRICK ENTRIES" a brick from `gluster volume heal VOL info` (ENTRIES "-" when the brick cannot be asked), and the
# total on the last line ("pending N", or "pending unknown" when a brick could not be asked).
heal_counts() {
  local n out
  for n in $(node_names); do
    out=$(gluster_in "$n" volume heal "$VOLUME" info 2> /dev/null) || continue
    awk '/^Brick / { b = $2 }
         /^Number of entries:/ { print b, $4; if ($4 == "-") u = 1; else s += $4 }
         END { print "pending", (u ? "unknown" : s + 0) }' <<< "$out"
    return 0
  done
  echo "no node's glusterd answers heal info" >&2; return 1
}

heal_info() {
  local wait=0 end counts
  if [ "${1:-}" = --wait ]; then [[ ${2:-} =~ ^[0-9]+$ ]] || die "usage: heal-info [--wait SECONDS]"; wait=$2; fi
  end=$(( SECONDS + wait ))
  while :; do
    if counts=$(heal_counts 2> /dev/null); then
      if [ "$wait" = 0 ] || [ "$(tail -n 1 <<< "$counts")" = "pending 0" ]; then echo "$counts"; return 0; fi
    elif [ "$wait" = 0 ]; then heal_counts; exit 1; fi
    [ $SECONDS -lt "$end" ] || { echo "${counts:-}"; die "entries still pending heal (or unknown) after $wait s"; }
    sleep 0.5
  done
}

describe() {
  local n list='[]'
  for n in $(node_names); do
    list=$(jq -c --arg node "$n" --arg addr "$(node_addr "$n")" --arg name "$(brick_of "$n")" \
      '. + [{node: $node, address: $addr, name: $name}]' <<< "$list")
  done
  jq -n --arg volume "$VOLUME" --argjson replica "$(node_names | wc -l)" --arg device "$DEVICE" \
    --arg brick "$BRICK_PATH" --arg mount "$MOUNT_POINT" --argjson bricks "$list" --arg options "$VOLUME_OPTIONS" \
    '{volume: $volume, replica: $replica, device: $device, fsType: "glusterfs", brickPath: $brick, mountPoint: $mount,
      bricks: $bricks, options: ($options | split(" ") | [range(0; length; 2) as $i | {(.[$i]): .[$i + 1]}] | add)}'
}

cmd=${1:-}; shift || true
[ -n "$LAB_DIR" ] && [ -n "$PREFIX" ] || die "gluster.sh is run by lab.sh (LAB_DIR and LAB_PREFIX unset)"
case $cmd in
  setup) [ $# -ge 1 ] || die "usage: gluster.sh setup NODE..."; setup "$@" ;;
  node-start|brick-kill|brick-start) [ $# = 1 ] || die "usage: lab.sh gluster $cmd NODE"; "${cmd/-/_}" "$1" ;;
  status) status ;;
  heal-info) heal_info "$@" ;;
  describe) describe ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

#!/bin/bash
# The lab's BMCs (lab.sh up --bmc): every node gets a baseboard management controller, OpenIPMI's ipmi_sim speaking
# IPMI 2.0 (lanplus) on a management address of its own (192.0.2.201 for node1, .202 for node2, …) in the namespace
# PREFIX-bmc, plugged into the lab's switch: the nodes and the client namespace reach it, nothing routes out. Its
# user "fence" has a password of its own, made with the lab. Its chassis power acts on THAT node through lab.sh's own
# crash (power off), start (power on) and state (power status): what the real fence_ipmilan does to it is real.
# The BMC is not the node: a crashed or powered-off node's BMC keeps answering.
# Called by lab.sh (not meant to be run by hand), with LAB_DIR and LAB_PREFIX set:
#
#   bmc.sh setup NODE...        each node's BMC configured (user, password) and started; returns when all answer
#   bmc.sh start NODE           start the node's BMC (a fresh one, as after a BMC reset); returns when it listens
#   bmc.sh stop NODE            stop it and take its address away: unreachable, as a BMC that lost its power
#   bmc.sh halt NODE...         stop each BMC and abandon a power-on it started (before the nodes are reinstalled)
#   bmc.sh status [NODE...]     one line a BMC: address, running/stopped, the node's power as the BMC reports it
#   bmc.sh describe NODE        the node's BMC as lab.json's nodes[].bmc (JSON)
#   bmc.sh chassis NODE get power | set power 0|1 ...   ipmi_sim's chassis_control program (ipmi_sim runs it)
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/lab.sh
LAB_DIR=${LAB_DIR:-} PREFIX=${LAB_PREFIX:-}
BMC_NS=$PREFIX-bmc
PORT=623
USER_NAME=fence
# What fence_ipmilan needs with ipmi_sim: lanplus, and cipher suite 3 (without it ipmitool first asks for the cipher
# suites, which ipmi_sim does not answer: every action 14-75 s instead of 0.1-4.4 s; ../shared/lab/LAB-PARTS.md).
CIPHER=3
# A server powered on runs its firmware (POST) before the OS boots: seconds here, minutes on real hardware. Without it a
# lab node rejoined its cluster before the fencer had told the cluster it was fenced, and Pacemaker on the node stopped
# itself ("we were allegedly just fenced"), as it would on a real server that boots that fast.
POST_SECONDS=${LAB_BMC_POST_SECONDS:-10}
die() { echo "lab: bmc: $*" >&2; exit 1; }
say() { echo "lab: bmc: $*" >&2; }

bmc_addr() { echo "192.0.2.$((200 + ${1#node}))"; }
bmc_dir() { echo "$LAB_DIR/bmc/$1"; }

# The BMC's ipmi_sim, when the pid file still names it (a pid file outlives its process, and a pid is reused).
bmc_pid() {
  local d p; d=$(bmc_dir "$1"); p=$(cat "$d/pid" 2>/dev/null) || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ipmi_sim ] && tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "LAB_BMC_DIR=$d" && echo "$p"
}

# A power-on the BMC started and lab.sh start has not finished yet (the node boots, then rejoins its cluster).
boot_job() {
  local d p; d=$(bmc_dir "$1"); p=$(cat "$d/boot.pid" 2>/dev/null) || return 1
  tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "LAB_BMC_BOOT=$d" && echo "$p"
}

# ---------------------------------------------------------------- configuration
# lan.conf: one LAN channel on the BMC's address, lanplus users with every authentication ipmitool may pick, the
# chassis program, and the one user (slot 2: slot 1 is IPMI's anonymous user).
configure() {
  local n=$1 d a pw; d=$(bmc_dir "$n"); a=$(bmc_addr "$n")
  mkdir -p "$d" || return 1
  # A password a BMC takes (IPMI 2.0 allows 20 characters), made once: the same BMC keeps it across reset and restart.
  if [ ! -s "$d/password" ]; then
    pw=$(head -c 48 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9') && (umask 077; echo "${pw:0:16}" > "$d/password") || return 1
  fi
  cat > "$d/lan.conf" <<CONF || return 1
name "bmc-$n"
set_working_mc 0x20
  startlan 1
    addr $a $PORT
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(printf '5a%030x' "${n#node}")
  endlan
  chassis_control "$HERE/bmc.sh chassis $n"
  user 2 true "$USER_NAME" "$(cat "$d/password")" admin 10 none md2 md5 straight
CONF
  chmod 600 "$d/lan.conf"
  # The management controller ipmi_sim emulates: a BMC at IPMB address 0x20 with an event log.
  printf '%s\n' 'mc_setbmc 0x20' 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr' \
    'sel_enable 0x20 1000 0x0a' 'mc_enable 0x20' > "$d/bmc.emu"
}

# ---------------------------------------------------------------- the BMC itself
listening() { ip netns exec "$BMC_NS" ss -Hlun 2>/dev/null | grep -qF "$(bmc_addr "$1"):$PORT"; }

start() {
  local n=$1 d a; d=$(bmc_dir "$n"); a=$(bmc_addr "$n")
  bmc_pid "$n" > /dev/null && { say "$n's BMC is already running"; return 0; }
  [ -f "$d/lan.conf" ] || die "$n has no BMC (lab.sh up --bmc)"
  ip -n "$BMC_NS" addr replace "$a/24" dev eth0 || die "cannot give $n's BMC its address $a"
  # A fresh state directory: users ipmi_sim saved there would override lan.conf's.
  { rm -rf "$d/state" && mkdir -p "$d/state"; } || die "cannot make $d/state"
  # Only its network namespace is the BMC's: in the host's mount and PID namespaces its chassis program can run lab.sh
  # (ip netns exec would give it a mount namespace of its own, where the namespaces lab.sh start makes are invisible).
  LAB_BMC_DIR=$d setsid nsenter --net="/run/netns/$BMC_NS" -- \
    ipmi_sim -n -c "$d/lan.conf" -f "$d/bmc.emu" -s "$d/state" < /dev/null >> "$d/ipmi_sim.log" 2>&1 &
  echo $! > "$d/pid"
  for _ in $(seq 100); do
    listening "$n" && return 0
    [ -d "/proc/$(cat "$d/pid")" ] || break
    sleep 0.05
  done
  tail -n 5 "$d/ipmi_sim.log" >&2
  die "$n's BMC does not listen on $a:$PORT (see $d/ipmi_sim.log)"
}

stop() {
  local n=$1 p
  if p=$(bmc_pid "$n"); then
    kill -TERM "$p"
    for _ in $(seq 50); do [ -d "/proc/$p" ] || break; sleep 0.1; done
    [ -d "/proc/$p" ] && kill -KILL "$p"
  fi
  rm -f "$(bmc_dir "$n")/pid"
  # Its address answers nothing (ARP unresolved), as a BMC without power: a fence agent waits for it, then gives up.
  ip -n "$BMC_NS" addr del "$(bmc_addr "$n")/24" dev eth0 2>/dev/null
  return 0
}

halt() {
  local n p
  for n in "$@"; do
    if p=$(boot_job "$n"); then kill -KILL -- "-$p" 2>/dev/null; fi
    rm -f "$(bmc_dir "$n")/boot.pid"
    stop "$n"
  done
}

setup() {
  local n
  for n in "$@"; do configure "$n" || die "cannot configure $n's BMC"; done
  for n in "$@"; do start "$n"; done
}

status() {
  local n p state power
  for n in "$@"; do
    if p=$(bmc_pid "$n"); then state="running pid $p"; else state=stopped; fi
    power=$(power_state "$n")
    boot_job "$n" > /dev/null && power="$power (powering on: booting until it rejoins)"
    printf '%-8s bmc %s:%s %-16s power %s\n' "$n" "$(bmc_addr "$n")" "$PORT" "$state" "$power"
  done
}

describe() {
  local n=$1 d a; d=$(bmc_dir "$n"); a=$(bmc_addr "$n")
  jq -n --arg addr "$a" --argjson port "$PORT" --arg user "$USER_NAME" --arg pw "$(cat "$d/password")" \
    --arg ns "$BMC_NS" --arg cipher "$CIPHER" \
    '{address: $addr, port: $port, user: $user, password: $pw, namespace: $ns, agent: "fence_ipmilan",
      options: {ip: $addr, ipport: ($port | tostring), username: $user, password: $pw, lanplus: "1", cipher: $cipher}}'
}

# ---------------------------------------------------------------- the chassis (run by ipmi_sim)
# "on" while the node runs (partitioned or hung too: the power is on) or while the BMC boots it.
power_state() {
  if boot_job "$1" > /dev/null; then echo on; return; fi
  case $("$LAB" state "$1" 2>/dev/null) in running|partitioned|hung) echo on ;; *) echo off ;; esac
}

log() { echo "$(date -u +%T.%3N) $*" >> "$(bmc_dir "$node")/chassis.log"; }

# Power on: lab.sh start in the background (ipmi_sim waits for this program, and a boot until the node rejoins its
# cluster takes seconds); a second power on while it boots changes nothing.
power_on() {
  local d; d=$(bmc_dir "$node")
  [ "$(power_state "$node")" = on ] && return 0
  log "power on"
  # shellcheck disable=SC2016
  env -u LAB_BMC_DIR LAB_BMC_BOOT="$d" setsid bash -c 'sleep "$4"; "$1" start "$2"; echo "exit $?"; rm -f "$3/boot.pid"' \
    power-on "$LAB" "$node" "$d" "$POST_SECONDS" < /dev/null >> "$d/power.log" 2>&1 &
  echo $! > "$d/boot.pid"
}

# Power off: at once, as pulling the plug (lab.sh crash); a boot the BMC started stops first.
power_off() {
  local p
  if p=$(boot_job "$node"); then log "power off while booting"; kill -KILL -- "-$p" 2>/dev/null; rm -f "$(bmc_dir "$node")/boot.pid"; fi
  case $("$LAB" state "$node" 2>/dev/null) in
    running|partitioned|hung) log "power off"; "$LAB" crash "$node" >> "$(bmc_dir "$node")/power.log" 2>&1 ;;
  esac
  return 0
}

chassis() {
  local op=${1:-}; shift || true
  case $op in
    get)
      for p in "$@"; do
        case $p in
          power) echo "power:$( [ "$(power_state "$node")" = on ] && echo 1 || echo 0)" ;;
          boot) echo "boot:default" ;;
          *) echo "Invalid parameter: $p"; return 1 ;;
        esac
      done ;;
    set)
      # A power cycle reaches us as set power 0, then set power 1.
      while [ $# -ge 2 ]; do
        case $1 in
          power) if [ "$2" = 1 ]; then power_on; else power_off; fi ;;
          reset) log "reset"; power_off; power_on ;;
          boot|identify|shutdown) log "set $1 $2 (ignored)" ;;
          *) echo "Invalid parameter: $1"; return 1 ;;
        esac
        shift 2
      done ;;
    # (ipmi_sim may ask whether the machine is there to control; answered as in the proven feasibility run)
    check) return 1 ;;
    *) echo "Unknown operation: $op"; return 1 ;;
  esac
}

cmd=${1:-}; shift || true
if [ -z "$LAB_DIR" ] || [ -z "$PREFIX" ]; then die "bmc.sh is run by lab.sh (LAB_DIR and LAB_PREFIX unset)"; fi
case $cmd in
  setup) setup "$@" ;;
  halt) halt "$@" ;;
  start|stop|describe) [ $# = 1 ] || die "usage: bmc.sh $cmd NODE"; "$cmd" "$1" ;;
  status) status "$@" ;;
  chassis)
    # ipmi_sim's descriptors (its UDP sockets) leak into what it runs: closed, or a node powered on from here would
    # hold the BMC's port after ipmi_sim is gone (255 is bash's own, closed on exec).
    for fd in "/proc/$$/fd"/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && [ "$fd" != 255 ] && eval "exec $fd>&-"; done 2>/dev/null
    node=${1:-}; shift || true
    [[ $node =~ ^node[0-9]+$ ]] || die "usage: bmc.sh chassis NODE get|set ..."
    chassis "$@" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

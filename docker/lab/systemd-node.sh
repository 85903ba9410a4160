#!/bin/bash
# One systemd lab node: real systemd as PID 1 (systemd-nspawn --boot) on an overlay whose lower layer is the cached
# Debian rootfs (rootfs.sh) and whose upper layer is the node's own disk, in the network namespace lab.sh made for it.
# Called by lab.sh (not meant to be run by hand), with LAB_DIR and LAB_PREFIX set:
#
#   systemd-node.sh boot NODE NETNS   boot the node (personalised on its first boot); returns once its PID 1 exists
#   systemd-node.sh pid NODE          the node's PID 1 as the host sees it (exit 1 when not running)
#   systemd-node.sh poweroff NODE     graceful: SIGTERM to nspawn, which has systemd power the node off
#   systemd-node.sh kill NODE         power loss: SIGKILL of its PID 1 (the kernel kills every process of the node)
#   systemd-node.sh cleanup NODE      after the node ended: its cgroups and nspawn's propagation directory
#   systemd-node.sh wipe NODE         a reinstall: the node's disk emptied (it must be stopped); host keys kept
#
# Each node's nspawn runs in a private mount namespace holding the overlay: when the node ends, its mounts end with
# it. It runs in cgroups of its own (/sys/fs/cgroup/{systemd,unified}/storageha-lab/PREFIX/NODE): nspawn with
# --keep-unit splits the cgroup it starts in, and from the root every node would share one.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
PERSONALISE=$(cd "$HERE/../node-systemd" && pwd)/personalise.sh
LAB_DIR=${LAB_DIR:-} PREFIX=${LAB_PREFIX:-}
die() { echo "lab: $*" >&2; exit 1; }

node_dir() { echo "$LAB_DIR/nodes/$1"; }
machine() { echo "$PREFIX-$1"; }   # nspawn's machine name: unique on the machine (/run/systemd/nspawn/propagate/NAME)
cgroups() { local h; for h in systemd unified; do echo "/sys/fs/cgroup/$h/storageha-lab/$PREFIX/$1"; done; }

# nspawn's pid, when that process is still this node's nspawn (a pid file outlives its process).
nspawn_pid() {
  local p; p=$(cat "$(node_dir "$1")/nspawn.pid" 2>/dev/null) || return 1
  tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "LAB_NODE_DIR=$(node_dir "$1")" && echo "$p"
}

# The node's PID 1: the process below nspawn that lives in another PID namespace.
init_pid() {
  local n=$1 p child c; p=$(nspawn_pid "$n") || return 1
  for child in $(pgrep -P "$p"); do
    for c in $child $(pgrep -P "$child"); do
      if [ "$(readlink "/proc/$c/ns/pid")" != "$(readlink "/proc/$p/ns/pid")" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ]; then
        echo "$c"; return 0
      fi
    done
  done
  return 1
}

# Inside the node's private mount namespace (run by boot through unshare): mount the disk, personalise it on the
# first boot, then become systemd-nspawn.
launch() {
  local n=$1 ns=$2 d root cg; d=$(node_dir "$n"); root=$d/root
  for cg in $(cgroups "$n"); do { mkdir -p "$cg" && echo $$ > "$cg/cgroup.procs"; } || die "$n: cannot enter $cg"; done
  mkdir -p "$d/disk/upper" "$d/disk/work" "$root"
  mount -t overlay "$(machine "$n")" -o "lowerdir=$LAB_ROOTFS,upperdir=$d/disk/upper,workdir=$d/disk/work" "$root" \
    || die "$n: cannot mount its disk"
  if [ ! -f "$d/disk/personalised" ]; then
    hostname "$n"   # (a UTS namespace of its own: ssh-keygen names the node in its keys' comments)
    "$PERSONALISE" "$root" "$n" "$LAB_DIR/ssh/client_key.pub" "$d/host-keys" "$LAB_DIR/hosts" "$LAB_DIR/ssh/clerk_password" \
      || die "$n: first-boot personalisation failed"
    # A lab with a domain controller: the node's resolver asks the DC (the rootfs has no resolv.conf).
    if [ -f "$LAB_DIR/resolv.conf" ]; then cp "$LAB_DIR/resolv.conf" "$root/etc/resolv.conf" || die "$n: cannot write its resolv.conf"; fi
    touch "$d/disk/personalised"
  fi
  # Pacemaker throttles on the load average, which here is every node's and the tests' together: each node reads a
  # quiet one (nspawn takes a bind source below /proc from inside the node's root).
  printf '0.00 0.00 0.00 1/1 1\n' > "$root/etc/lab-loadavg"
  mkdir -p "$root$LAB_DIR/shared"
  # FUSE for GlusterFS mounts (nspawn's /dev has no fuse; its device policy applies only to a registered scope).
  local fuse=(); [ -c /dev/fuse ] && fuse=(--bind=/dev/fuse)
  exec systemd-nspawn --boot --register=no --keep-unit --quiet -D "$root" -M "$(machine "$n")" --hostname="$n" \
    --network-namespace-path="/run/netns/$ns" --capability=all --resolv-conf=off --timezone=off --link-journal=no \
    --console=read-only --bind-ro=/etc/lab-loadavg:/proc/loadavg --bind="$LAB_DIR/shared" \
    --system-call-filter=open_by_handle_at "${fuse[@]}"   # NFS-Ganesha's VFS opens files by handle
}

boot() {
  local n=$1 ns=$2 d i init; d=$(node_dir "$n")
  [ -d "${LAB_ROOTFS:-}" ] || die "no rootfs for systemd nodes (LAB_ROOTFS=${LAB_ROOTFS:-})"
  nspawn_pid "$n" > /dev/null && die "$n is already running"
  cleanup "$n"
  mkdir -p "$d"
  # setsid: the node outlives this command; its console goes to a file so no caller waits on our pipes.
  LAB_NODE_DIR=$d setsid unshare --mount --uts --propagation private -- "$0" launch "$n" "$ns" < /dev/null >> "$d/console.log" 2>&1 &
  local launcher=$!
  echo "$launcher" > "$d/nspawn.pid"
  for i in $(seq 300); do
    init=$(init_pid "$n") && { echo "$init" > "$d/init.pid"; return 0; }
    [ -d "/proc/$launcher" ] || break   # (its environment names the node only once it runs unshare)
    sleep 0.05
  done
  tail -n 20 "$d/console.log" >&2
  die "$n: systemd did not start (see $d/console.log)"
}

gone() { local p=$1 t=$2 i; for i in $(seq $((t * 10))); do [ -d "/proc/$p" ] || return 0; sleep 0.1; done; return 1; }

poweroff() {
  local n=$1 p; p=$(nspawn_pid "$n") || return 0
  kill -TERM "$p"
  gone "$p" 180 || { kill -KILL "$(init_pid "$n")" "$p" 2>/dev/null; gone "$p" 10; die "$n did not power off within 180 s: killed"; }
  cleanup "$n"
}

kill_node() {
  local n=$1 p i; p=$(nspawn_pid "$n") || return 0
  i=$(init_pid "$n") && kill -KILL "$i"
  gone "$p" 10 || { kill -KILL "$p"; gone "$p" 10 || die "$n: nspawn $p survived SIGKILL"; }
  cleanup "$n"
}

cleanup() {
  local n=$1 cg
  nspawn_pid "$n" > /dev/null && die "$n is running: not cleaning up"
  for cg in $(cgroups "$n"); do [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null; done
  for cg in $(cgroups "$n"); do [ -d "$cg" ] && die "$n: cgroup $cg still has processes"; done
  rm -rf "/run/systemd/nspawn/propagate/$(machine "$n")" "$(node_dir "$n")/init.pid" "$(node_dir "$n")/nspawn.pid"
  return 0
}

wipe() {
  local n=$1 d; d=$(node_dir "$n")
  nspawn_pid "$n" > /dev/null && die "$n is running: stop it before wiping its disk"
  rm -rf "$d/disk" "$d/root"
}

cmd=${1:-}; shift || true
case $cmd in launch|boot|pid|poweroff|kill|cleanup|wipe)
  if [ -z "$LAB_DIR" ] || [ -z "$PREFIX" ]; then die "systemd-node.sh is run by lab.sh (LAB_DIR and LAB_PREFIX unset)"; fi ;;
esac
case $cmd in
  launch) launch "$@" ;;
  boot) boot "$@" ;;
  pid) init_pid "$1" ;;
  poweroff) poweroff "$1" ;;
  kill) kill_node "$1" ;;
  cleanup) cleanup "$1" ;;
  wipe) wipe "$1" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

#!/bin/bash
# The init (PID 1) of one StorageHa lab node: the Docker image's entrypoint and the namespace lab's node init.
#
# It boots the node the way Debian boots a server with the cluster packages installed:
#   - sshd always (an ed25519 host key is generated at first boot, so every node has its own);
#   - the system D-Bus when installed (NFS-Ganesha takes grace requests on it), private to the node in the lab;
#   - glusterd when it has run on the node before (Debian installs it disabled; the lab's --gluster starts it first),
#     ahead of the cluster, whose Filesystem resource mounts the volume from it;
#   - corosync and pacemaker only when /etc/corosync/corosync.conf exists (Debian enables both services on
#     install, and corosync only starts with a configuration), through `service`, the same command that
#     works on a systemd host;
#   - SIGTERM shuts the node down gracefully (pacemaker stops its resources, then corosync, then sshd);
#     SIGKILL of this process is a crash: the kernel kills every process of the node at once.
#
# Environment:
#   NODE_NAME        hostname (default: the current one)
#   AUTHORIZED_KEYS  public keys allowed to log in as root (added to /root/.ssh/authorized_keys)
#   LAB_NODE_DIR     namespace lab only: the node's "disk". Private copies of the node's state directories live
#                    in $LAB_NODE_DIR/fs and are bind-mounted over the real paths inside the node's own mount
#                    namespace, and /etc is an overlay whose changes (accounts, passwords) land there too, so the
#                    host's /etc, /var/lib, /var/log, /root, /home and /run are never written.
#                    (Docker gives each container its own filesystem instead, so this is skipped there.)
#   LAB_HOSTS        namespace lab only: a hosts file naming all lab nodes, shown as /etc/hosts
#   LAB_RESOLV       namespace lab only: the node's /etc/resolv.conf at its first boot (a lab with a domain
#                    controller: the DC), a file of its own that whoever manages the node may replace
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NODE_NAME=${NODE_NAME:-$(hostname)}
LAB_NODE_DIR=${LAB_NODE_DIR:-}
LAB_HOSTS=${LAB_HOSTS:-}
LAB_RESOLV=${LAB_RESOLV:-}
SSHD_STARTED=

# State directories a node owns, seeded from the installed packages at first boot (skipped when not installed).
SEEDED_DIRS="/etc/ssh /etc/corosync /etc/ctdb /etc/samba /etc/ganesha /var/lib/pacemaker /var/lib/corosync
  /var/lib/ctdb /var/lib/samba /var/lib/pcsd /var/lib/nfs /var/cache/samba /var/lib/glusterd"

log() { echo "$(date '+%F %T') $NODE_NAME boot: $*"; }

lab_filesystem() {
  local fs=$LAB_NODE_DIR/fs d f
  mount -t tmpfs -o mode=755 tmpfs /run
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm
  # The node's own /etc: the host's seen through an overlay whose changes stay on the node's disk. Its accounts are its
  # own from first boot (copied up, so the host's later changes do not show through), and chpasswd/useradd, which
  # replace /etc/shadow by rename, work (a file bind-mounted over /etc/shadow refuses the rename with EBUSY).
  if [ ! -d "$fs/etc-overlay/upper" ]; then
    mkdir -p "$fs/etc-overlay/upper" "$fs/etc-overlay/work"
    for f in passwd shadow group gshadow subuid subgid; do [ -e "/etc/$f" ] && cp -a "/etc/$f" "$fs/etc-overlay/upper/"; done
    [ -n "$LAB_RESOLV" ] && cp "$LAB_RESOLV" "$fs/etc-overlay/upper/resolv.conf"
  fi
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$fs/etc-overlay/upper,workdir=$fs/etc-overlay/work" /etc ||
    { log "cannot mount the node's /etc overlay"; exit 1; }
  for d in $SEEDED_DIRS; do
    [ -d "$d" ] || continue
    if [ ! -d "$fs$d" ]; then
      mkdir -p "$fs$d" && cp -a "$d/." "$fs$d/"
      # A new server has no cluster yet (Debian's example single-node corosync.conf would start one)
      # and its own SSH host keys, not the machine's.
      case $d in
        /etc/corosync) rm -f "$fs$d/corosync.conf" "$fs$d/authkey" ;;
        /etc/ssh) rm -f "$fs$d"/ssh_host_* ;;
        /var/lib/glusterd) rm -rf "$fs$d"/glusterd.info "$fs$d"/peers "$fs$d"/vols ;;   # its own UUID, no pool
      esac
    fi
    mount --bind "$fs$d" "$d"
  done
  # Logs: the directory tree with its owners, none of the host's files.
  if [ ! -d "$fs/var/log" ]; then
    find /var/log -xdev -type d | while read -r d; do
      mkdir -p "$fs$d" && chown --reference="$d" "$fs$d" && chmod --reference="$d" "$fs$d"
    done
  fi
  mount --bind "$fs/var/log" /var/log
  # The console's own records (what each daemon last loaded) are per node, as on a real server; the host keeps
  # only the empty mount point.
  mkdir -p "$fs/var/lib/storageha" /var/lib/storageha
  mount --bind "$fs/var/lib/storageha" /var/lib/storageha
  # Its /srv (a GlusterFS brick, the mount point the console is told to use) is on its disk too.
  if [ -d /srv ]; then mkdir -p "$fs/srv" && mount --bind "$fs/srv" /srv; fi
  mkdir -p -m 700 "$fs/root"
  mount --bind "$fs/root" /root
  # Users made on the node (useradd -m) get their homes here, not in the host's /home.
  mkdir -p -m 755 "$fs/home"
  mount --bind "$fs/home" /home
  [ -n "$LAB_HOSTS" ] && mount --bind "$LAB_HOSTS" /etc/hosts
  # A quiet load average of its own: the machine's is every lab node's and the tests' together, and Pacemaker would
  # throttle each node for it to one action at a time across the cluster, as no real server's own load would.
  printf '0.00 0.00 0.00 1/1 1\n' > "$LAB_NODE_DIR/loadavg"
  mount --bind "$LAB_NODE_DIR/loadavg" /proc/loadavg
}

runtime_dirs() {
  mkdir -p /run/sshd /run/lock /run/resource-agents /run/crm
  chown hacluster:haclient /run/crm 2>/dev/null || true
}

start_sshd() {
  [ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -C "root@$NODE_NAME" -f /etc/ssh/ssh_host_ed25519_key
  install -D -m 644 "$HERE/sshd_config" /etc/ssh/sshd_config.d/storageha-node.conf
  if [ -n "${AUTHORIZED_KEYS:-}" ]; then
    install -d -m 700 /root/.ssh
    touch /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
    grep -qxF "$AUTHORIZED_KEYS" /root/.ssh/authorized_keys || printf '%s\n' "$AUTHORIZED_KEYS" >> /root/.ssh/authorized_keys
  fi
  /usr/sbin/sshd && SSHD_STARTED=1 || log "sshd failed to start"
}

# The node's own system bus (in the lab under its private /run): Ganesha registers there and only this node's agents ask it.
start_dbus() {
  command -v dbus-daemon >/dev/null || return 0
  mkdir -p /run/dbus
  dbus-daemon --system --fork || log "dbus-daemon failed to start"
}

start_glusterd() {
  [ -f /var/lib/glusterd/glusterd.info ] && command -v glusterd >/dev/null || return 0
  mkdir -p /var/log/glusterfs
  glusterd -p /run/glusterd.pid || log "glusterd failed to start"
}

start_cluster() {
  [ -f /etc/corosync/corosync.conf ] || { log "no /etc/corosync/corosync.conf: cluster services not started"; return 0; }
  service corosync start && service pacemaker start || log "cluster services failed to start"
}

shutdown() {
  log "shutting down"
  if pidof pacemakerd >/dev/null; then service pacemaker stop; fi
  if pidof corosync >/dev/null; then service corosync stop; fi
  # Only the sshd this boot started (before the private /run is mounted, /run/sshd.pid is the host's).
  [ -n "$SSHD_STARTED" ] && [ -s /run/sshd.pid ] && kill "$(cat /run/sshd.pid)" 2>/dev/null
  log "down"
  exit 0
}

# Never on a host: the lab mounts below would cover the host's own /run, /etc/ssh, …
[ $$ = 1 ] || { echo "boot.sh runs as a node's PID 1 (started by lab.sh or as a container's entrypoint)" >&2; exit 1; }
trap shutdown TERM INT   # handled between boot steps too: a stop during boot is still graceful
[ -n "$LAB_NODE_DIR" ] && lab_filesystem
[ "$(hostname)" = "$NODE_NAME" ] || hostname "$NODE_NAME"
runtime_dirs
start_sshd
start_dbus
start_glusterd
start_cluster
log "booted"
# PID 1 of the node: adopts and reaps orphans (pacemakerd, daemons started by init scripts) until told to stop.
while :; do sleep 1 & wait $!; done

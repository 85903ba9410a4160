#!/bin/bash
# The systemd lab's root filesystem: Debian 12 as a freshly installed server with the cluster packages a customer
# installs (docker/node-systemd/packages), built once from this machine's apt mirror and cached on the machine.
#
#   rootfs.sh path     print the cached rootfs's directory, building it first when missing (or the list changed)
#   rootfs.sh check    exit 1 when the rootfs is not built yet (prints its directory either way)
#
# The cache is /var/cache/storageha-lab/rootfs-HASH (STORAGEHA_ROOTFS_CACHE overrides the parent), HASH from the
# package list and this script: a new list or a new recipe is a new rootfs. A build goes to a temporary directory
# renamed when complete, so a killed build leaves no half rootfs; the whole build runs in a private mount namespace,
# so the mounts debootstrap and the chroot make vanish with it. Builds are serialised by a lock (two labs asking at
# once build once).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
LIST=$HERE/../node-systemd/packages
CACHE=${STORAGEHA_ROOTFS_CACHE:-/var/cache/storageha-lab}
die() { echo "rootfs: $*" >&2; exit 1; }
say() { echo "rootfs: $*" >&2; }

packages() { sed 's/#.*//' "$LIST" | tr -s ' \n' '\n' | sed '/^$/d'; }
hash=$( { packages; cat "$0"; } | sha256sum | cut -c1-12)
ROOTFS=$CACHE/rootfs-$hash

# The machine's own Debian mirror: the first deb822 URIs line, else sources.list.
mirror() {
  local m
  m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$m" ] || die "no Debian mirror in /etc/apt/sources.list{,.d}: cannot build the rootfs"
  echo "$m"
}

# In a private mount namespace (ensure runs it through unshare).
build() {
  local tmp=$1 t0=$SECONDS
  command -v debootstrap >/dev/null || die "building the rootfs needs debootstrap: apt-get install -y --no-install-recommends debootstrap"
  say "building $ROOTFS (debootstrap + apt from $(mirror); about 1-2 minutes)"
  nice -n 19 ionice -c3 debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,iproute2,procps bookworm "$tmp" "$(mirror)" > "$tmp.log" 2>&1 \
    || { tail -n 20 "$tmp.log" >&2; die "debootstrap failed (log: $tmp.log)"; }
  say "debootstrap done ($((SECONDS - t0)) s)"
  # The server gets the machine's apt sources (updates, security), as one installed from the same mirror.
  rm -f "$tmp/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$tmp/etc/apt/sources.list.d/" 2>/dev/null || cp /etc/apt/sources.list "$tmp/etc/apt/"
  # No daemon starts while installing (policy-rc.d), then the customer's apt-get install.
  printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d" && chmod 755 "$tmp/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
  local m
  for m in proc sys dev dev/pts; do mount --bind "/$m" "$tmp/$m" || die "cannot mount /$m in $tmp"; done
  nice -n 19 ionice -c3 chroot "$tmp" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $(packages | paste -sd ' ') && apt-get clean" >> "$tmp.log" 2>&1 \
    || { tail -n 20 "$tmp.log" >&2; die "apt-get install in the rootfs failed (log: $tmp.log)"; }
  for m in dev/pts dev sys proc; do umount "$tmp/$m" || die "cannot unmount $tmp/$m"; done
  rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp/etc/resolv.conf"
  rm -rf "$tmp"/var/lib/apt/lists/*
  # What an installer makes unique per server is made by each node at first boot (personalise.sh).
  rm -f "$tmp"/etc/ssh/ssh_host_* && : > "$tmp/etc/machine-id"
  echo "$hash" > "$tmp/etc/storageha-lab-rootfs"
  say "apt-get install done ($((SECONDS - t0)) s in all, $(du -sh "$tmp" | cut -f1))"
}

ensure() {
  [ -d "$ROOTFS" ] && return 0
  [ "$(id -u)" = 0 ] || die "building the rootfs needs root"
  mkdir -p "$CACHE"
  exec 9> "$CACHE/build.lock"
  flock 9
  [ -d "$ROOTFS" ] && return 0   # built by whoever held the lock before us
  local tmp
  # A killed build's leftovers: only ours to delete once nothing is mounted in them (the chroot's mounts were private).
  for tmp in "$CACHE"/rootfs-*.tmp; do
    [ -d "$tmp" ] || continue
    awk -v d="$tmp/" 'index($5, d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo && die "$tmp has mounts: unmount them"
    rm -rf "$tmp" "$tmp.log"
  done
  tmp=$ROOTFS.tmp
  unshare --mount --propagation private -- "$0" build "$tmp" || exit 1
  mv "$tmp" "$ROOTFS" && mv "$tmp.log" "$ROOTFS.log"
}

case ${1:-} in
  path) ensure; echo "$ROOTFS" ;;
  check) echo "$ROOTFS"; [ -d "$ROOTFS" ] ;;
  build) build "$2" ;;   # (internal: run by ensure in its own mount namespace)
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

#!/bin/bash
# The lab's Active Directory domain controller (lab.sh up --ad): Samba's AD DC for realm LAB.TEST (workgroup LAB,
# host dc.lab.test), internal DNS that forwards nowhere, RFC 2307 attributes, test users and groups. It runs in the
# network namespace lab.sh made for it, in mount, UTS and PID namespaces of its own whose PID 1 is `dc.sh init`:
# private (empty at first boot) /etc/samba, /var/lib/samba, /var/cache/samba and /var/log/samba on its disk
# ($LAB_DIR/dc/fs), a tmpfs /run, its own /etc/hosts and /etc/resolv.conf (itself). The host's Samba is never touched.
# Called by lab.sh (not meant to be run by hand), with LAB_DIR and LAB_PREFIX set:
#
#   dc.sh boot NETNS ADDR     boot the DC (its domain made on the first boot); returns when LDAP, Kerberos and DNS
#                             answer on ADDR
#   dc.sh pid                 the DC's PID 1 as the host sees it (exit 1 when not running)
#   dc.sh poweroff            graceful: samba stops, then the DC's PID 1
#   dc.sh exec CMD...         run a command inside the DC (samba-tool there works on its domain)
#   dc.sh describe            the domain as lab.json's "ad" (JSON)
#
# The domain is provisioned once per machine and Samba version and cached in /var/cache/storageha-lab/dc-HASH
# (STORAGEHA_ROOTFS_CACHE overrides the parent, as for the systemd rootfs): a lab's DC starts from a copy in well
# under a second instead of provisioning and creating its accounts (10-15 s on a loaded machine). Passwords never
# expire there (max password age 0), so a cache provisioned months ago still logs in. A clock offset in
# $LAB_DIR/dc/clock (seconds, written by `lab.sh dc clock`) runs samba under libfaketime: the DC's clock differs
# from the nodes', which share the host's.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LAB_DIR=${LAB_DIR:-} PREFIX=${LAB_PREFIX:-}
DIR=$LAB_DIR/dc
CACHE=${STORAGEHA_ROOTFS_CACHE:-/var/cache/storageha-lab}
REALM=LAB.TEST WORKGROUP=LAB HOST=dc
DOMAIN=${REALM,,}
SAMBA_DIRS="/etc/samba /var/lib/samba /var/cache/samba /var/log/samba"
# The test accounts: alice and bob in staff, carol in no group.
GROUPS_MADE="staff"
USERS_MADE="alice:staff bob:staff carol:"
die() { echo "lab: dc: $*" >&2; exit 1; }
say() { echo "lab: dc: $*" >&2; }

# A password AD's complexity rules accept (upper, lower, digit, symbol), different for every account.
password() { printf 'Lab-%s-9x!' "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"; }

# The cached domain's name: Samba's version and what makes the domain (the rest of this script may change freely).
cache_dir() {
  local v; v=$(dpkg-query -W -f='${Version}' samba-ad-dc 2>/dev/null)
  echo "$CACHE/dc-$( { echo "$v $REALM $WORKGROUP $HOST $1 $GROUPS_MADE $USERS_MADE"; declare -f password provision; } | sha256sum | cut -c1-12)"
}

# ---------------------------------------------------------------- inside the DC (PID 1 and what it runs)
# Provisions the domain into the DC's (empty) Samba directories and makes its accounts; their passwords go to
# /var/lib/samba/lab-accounts (name:password:groups, one a line).
provision() {
  local addr=$1 admin u name groups pw t0=$SECONDS
  admin=$(password)
  nice samba-tool domain provision --realm="$REALM" --domain="$WORKGROUP" --server-role=dc \
    --dns-backend=SAMBA_INTERNAL --adminpass="$admin" --use-rfc2307 --host-ip="$addr" \
    --option="dns forwarder = none" --option="interfaces = lo eth0" --option="bind interfaces only = yes" \
    > /var/log/samba/provision.log 2>&1 || { tail -n 30 /var/log/samba/provision.log; return 1; }
  samba-tool domain passwordsettings set --max-pwd-age=0 > /dev/null || return 1
  for name in $GROUPS_MADE; do samba-tool group add "$name" > /dev/null || return 1; done
  echo "Administrator:$admin:" > /var/lib/samba/lab-accounts.new
  for u in $USERS_MADE; do
    name=${u%%:*} groups=${u#*:} pw=$(password)
    samba-tool user create "$name" "$pw" > /dev/null || return 1
    for g in ${groups//,/ }; do samba-tool group addmembers "$g" "$name" > /dev/null || return 1; done
    echo "$name:$pw:$groups" >> /var/lib/samba/lab-accounts.new
  done
  chmod 600 /var/lib/samba/lab-accounts.new && mv /var/lib/samba/lab-accounts.new /var/lib/samba/lab-accounts
  echo "provisioned $REALM in $((SECONDS - t0)) s"
}

# The domain on the DC's disk: a copy of the cached one, else provisioned here and then cached (a lock: two labs
# booting at once provision once).
make_domain() {
  local addr=$1 fs=$DIR/fs cache d; cache=$(cache_dir "$addr")
  mkdir -p "$CACHE" && exec 8> "$CACHE/dc.lock" && flock 8 || return 1
  if [ ! -d "$cache" ]; then
    provision "$addr" || return 1
    rm -rf "$cache.tmp" && mkdir -p "$cache.tmp" || return 1
    for d in $SAMBA_DIRS; do mkdir -p "$cache.tmp$(dirname "$d")" && cp -a "$d" "$cache.tmp$d" || return 1; done
    rm -rf "$cache.tmp/var/log/samba"/* "$cache.tmp/var/cache/samba"/*
    mv "$cache.tmp" "$cache" || return 1
    echo "cached the domain in $cache"
  else
    for d in $SAMBA_DIRS; do cp -a "$cache$d/." "$d/" || return 1; done
    echo "domain copied from $cache"
  fi
  exec 8>&-
  touch "$fs/provisioned"
}

# libfaketime's environment for an offset in seconds (nothing for 0).
clock_env() {
  local offset=$1 lib
  [ "$offset" = 0 ] && return 0
  for lib in /usr/lib/*/faketime/libfaketimeMT.so.1; do [ -e "$lib" ] && break; done
  [ -e "$lib" ] || { echo "a clock offset needs libfaketime: apt-get install -y --no-install-recommends faketime" >&2; return 1; }
  # ldb opens its modules with RTLD_DEEPBIND, which bypasses a preloaded library unless told not to.
  printf '%s\n' "LD_PRELOAD=$lib" "FAKETIME=$( [ "$offset" -ge 0 ] && echo +)$offset" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    LDB_MODULES_DISABLE_DEEPBIND=1
}

# PID 1 of the DC (lab.sh boots it through unshare in the DC's network namespace).
init() {
  local addr=$1 fs=$DIR/fs d offset env samba_pid
  [ $$ = 1 ] || die "dc.sh init runs as the DC's PID 1"
  mount -t tmpfs -o mode=755 tmpfs /run && mount -t tmpfs -o mode=1777 tmpfs /dev/shm || exit 1
  mkdir -p /run/lock
  for d in $SAMBA_DIRS; do mkdir -p "$fs$d" && mount --bind "$fs$d" "$d" || exit 1; done
  mount --bind "$DIR/hosts" /etc/hosts && mount --bind "$DIR/resolv.conf" /etc/resolv.conf || exit 1
  hostname "$HOST"
  if [ ! -f "$fs/provisioned" ]; then make_domain "$addr" || { echo "no domain: the DC cannot start"; exit 1; }; fi
  offset=$(cat "$DIR/clock" 2>/dev/null || echo 0)
  env=$(clock_env "$offset") || exit 1
  # shellcheck disable=SC2086
  env $env samba --foreground --no-process-group --model=single > /dev/null 2>> /var/log/samba/samba.console &
  samba_pid=$!
  echo "samba started (pid $samba_pid, clock offset $offset s)"
  trap 'kill -TERM "$samba_pid" 2>/dev/null; for d in $(seq 100); do kill -0 "$samba_pid" 2>/dev/null || exit 0; sleep 0.1; done; exit 0' TERM INT
  # Adopts and reaps orphans (samba's helpers) until told to stop.
  while :; do sleep 1 & wait $!; done
}

# ---------------------------------------------------------------- from the host
dc_pid() {
  local p; p=$(cat "$DIR/init.pid" 2>/dev/null) || return 1
  tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" | grep -qxF "LAB_DC_DIR=$DIR" && echo "$p"
}
in_dc() { local p; p=$(dc_pid) || die "the DC is not running"; nsenter -t "$p" -m -u -n -p -- "$@"; }

# From namespace NS: LDAP and Kerberos accept connections on ADDR, and its DNS answers for the domain's LDAP service.
answers() {
  local ns=$1 addr=$2
  # shellcheck disable=SC2016
  ip netns exec "$ns" bash -c 'timeout 1 bash -c "exec 3<>/dev/tcp/$1/389" && timeout 1 bash -c "exec 3<>/dev/tcp/$1/88" &&
    host -W 1 -t SRV "_ldap._tcp.$2" "$1"' answers "$addr" "$DOMAIN" > /dev/null 2>&1
}

boot() {
  local ns=$1 addr=$2 launcher init t0=$SECONDS
  dc_pid > /dev/null && die "the DC is already running"
  mkdir -p "$DIR"
  printf '127.0.0.1 localhost\n%s %s.%s %s\n' "$addr" "$HOST" "$DOMAIN" "$HOST" > "$DIR/hosts"
  printf 'search %s\nnameserver %s\n' "$DOMAIN" "$addr" > "$DIR/resolv.conf"
  rm -f "$DIR/init.pid"
  # setsid: the DC outlives this command; its console goes to a file so no caller waits on our pipes.
  LAB_DC_DIR=$DIR setsid ip netns exec "$ns" unshare --mount --uts --pid --fork --mount-proc --propagation private -- \
    "$0" init "$addr" < /dev/null >> "$DIR/console.log" 2>&1 &
  launcher=$!
  for _ in $(seq 100); do
    init=$(awk '{print $1}' "/proc/$launcher/task/$launcher/children" 2>/dev/null)
    [ -n "$init" ] && echo "$init" > "$DIR/init.pid" && dc_pid > /dev/null && break; init=; sleep 0.05
  done
  [ -n "$init" ] || { tail -n 20 "$DIR/console.log" >&2; die "no init process (see $DIR/console.log)"; }
  # The first boot provisions (or copies the cached domain); samba then needs a few seconds.
  for _ in $(seq 1200); do
    answers "$ns" "$addr" && return 0
    dc_pid > /dev/null || { tail -n 20 "$DIR/console.log" >&2; die "the DC died while booting (see $DIR/console.log)"; }
    sleep 0.1
  done
  tail -n 20 "$DIR/console.log" >&2
  die "LDAP, Kerberos and DNS did not all answer on $addr within $((SECONDS - t0)) s"
}

poweroff() {
  local p; p=$(dc_pid) || return 0
  kill -TERM "$p"
  for _ in $(seq 150); do [ -d "/proc/$p" ] || { rm -f "$DIR/init.pid"; return 0; }; sleep 0.1; done
  kill -KILL "$p"; rm -f "$DIR/init.pid"
  say "samba did not stop within 15 s: killed"
}

describe() {
  local ns=$1 addr=$2 accounts admin users
  accounts=$(cat "$DIR/fs/var/lib/samba/lab-accounts") || die "the DC has no accounts file"
  admin=$(awk -F: '$1 == "Administrator" { print $2 }' <<< "$accounts")
  users=$(awk -F: '$1 != "Administrator"' <<< "$accounts" | jq -R -s -c \
    'split("\n") | map(select(length > 0) | split(":") | {name: .[0], password: .[1], groups: (.[2] | split(",") | map(select(length > 0)))})')
  jq -n --arg realm "$REALM" --arg domain "$DOMAIN" --arg wg "$WORKGROUP" --arg host "$HOST" --arg addr "$addr" \
    --arg ns "$ns" --arg dir "$DIR" --arg admin "$admin" --argjson users "$users" --arg groups "$GROUPS_MADE" \
    '{realm: $realm, dnsDomain: $domain, workgroup: $wg,
      dc: {name: $host, hostName: ($host + "." + $domain), address: $addr, namespace: $ns, directory: $dir},
      administrator: {name: "Administrator", password: $admin},
      users: $users, groups: ($groups | split(" "))}'
}

cmd=${1:-}; shift || true
[ -n "$LAB_DIR" ] && [ -n "$PREFIX" ] || [ "$cmd" = init ] || die "dc.sh is run by lab.sh (LAB_DIR and LAB_PREFIX unset)"
case $cmd in
  init) DIR=$LAB_DC_DIR; init "$@" ;;
  boot) [ $# = 2 ] || die "usage: dc.sh boot NETNS ADDR"; boot "$@" ;;
  pid) dc_pid ;;
  poweroff) poweroff ;;
  exec) [ $# -ge 1 ] || die "usage: dc.sh exec CMD..."; in_dc "$@" ;;
  describe) describe "$@" ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

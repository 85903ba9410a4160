#!/usr/bin/env bash
# Runs every StorageHa test. On Debian/Ubuntu as root it first installs what the tests need
# (OpenSSH server, Pacemaker, pcs, CTDB, Samba, Chromium, …) when missing. Usage: ./test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")"

# Installed with recommends off, as CI does: what a package only recommends is listed here when the tests need it —
# samba-vfs-modules (the fileid module the console's smb.conf loads; without it no share opens) and libxml2-utils
# (xmllint, which ocf-tester runs on an agent's meta-data), both only recommended by samba and resource-agents.
# ShellCheck lints the scripts the console runs on nodes as POSIX sh, where sh -n alone misses bashisms that dash
# rejects at run time (NodeScriptTests). The systemd lab (lab.sh up --systemd) builds its nodes' root filesystem with
# debootstrap and boots them with systemd-nspawn from systemd-container, which is pinned to the host's systemd version:
# the plain candidate would upgrade the host's systemd with it. The lab's domain controller (lab.sh up --ad) is Samba's
# AD DC (samba-ad-dc, samba-ad-provision for its schema), checked with ldb-tools and bind9-dnsutils, its clock set
# off with faketime; nodes and tests reach the domain with winbind, libnss-winbind and krb5-user (kinit). The lab's
# GlusterFS volume (lab.sh up --gluster) runs glusterd from glusterfs-server in every node, which mount it with
# glusterfs-client; ocf:heartbeat:Filesystem needs modprobe (kmod) or fails every action; Ganesha exports the volume
# through nfs-ganesha-gluster (its VFS backend cannot export a FUSE mount). The lab's BMCs (lab.sh up --bmc) are
# OpenIPMI's ipmi_sim (openipmi), which the tests fence through with fence_ipmilan (fence-agents), which runs ipmitool
# (fence-agents does not pull it in). The lab's independent clients (docker/lab/outage-client.py) try SMB through
# Samba's client library for Python (python3-samba) and NFS through libnfs (libnfs13), from Debian's python3.
packages=(openssh-server openssh-client sudo pacemaker pacemaker-cli-utils corosync pcs crmsh resource-agents
          ctdb samba samba-vfs-modules smbclient fence-agents chromium iproute2 procps psmisc util-linux jq
          nfs-ganesha nfs-ganesha-vfs libnfs-utils dbus libxml2-utils shellcheck debootstrap systemd-container
          samba-ad-dc samba-ad-provision winbind libnss-winbind krb5-user ldb-tools bind9-dnsutils faketime
          glusterfs-server glusterfs-client kmod nfs-ganesha-gluster openipmi ipmitool python3 python3-samba libnfs13)
host_systemd=$(dpkg-query -W -f='${Version}' systemd 2>/dev/null || true)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
    if [ "$p" = systemd-container ] && [ -n "$host_systemd" ]; then missing+=("$p=$host_systemd"); else missing+=("$p"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing packages: ${missing[*]} — install them as root (apt-get install ${missing[*]}) or run this script as root." >&2
    return 0
  fi
  echo "Installing test dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No daemon may start on install (the tests start what they need themselves): without a policy, Debian's
  # postinst scripts would start sshd, corosync, samba… through their init scripts.
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=1; fi
  # libnss-winbind's postinst adds winbind to this machine's /etc/nsswitch.conf: the tests must not change the
  # machine they run on (the lab's nodes get theirs from the console), so the host keeps its own.
  local nsswitch; nsswitch=$(mktemp /tmp/storageha-nsswitch.XXXXXX)
  cp -p /etc/nsswitch.conf "$nsswitch"
  local status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=1
  cmp -s "$nsswitch" /etc/nsswitch.conf || { cp -p "$nsswitch" /etc/nsswitch.conf && echo "Restored this machine's /etc/nsswitch.conf (a package install had changed it)"; }
  rm -f "$nsswitch"
  [ -n "$own_policy" ] && rm -f "$policy"
  return $status
}

install_missing

# A lab left behind by a killed run must not break this one.
if [ "$(id -u)" -eq 0 ] && [ -x docker/lab/lab.sh ]; then
  # the tests' labs: LabFixture, E2eLab, the throwaway teardown lab, and the systemd labs (the end-to-end tests', the
  # lab-level tests' and their throwaway one), the lab-level tests' throwaway lab with a domain controller, and the
  # GlusterFS end-to-end test's lab, the fence devices' lab test's, and the fencing tests' labs (lab-level, end-to-end)
  for prefix in sha-it sha-e2e sha-egl sha-dt sha-sd sha-sdl sha-sdt sha-adt sha-fdt sha-fh sha-fp; do
    LAB_PREFIX=$prefix LAB_DIR=/tmp/storageha-lab-$prefix docker/lab/lab.sh down >/dev/null 2>&1 || true
  done
fi

dotnet build StorageHa.sln -c Debug -warnaserror -nologo -clp:ErrorsOnly

# The systemd lab's root filesystem (debootstrap + apt, about two minutes on a fresh machine) builds in the background
# while the unit tests run; the systemd lab tests wait for it (rootfs.sh serialises builds with a lock).
rootfs_log=/tmp/storageha-rootfs-build.log
if [ "$(id -u)" -eq 0 ] && [ -x docker/lab/rootfs.sh ] && command -v debootstrap >/dev/null; then
  docker/lab/rootfs.sh path > "$rootfs_log" 2>&1 &
fi

# One project at a time: the lab and the browser tests need the machine's two cores to themselves.
failed=()
log=$(mktemp /tmp/storageha-test.XXXXXX)
trap 'rm -f "$log"' EXIT
for project in tests/Shared.Tests tests/NodeHelper.Tests tests/Client.Tests tests/Server.Tests tests/Integration.Tests tests/EndToEnd.Tests; do
  echo "=== $project (started $(date -u +%T))" | tee -a "$log"
  started=$SECONDS
  dotnet test "$project" --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log" || failed+=("$project")
  echo "=== $project took $((SECONDS - started)) s" | tee -a "$log"
done

if [ ${#failed[@]} -gt 0 ]; then
  # The log's tail is what a CI page shows: repeat each failed test with its reason there.
  echo "=== Failed tests, with their reasons" >&2
  # Lines cut to 1000 characters: a job's JSON in an assertion must not hide the reason before it.
  grep -E -A 12 '^\s+Failed StorageHa\.' "$log" | cut -c1-1000 >&2 || true
  # Then one line per failed test, its name and the head of its reason, last, so that even a short tail shows them all.
  echo "=== In short" >&2
  awk '/^[[:space:]]+Failed StorageHa\./ { if (name) print name ": " reason; name = $2; reason = ""; keep = 0; next }
       name && /^[[:space:]]+Error Message:/ { keep = 1; next }
       name && /^[[:space:]]+(Stack Trace|Standard Output Messages):/ { keep = 0; next }
       keep { gsub(/^[[:space:]]+/, ""); reason = reason (reason ? " " : "") $0 }
       END { if (name) print name ": " reason }' "$log" | sed -E 's/^StorageHa\.//' | cut -c1-360 | awk '!seen[$0]++' >&2 || true
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "All tests passed."

#!/bin/sh
# probe.sh PACKAGES PROCESSES: what this node is and has, read-only and quiet, as sections that ProbeReport.Parse reads:
# each starts with "@@storageha:NAME" on a line of its own (NodeProbe.SectionMarker), the last one is "end".
#   PACKAGES   the package names to look up, space-separated, as dpkg and rpm name them
#   PROCESSES  the process names to look for, space-separated, as /proc/PID/comm holds them
# Every command may be missing: each section is still printed (empty), and the script exits 0; non-zero only when it
# is called without its two arguments. One dpkg-query (or rpm) and one read of /proc for all names, because every
# process costs on a busy node.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
packages=$1
processes=$2
section() { printf '\n@@storageha:%s\n' "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }
section os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || true
section hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || true
section kernel; uname -r || true
section init; cat /proc/1/comm 2>/dev/null || true
section links; ip -o link show 2>/dev/null || true
section addresses; ip -o addr show 2>/dev/null || true
section packages
# The names are split into words on purpose (SC2086); the ${…} are dpkg's fields, not the shell's (SC2016).
# shellcheck disable=SC2016,SC2086
if have dpkg-query; then
  dpkg-query -W -f='${Package} ${Status} ${Version}\n' $packages 2>/dev/null | sed -n 's/^\([^ ]*\) install ok installed /\1 /p'
elif have rpm; then
  rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\n' $packages 2>/dev/null | grep -v ' is not installed$' || true
fi
section processes
nl='
'
running=$(cat /proc/[0-9]*/comm 2>/dev/null) || true
for process in $processes; do
  case "$nl$running$nl" in *"$nl$process$nl"*) state=running ;; *) state=stopped ;; esac
  printf '%s %s\n' "$process" "$state"
done
section samba-vfs
if have smbd; then
  build=$(smbd -b 2>/dev/null) || true
  printf '%s\n' "$build" | sed -n '/^Builtin modules:/{n;p;}' | tr ' ' '\n' | sed -n 's/^vfs_//p'
  modules=$(printf '%s\n' "$build" | sed -n 's/^ *MODULESDIR: //p')
  for module in "$modules"/vfs/*.so; do
    if [ -e "$module" ]; then basename "$module" .so; fi
  done
fi
section timedatectl; timedatectl show 2>/dev/null || true
section chrony; chronyc -n tracking 2>/dev/null || true
section ntp; ntpq -pn 2>/dev/null || true
section df; df -P -B1 2>/dev/null || df -P -k 2>/dev/null || true
section end

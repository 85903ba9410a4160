#!/bin/sh
# probe.sh PACKAGES PROCESSES UNITS [REALM]: what this node is and has, read-only and quiet, as sections that ProbeReport.Parse
# reads: each starts with "@@storageha:NAME" on a line of its own (NodeProbe.SectionMarker), the last one is "end".
#   PACKAGES   the package names to look up, space-separated, as dpkg and rpm name them
#   PROCESSES  the process names to look for, space-separated, as /proc/PID/comm holds them
#   UNITS      the systemd units to ask about (where systemd runs), space-separated
#   REALM      the Active Directory realm the node's cluster joins, if any: Samba's own lookup of its DC from here
# Every command may be missing: each section is still printed (empty), and the script exits 0; non-zero only when it
# is called without its three arguments. One dpkg-query (or rpm) and one read of /proc for all names, because every
# process costs on a busy node.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
packages=$1
processes=$2
units=$3
realm=${4:-}
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
section systemd-units
# "UNIT ENABLEMENT ACTIVITY CLUSTER-CONTROLLED" per unit, only where systemd runs; a unit that is not installed says
# not-found. Pacemaker's systemd: agent marks a unit it runs with a drop-in ("Cluster Controlled UNIT").
if [ -d /run/systemd/system ] && have systemctl; then
  for unit in $units; do
    enablement=$(systemctl is-enabled "$unit" 2>/dev/null) || true
    activity=$(systemctl is-active "$unit" 2>/dev/null) || true
    controlled=no
    if [ -e "/run/systemd/system/$unit.service.d/50-pacemaker.conf" ]; then controlled=yes; fi
    printf '%s %s %s %s\n' "$unit" "${enablement:-not-found}" "${activity:-unknown}" "$controlled"
  done
fi
section existing-cluster
# The cluster this node already belongs to, if any: corosync.conf's name and nodes, whether it is the file the
# corosync package installed unchanged (a freshly installed Debian or Ubuntu server runs a one-node cluster from it),
# and what Pacemaker has configured (from the running cluster, else from the CIB on disk).
conf=/etc/corosync/corosync.conf
cib=/var/lib/pacemaker/cib/cib.xml
if [ -f "$conf" ]; then
  printf 'conf-md5 %s\n' "$(md5sum < "$conf" | cut -d' ' -f1)"
  if have dpkg-query; then
    # shellcheck disable=SC2016
    dpkg-query -W -f='${Conffiles}\n' corosync 2>/dev/null | awk -v f="$conf" '$1 == f { print "package-md5", $2 }'
  fi
  sed -n 's/^[[:space:]]*\(cluster_name\|ring0_addr\):[[:space:]]*\([^[:space:]#]*\).*/\1 \2/p' "$conf" | head -n 64
fi
if [ -f "$cib" ]; then echo "cib yes"; fi
if have crm_mon && { [ -f "$cib" ] || pidof pacemakerd >/dev/null 2>&1; }; then
  summary=$(crm_mon -1 --output-as=xml 2>/dev/null) || summary=$(CIB_file=$cib crm_mon -1 --output-as=xml 2>/dev/null) || true
  printf '%s\n' "$summary" | sed -n 's/.*<\(nodes_configured\|resources_configured\) number="\([0-9]*\)".*/\1 \2/p'
fi
section ad-domain
# Samba's own lookup, as the join will do it: the DC through the domain's SRV records in DNS, then the DC's clock
# against this node's (Kerberos refuses more than 5 minutes). An empty config (-s /dev/null): the node's smb.conf may
# be the cluster's, which needs CTDB running.
# The resolvers the node asks (Samba and winbind use the system's): systemd-resolved's stub stands for its upstreams.
if [ -n "$realm" ]; then
  printf 'asked: %s\n' "$realm"
  resolvers=$(awk '$1 == "nameserver" { print $2 }' /etc/resolv.conf 2>/dev/null | tr '\n' ' ')
  case " $resolvers" in
    *" 127.0.0.53 "*) have resolvectl && resolvers=$(resolvectl dns 2>/dev/null | sed 's/^[^:]*://' | tr '\n' ' ') ;;
  esac
  printf 'resolvers: %s\n' "$resolvers"
  if have net; then
    info=$(timeout 20 net -s /dev/null ads info --realm="$realm" 2>&1) && rc=0 || rc=$?
    printf '%s\nexit %s\n' "$info" "$rc" | head -n 40
  else
    echo "exit 127"
  fi
fi
section timedatectl; timedatectl show 2>/dev/null || true
section chrony; chronyc -n tracking 2>/dev/null || true
section ntp; ntpq -pn 2>/dev/null || true
section df; df -P -B1 2>/dev/null || df -P -k 2>/dev/null || true
# Every mount with its source and type, as the kernel lists them (the parser skips proc, tmpfs and the like): read, so a
# hung network filesystem cannot hang the probe as a stat would.
section mounts; head -n 2000 /proc/self/mountinfo 2>/dev/null || true
section end

#!/bin/sh
# default-cluster.sh check|replace: the one-node cluster a freshly installed corosync package runs from its own
# corosync.conf (Debian and Ubuntu start it on install).
#   check    exit 0 when this node runs no such cluster (nor has one's CIB); 1 when it does
#   replace  ends it (stops pacemaker and corosync, deletes its CIB and corosync's state, as `pcs cluster destroy`
#            would), only when it provably is that: corosync.conf unchanged since the package installed it, at most one
#            node, no resources. Anything else is someone's cluster: exit 3, naming what was found, nothing changed.
#            corosync.conf itself stays, for the console to replace (write-file.sh keeps it for a teardown).
set -eu
conf=/etc/corosync/corosync.conf
cib=/var/lib/pacemaker/cib/cib.xml
package_default() {
  [ -f "$conf" ] || return 1
  # shellcheck disable=SC2016
  packaged=$(dpkg-query -W -f='${Conffiles}\n' corosync 2>/dev/null | awk -v f="$conf" '$1 == f { print $2 }') || true
  [ -n "$packaged" ] && [ "$(md5sum < "$conf" | cut -d' ' -f1)" = "$packaged" ]
}
running() { pidof corosync >/dev/null 2>&1 || pidof pacemakerd >/dev/null 2>&1; }
configured() { # NAME: the number crm_mon shows for nodes_configured or resources_configured (0 when it cannot tell)
  { crm_mon -1 --output-as=xml 2>/dev/null || CIB_file=$cib crm_mon -1 --output-as=xml 2>/dev/null || true; } |
    sed -n "s/.*<$1 number=\"\\([0-9]*\\)\".*/\\1/p" | head -n 1 | grep . || echo 0
}
case ${1:-} in
  check)
    if package_default && { running || [ -f "$cib" ]; }; then exit 1; fi ;;
  replace)
    if ! package_default; then
      echo "corosync.conf is not the one the corosync package installed: this node is set up for someone's cluster; nothing was changed" >&2
      exit 3
    fi
    nodes=$(configured nodes_configured)
    resources=$(configured resources_configured)
    if [ "$nodes" -gt 1 ] || [ "$resources" -gt 0 ]; then
      echo "the package's default cluster here has $nodes node(s) and $resources resource(s) configured: someone uses it; nothing was changed" >&2
      exit 3
    fi
    service pacemaker stop
    service corosync stop
    rm -f /var/lib/pacemaker/cib/cib* /var/lib/corosync/* ;;
  *) echo "usage: default-cluster.sh check|replace" >&2; exit 2 ;;
esac

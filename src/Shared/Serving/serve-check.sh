#!/bin/bash
# serve-check.sh: StorageHa's serve check, are clients served by THIS node? Run on every node after an apply, a join,
# a re-apply, or on demand. It asks the services themselves, never the CIB: smbd must answer a real SMB tree connect
# to each share, Ganesha must list each export, each virtual IP must answer on its service ports.
#
#   serve-check.sh [share NAME PATH GUEST READONLY USERS]... [export PATH]... [vip ADDRESS PORTS]...
#     GUEST, READONLY  yes|no, as the spec says
#     USERS            Samba's "valid users" for the share ("" = any SMB account)
#     PORTS            comma-separated TCP ports (445 for SMB, 2049 for NFS)
#
# Prints one line per thing checked, "@@serve<TAB>ok|fail<TAB>KIND<TAB>NAME[<TAB>CAUSE]" (KIND: config, module,
# share, export, vip); when something is not served, a last line names every failure. Exit 0 only when all is served.
# A share that needs a login is checked as one of the users it admits, with that user's NT hash from Samba's own
# passdb (pdbedit -w): no password is known to or sent by the console, and the hash never leaves the node's memory. On
# a member of an Active Directory domain, as the cluster's machine account (smbclient -P) through winbind and the DC.
# Exit 1 when something is not served; 2 when called with a malformed item.
# set -e stops only the top level: the checks run in $(check_all), where bash clears it, so one failed probe is a
# result to report, never the end of the round.
set -eu
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
failures=()

ok() { printf '@@serve\tok\t%s\t%s\n' "$1" "$2"; }
fail() { printf '@@serve\tfail\t%s\t%s\t%s\n' "$1" "$2" "$3"; failures+=("$1 $2: $3"); }

shares=() exports=() vips=()
while [ $# -gt 0 ]; do
  case $1 in
    share) [ $# -ge 6 ] || { echo "serve-check: share needs NAME PATH GUEST READONLY USERS" >&2; exit 2; }
           shares+=("$2" "$3" "$4" "$5" "$6"); shift 6 ;;
    export) [ $# -ge 2 ] || { echo "serve-check: export needs PATH" >&2; exit 2; }
            exports+=("$2"); shift 2 ;;
    vip) [ $# -ge 3 ] || { echo "serve-check: vip needs ADDRESS PORTS" >&2; exit 2; }
         vips+=("$2" "$3"); shift 3 ;;
    *) echo "serve-check: unknown item '$1'" >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------- SMB
# Where the VFS modules come from on this distribution, for the admin's fix.
vfs_fix() { [ -e /etc/debian_version ] && echo "install samba-vfs-modules" || echo "reinstall samba"; }

# The account the share admits that this check logs in as: a listed user with an SMB account, else any SMB account
# that is a member of a listed group, else (no list) any SMB account.
login_user() {
  local users=$1 u g
  for u in $users; do
    case $u in @*|+*|\&*) ;; *) pdbedit -u "$u" >/dev/null 2>&1 && { echo "$u"; return 0; } ;; esac
  done
  for u in $(pdbedit -L 2>/dev/null | cut -d: -f1); do
    [ -z "$users" ] && { echo "$u"; return 0; }
    for g in $users; do
      case $g in @*|+*|\&*) id -nG "$u" 2>/dev/null | tr ' ' '\n' | grep -qxF "${g#[@+&]}" && { echo "$u"; return 0; } ;; esac
    done
  done
  return 1
}

# Why smbd refused, in the admin's words: its own log first (what it wrote while we connected), else smbclient's status.
refusal() {
  local output=$1 log=$2 from=$3 loaded status
  loaded=$(tail -c +"$((from + 1))" "$log" 2>/dev/null | grep -o "Error loading module '[^']*'" | head -n 1)
  if [ -n "$loaded" ]; then
    loaded=${loaded#Error loading module \'}; loaded=${loaded%\'}
    case $loaded in */vfs/*) echo "smbd could not load vfs module $(basename "$loaded" .so) ($(vfs_fix))"; return ;; esac
    echo "smbd could not load module $loaded"; return
  fi
  status=$(printf '%s\n' "$output" | grep -o 'NT_STATUS_[A-Z_]*' | head -n 1)
  case $status in
    NT_STATUS_CONNECTION_REFUSED) echo "smbd does not answer on this node (connection refused: $(smbd_state))" ;;
    NT_STATUS_BAD_NETWORK_NAME) echo "smbd does not serve it (NT_STATUS_BAD_NETWORK_NAME: not in its configuration, or its VFS setup failed; see log.smbd)" ;;
    NT_STATUS_ACCESS_DENIED) echo "smbd refused the login or the folder (NT_STATUS_ACCESS_DENIED)" ;;
    NT_STATUS_LOGON_FAILURE) echo "smbd refused the login (NT_STATUS_LOGON_FAILURE)" ;;
    '') echo "smbclient failed: $(printf '%s\n' "$output" | tail -n 1)" ;;
    *) echo "tree connect failed: $status" ;;
  esac
}

# Why nothing listens on 445: no smbd at all, or an smbd that has not opened its port yet; in a cluster, what CTDB says
# of this node, since a clustered smbd waits for CTDB's databases before it listens.
smbd_state() {
  local pids status here mode
  pids=$(pidof smbd 2>/dev/null || true)
  if [ -z "$pids" ]; then printf 'no smbd process runs'; else printf 'smbd runs (pid %s) but does not listen' "${pids%% *}"; fi
  [ "$clustered" = yes ] || return 0
  if ! status=$(timeout 5 ctdb status 2>&1); then printf '; CTDB does not answer here: %s' "$(printf '%s\n' "$status" | tail -n 1)"; return 0; fi
  here=$(printf '%s\n' "$status" | sed -n 's/^pnn:[0-9]* *[^ ]* *\(.*\) (THIS NODE)$/\1/p')
  mode=$(printf '%s\n' "$status" | sed -n 's/^Recovery mode:\([A-Z]*\).*/\1/p')
  printf '; CTDB here: %s, recovery mode %s' "${here:-unknown}" "${mode:-unknown}"
}

# Can USER do what the share needs in PATH (read and enter, and write unless read-only)?
may_use() {
  local user=$1 path=$2 readonly=$3
  if [ "$readonly" = yes ]; then runuser -u "$user" -- test -r "$path" -a -x "$path"
  else runuser -u "$user" -- test -r "$path" -a -x "$path" -a -w "$path"; fi
}

check_share() {
  local name=$1 path=$2 guest=$3 readonly=$4 users=$5 user hash output rc mark need trust
  [ -d "$path" ] || { fail share "$name" "its folder $path does not exist on this node"; return; }
  need=$([ "$readonly" = yes ] && echo "read" || echo "read and write")
  mark=$(stat -c %s "$smb_log" 2>/dev/null || echo 0)
  if [ "$guest" = yes ]; then
    user=$(testparm -s --parameter-name='guest account' 2>/dev/null); user=${user:-nobody}
    may_use "$user" "$path" "$readonly" ||
      { fail share "$name" "the guest account $user cannot $need $path ($(stat -c '%U:%G %a' "$path"))"; return; }
    output=$(timeout 30 smbclient -N -t 10 "//127.0.0.1/$name" -c 'cd /' 2>&1); rc=$?
  elif [ "$member" = yes ]; then
    # A domain member: no user's password is known here. The cluster's machine account logs in as a domain user would,
    # through winbind and the DC; a tree connect refused to it (it is in no list) still proves smbd serves the share.
    trust=$(timeout 30 wbinfo -t 2>&1) ||
      { fail share "$name" "winbind cannot use the cluster's domain account: $(printf '%s\n' "$trust" | tail -n 1)"; return; }
    output=$(timeout 30 smbclient -P -t 10 "//127.0.0.1/$name" -c 'cd /' 2>&1); rc=$?
    case $output in *"tree connect failed: NT_STATUS_ACCESS_DENIED"*) rc=0 ;; esac
  else
    # The quotes around $users are for the admin's message (SC2016: it does expand, inside the double quotes).
    # shellcheck disable=SC2016
    user=$(login_user "$users") ||
      { fail share "$name" "nobody can log in to it: no SMB account${users:+ among '$users'} (add one with smbpasswd -a USER)"; return; }
    id -u "$user" >/dev/null 2>&1 || { fail share "$name" "its user $user has an SMB account but no Unix account on this node"; return; }
    may_use "$user" "$path" "$readonly" ||
      { fail share "$name" "its user $user cannot $need $path ($(stat -c '%U:%G %a' "$path"))"; return; }
    hash=$(pdbedit -w -u "$user" 2>/dev/null | cut -d: -f4)
    output=$(PASSWD=$hash timeout 30 smbclient -U "$user" --pw-nt-hash -t 10 "//127.0.0.1/$name" -c 'cd /' 2>&1); rc=$?
  fi
  if [ $rc -eq 0 ]; then ok share "$name"; else fail share "$name" "$(refusal "$output" "$smb_log" "$mark")"; fi
}

check_smb() {
  local build modules_dir builtin module conf errors member=no clustered=no
  if ! command -v smbd >/dev/null || ! command -v smbclient >/dev/null; then
    fail config smb.conf "smbd or smbclient is not installed"; return
  fi
  build=$(smbd -b 2>/dev/null)
  modules_dir=$(printf '%s\n' "$build" | sed -n 's/^ *MODULESDIR: //p')
  builtin=$(printf '%s\n' "$build" | sed -n '/^Builtin modules:/{n;p;}')
  smb_log=$(printf '%s\n' "$build" | sed -n 's/^ *LOGFILEBASE: //p')/log.smbd
  errors=$(mktemp)
  if conf=$(testparm -s 2>"$errors"); then
    if grep -qiE 'unknown parameter|ignoring|error' "$errors"; then
      fail config smb.conf "testparm: $(grep -iE 'unknown parameter|ignoring|error' "$errors" | head -n 1)"
    else ok config smb.conf; fi
  else
    fail config smb.conf "testparm: $(grep -v '^Load smb config\|^Loaded services' "$errors" | head -n 1)"
  fi
  rm -f "$errors"
  for module in $(printf '%s\n' "$conf" | sed -n 's/^[[:space:]]*vfs objects = //p' | tr ' ' '\n' | sort -u); do
    # shellcheck disable=SC2086 # $builtin is a list of words: one per module
    if [ -e "$modules_dir/vfs/$module.so" ] || printf ' %s ' $builtin | grep -qF " vfs_$module "; then ok module "$module"
    else fail module "$module" "smbd has no VFS module $module: $modules_dir/vfs/$module.so is missing ($(vfs_fix))"; fi
  done
  # check_share reads them: a member of an Active Directory domain checks its shares through the domain; a refusal in a
  # cluster says what CTDB says of the node.
  printf '%s\n' "$conf" | grep -qiE '^[[:space:]]*security = ads' && member=yes
  printf '%s\n' "$conf" | grep -qiE '^[[:space:]]*clustering = yes' && clustered=yes
  local i
  for ((i = 0; i < ${#shares[@]}; i += 5)); do
    check_share "${shares[i]}" "${shares[i+1]}" "${shares[i+2]}" "${shares[i+3]}" "${shares[i+4]}"
  done
}

# ---------------------------------------------------------------- NFS
check_nfs() {
  local listed path
  if ! listed=$(timeout 10 dbus-send --system --print-reply --dest=org.ganesha.nfsd /org/ganesha/nfsd/ExportMgr \
       org.ganesha.nfsd.exportmgr.ShowExports 2>&1); then
    for path in "${exports[@]}"; do fail export "$path" "Ganesha does not answer on D-Bus: $(printf '%s\n' "$listed" | tail -n 1)"; done
    return
  fi
  for path in "${exports[@]}"; do
    if [ ! -d "$path" ]; then fail export "$path" "its folder does not exist on this node"
    elif printf '%s\n' "$listed" | grep -qF "string \"$path\""; then ok export "$path"
    else fail export "$path" "Ganesha does not list it$(ganesha_complaint)"; fi
  done
}

# Ganesha's last serious complaint about exports, their backends or its configuration, which names why it dropped an
# export (a path its backend cannot reach, a refused option); the log's place when it has none.
ganesha_complaint() {
  local log=/var/log/ganesha/ganesha.log line
  line=$(grep -E ' :(EXPORT|FSAL|CONFIG) :(CRIT|MAJ|FATAL) :' "$log" 2>/dev/null | tail -n 1 | sed 's/^.*\] //' | cut -c1-300)
  if [ -n "$line" ]; then printf ': %s (%s)' "$line" "$log"; else printf ' (see %s)' "$log"; fi
}

# ---------------------------------------------------------------- virtual IPs
check_vip() {
  local address=$1 ports=$2 port silent=
  for port in ${ports//,/ }; do
    # shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' storageha-connect "$address" "$port" 2>/dev/null || silent="$silent $port"
  done
  if [ -z "$silent" ]; then ok vip "$address"; else fail vip "$address" "nothing answers on port${silent} from this node"; fi
}

# One round: every line, then (when something is not served) the line naming every failure; false when not served.
check_all() {
  failures=()
  [ ${#shares[@]} -gt 0 ] && check_smb
  [ ${#exports[@]} -gt 0 ] && check_nfs
  for ((v = 0; v < ${#vips[@]}; v += 2)); do check_vip "${vips[v]}" "${vips[v+1]}"; done
  [ ${#failures[@]} -eq 0 ] && return 0
  ( IFS=';'; echo "not served: ${failures[*]}" | sed 's/;/; /g' )
  return 1
}

# A daemon Pacemaker has just started (smbd forks, then waits for CTDB's databases, then listens) may need a moment to
# answer: a round that is not served is checked again every 2 s, for at most 15 s, or 60 s while a daemon or a virtual
# IP does not answer yet (a loaded node starts slowly); the last round is the answer. A lasting fault (a missing folder
# or module) is not waited for beyond 15 s.
starting() { printf '%s\n' "$1" | grep -qE 'smbd does not answer|nothing answers on port|Ganesha does not answer'; }
until report=$(check_all); do
  if [ "$SECONDS" -ge 60 ] || { [ "$SECONDS" -ge 15 ] && ! starting "$report"; }; then printf '%s\n' "$report"; exit 1; fi
  sleep 2
done
printf '%s\n' "$report"
exit 0

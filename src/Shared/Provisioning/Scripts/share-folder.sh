#!/bin/sh
# share-folder.sh set|check PATH OWNER GROUP MODE: a share's folder with the owner, group and mode the share gives it
# ("" leaves that one as it is). set creates PATH (and its parents) when missing, then sets them; check exits 0 when
# PATH is a directory that has them already, 1 when not. Exit 3 when OWNER or GROUP is unknown on this node.
# OWNER and GROUP are accounts as NSS names them (alice, LAB\alice with winbind's '\' separator): a domain account
# resolves only where winbind runs. They are compared by uid and gid, so the case winbind spells them in does not matter.
# MODE is octal (770, 2770); chmod gets it with a leading 0 more, because GNU chmod keeps a directory's setgid bit
# unless a numeric mode has five digits.
set -eu
[ $# -eq 5 ] || { echo "usage: share-folder.sh set|check PATH OWNER GROUP MODE" >&2; exit 2; }
action=$1 path=$2 owner=$3 group=$4 mode=$5

# printf, not echo: dash's echo would turn the \a of LAB\alice into a bell.
uid_of() { id -u -- "$1" 2>/dev/null || { printf 'share-folder: there is no user %s on this node\n' "$1" >&2; exit 3; }; }
gid_of() {
  gid=$(getent group "$1" | cut -d: -f3)
  [ -n "$gid" ] || { printf 'share-folder: there is no group %s on this node\n' "$1" >&2; exit 3; }
  echo "$gid"
}
# 0770 and 770 are one mode; stat prints it without leading zeros.
bare() { b=$(printf '%s' "$1" | sed 's/^0*//'); echo "${b:-0}"; }
uid='' gid=''
if [ -n "$owner" ]; then uid=$(uid_of "$owner"); fi
if [ -n "$group" ]; then gid=$(gid_of "$group"); fi

case $action in
  set)
    mkdir -p -- "$path"
    if [ -n "$uid" ]; then chown -- "$uid" "$path"; fi
    if [ -n "$gid" ]; then chgrp -- "$gid" "$path"; fi
    if [ -n "$mode" ]; then
      [ ${#mode} -eq 3 ] && mode=0$mode
      chmod -- "0$mode" "$path"
    fi
    ;;
  check)
    [ -d "$path" ] || exit 1
    if [ -n "$uid" ]; then [ "$(stat -c %u -- "$path")" = "$uid" ] || exit 1; fi
    if [ -n "$gid" ]; then [ "$(stat -c %g -- "$path")" = "$gid" ] || exit 1; fi
    if [ -n "$mode" ]; then [ "$(stat -c %a -- "$path")" = "$(bare "$mode")" ] || exit 1; fi
    ;;
  *) printf 'share-folder: unknown action %s (set or check)\n' "$action" >&2; exit 2 ;;
esac

#!/bin/sh
# local-accounts.sh apply|check RECORD ACCOUNT...: the cluster's local SMB users and groups as Unix accounts on this
# node, with exactly the uids and gids the console gave them. ACCOUNT is group:NAME:GID or user:NAME:UID:GROUP,GROUP...
# (the local groups it is a member of; groups come first). A user has no login shell (/usr/sbin/nologin), no home, the
# shared "users" group as its primary group and a locked Unix password: it only logs in to SMB, with its password in
# Samba's passdb. RECORD lists the accounts the console created here ("user NAME", "group NAME"): one it created that
# is no longer an ACCOUNT is deleted; an account it did not create is never deleted or changed.
# A NAME that exists with another id, or an id that another name has, is refused (exit 3, naming both): the console
# never changes an existing account's id. apply exits 0 when the node has the accounts; check exits 0 when it already
# had them (1 otherwise, 3 on a conflict).
set -eu
mode=$1
record=$2
shift 2
field() { printf '%s\n' "$1" | cut -d: -f"$2"; }
refuse() { echo "local-accounts: $*; the console changes no existing account's id" >&2; exit 3; }
recorded() { grep -qxF "$1 $2" "$record" 2>/dev/null; }
# A change to make: check answers "not yet" at the first one.
change() {
  if [ "$mode" = check ]; then exit 1; fi
  "$@"
}
remember() { recorded "$1" "$2" || { mkdir -p "$(dirname "$record")"; echo "$1 $2" >> "$record"; }; }
wanted=
for account in "$@"; do
  kind=$(field "$account" 1); name=$(field "$account" 2); id=$(field "$account" 3)
  wanted="$wanted $kind:$name "
  if [ "$kind" = group ]; then
    if entry=$(getent group "$name"); then
      [ "$(field "$entry" 3)" = "$id" ] || refuse "group $name exists with gid $(field "$entry" 3), not $id"
    else
      if other=$(getent group "$id"); then refuse "gid $id is group $(field "$other" 1)'s, not $name's"; fi
      change groupadd --gid "$id" "$name"
      remember group "$name"
    fi
  else
    if entry=$(getent passwd "$name"); then
      [ "$(field "$entry" 3)" = "$id" ] || refuse "user $name exists with uid $(field "$entry" 3), not $id"
    else
      if other=$(getent passwd "$id"); then refuse "uid $id is user $(field "$other" 1)'s, not $name's"; fi
      change useradd --uid "$id" --gid users --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$name"
      remember user "$name"
    fi
  fi
done
# Membership, only in the local groups: each user is in exactly the ones its ACCOUNT names.
for account in "$@"; do
  [ "$(field "$account" 1)" = user ] || continue
  name=$(field "$account" 2); groups=",$(field "$account" 4),"
  for group_account in "$@"; do
    [ "$(field "$group_account" 1)" = group ] || continue
    group=$(field "$group_account" 2)
    members=",$(getent group "$group" | cut -d: -f4),"
    case $groups in *",$group,"*) want=1 ;; *) want= ;; esac
    case $members in *",$name,"*) has=1 ;; *) has= ;; esac
    if [ -n "$want" ] && [ -z "$has" ]; then change gpasswd --add "$name" "$group" > /dev/null; fi
    if [ -z "$want" ] && [ -n "$has" ]; then change gpasswd --delete "$name" "$group" > /dev/null; fi
  done
done
# The console's accounts no longer wanted: users first (a group that is a user's primary group cannot go before it).
for kind in user group; do
  [ -f "$record" ] || break
  # Account names are words (letters, digits, '_', '-', '.'): read one per word.
  # shellcheck disable=SC2013
  for name in $(awk -v k="$kind" '$1 == k { print $2 }' "$record"); do
    case $wanted in *" $kind:$name "*) continue ;; esac
    if [ "$kind" = user ]; then
      if getent passwd "$name" > /dev/null; then change userdel "$name"; fi
    elif getent group "$name" > /dev/null; then change groupdel "$name"; fi
    if [ "$mode" = apply ]; then
      grep -vxF "$kind $name" "$record" > "$record.new" || true
      mv "$record.new" "$record"
    fi
  done
done
if [ "$mode" = apply ] && [ -f "$record" ] && [ ! -s "$record" ]; then rm -f "$record"; fi

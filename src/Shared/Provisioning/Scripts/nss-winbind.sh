#!/bin/sh
# nss-winbind.sh ORIGINALS add|check [CONF]: the passwd and group lines of /etc/nsswitch.conf with winbind added after the
# sources they have, so that the domain's users and groups have uids and gids on this node (chown, ls, and smbd's
# file owners). The rest of the file stays as the admin wrote it. The first time, the file as it was is kept under
# ORIGINALS as write-file.sh keeps it, so a teardown gives it back (restore-files.sh). CONF: /etc/nsswitch.conf.
#   add    adds winbind where it is missing (atomically: a temporary file renamed over the old one)
#   check  exit 0 when both lines already name winbind; 1 otherwise
set -eu
conf=${3:-/etc/nsswitch.conf}
kept=$1$conf
missing() {
  awk '/^(passwd|group):/ { seen[$1] = 1; if ($0 !~ /[[:space:]]winbind([[:space:]#]|$)/) bad = 1 }
       END { exit !(bad || !("passwd:" in seen) || !("group:" in seen)) }' "$conf"
}
case $2 in
  check) if missing; then exit 1; fi ;;
  add)
    missing || exit 0
    if [ ! -e "$kept.orig" ] && [ ! -e "$kept.none" ]; then
      mkdir -p "$(dirname "$kept")"
      rm -f "$kept.restored"
      cp -p "$conf" "$kept.orig"
    fi
    temp=$(mktemp "$conf.XXXXXX")
    trap 'rm -f "$temp"' EXIT
    awk '/^(passwd|group):/ && $0 !~ /[[:space:]]winbind([[:space:]#]|$)/ { sub(/[[:space:]]*(#.*)?$/, " winbind&") } { print }' "$conf" > "$temp"
    # A file without a passwd or group line (the C library then uses "files"): give it both.
    grep -q '^passwd:' "$temp" || printf 'passwd:         files winbind\n' >> "$temp"
    grep -q '^group:' "$temp" || printf 'group:          files winbind\n' >> "$temp"
    chmod 644 "$temp"
    mv -f "$temp" "$conf" ;;
  *) echo "nss-winbind.sh: add or check, not '$2'" >&2; exit 2 ;;
esac

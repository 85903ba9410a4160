#!/bin/sh
# storageha-firstboot.service: personalises a container of this image on its first boot (personalise.sh on /), with
# what `docker run -e` gave the container's init: AUTHORIZED_KEYS (required: the public key(s) the console logs in
# with, for root, admin and clerk) and CLERK_PASSWORD (optional: clerk's sudo password).
set -eu
lib=/usr/local/lib/storageha-node
setting() { tr '\0' '\n' < /proc/1/environ | sed -n "s/^$1=//p" | head -n 1; }
keys=$(mktemp) password=$(mktemp)
trap 'rm -f "$keys" "$password"' EXIT
setting AUTHORIZED_KEYS > "$keys"
[ -s "$keys" ] || { echo "storageha-firstboot: set AUTHORIZED_KEYS (docker run -e AUTHORIZED_KEYS=...)" >&2; exit 1; }
setting CLERK_PASSWORD > "$password"
"$lib/personalise.sh" / "$(hostname)" "$keys" "" "" "$([ -s "$password" ] && echo "$password")"
mkdir -p /var/lib/storageha-node && touch /var/lib/storageha-node/personalised

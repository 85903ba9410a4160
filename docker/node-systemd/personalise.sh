#!/bin/sh
# First boot of a systemd node: what an installer makes unique per server, and the accounts customers log in with.
# Runs on the node's root directory ROOT: the lab (docker/lab/systemd-node.sh) calls it from the host on the node's
# disk before its first boot; the Docker image's storageha-firstboot.service calls it with ROOT=/ in the container.
#
#   personalise.sh ROOT NAME AUTHORIZED_KEYS_FILE [HOST_KEYS_DIR] [HOSTS_FILE] [CLERK_PASSWORD_FILE]
#
# Makes: /etc/hostname, /etc/machine-id (not on a booted system), SSH host keys (copied from HOST_KEYS_DIR when it holds them, so a reinstalled
# lab node keeps the keys clients pinned; otherwise new ones), /etc/hosts (HOSTS_FILE), and three logins with the
# authorized keys: root, admin (sudo without a password) and clerk (sudo that asks for the password in
# CLERK_PASSWORD_FILE; without one clerk has no password and sudo can never succeed).
set -eu
root=$1 name=$2 keys=$3 host_keys=${4:-} hosts=${5:-} clerk_password=${6:-}
[ -d "$root/etc" ] || { echo "personalise: $root is not a root filesystem" >&2; exit 1; }
in_root() { if [ "$root" = / ]; then "$@"; else chroot "$root" "$@"; fi; }

echo "$name" > "$root/etc/hostname"
# A booted system (ROOT=/) already has one: systemd makes it at first boot from the empty file the image ships.
[ "$root" = / ] || tr -d - < /proc/sys/kernel/random/uuid > "$root/etc/machine-id"
[ -n "$hosts" ] && cat "$hosts" > "$root/etc/hosts"

rm -f "$root"/etc/ssh/ssh_host_*
if [ -n "$host_keys" ] && [ -f "$host_keys/ssh_host_ed25519_key" ]; then
  cp -p "$host_keys"/ssh_host_* "$root/etc/ssh/"
else
  in_root ssh-keygen -q -A
  if [ -n "$host_keys" ]; then mkdir -p "$host_keys" && cp -p "$root"/etc/ssh/ssh_host_* "$host_keys/"; fi
fi

authorize() {   # USER HOME
  install -d -m 700 "$root$2/.ssh"
  install -m 600 "$keys" "$root$2/.ssh/authorized_keys"
  in_root chown -R "$1:" "$2/.ssh"
}
authorize root /root
for user in admin clerk; do
  in_root id "$user" > /dev/null 2>&1 || in_root useradd --create-home --shell /bin/bash --groups sudo "$user"
  authorize "$user" "/home/$user"
done
# admin: the usual automation account. clerk: in group sudo as Debian's installer makes the first user, so sudo asks
# for the password.
echo 'admin ALL=(ALL:ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/storageha-admin"
chmod 440 "$root/etc/sudoers.d/storageha-admin"
[ -n "$clerk_password" ] && printf 'clerk:%s\n' "$(cat "$clerk_password")" | in_root chpasswd
exit 0

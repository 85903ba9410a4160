#!/bin/sh
# give-back-units.sh HANDED-OVER ENABLED: puts systemd's units back as they were before the console built the cluster:
# each unit in HANDED-OVER (hand-over-units.sh: enabled until the cluster took it) is enabled and started again, each
# in ENABLED (enable-at-boot.sh: the console made it start at boot) no longer starts at boot. Each record is removed
# once done. Exit 0 when done; non-zero when systemctl fails (the records then stay, so a re-run finishes the job).
set -eu
if [ -f "$2" ]; then
  # the units are names, one per line (written by enable-at-boot.sh)
  # shellcheck disable=SC2046
  systemctl disable --quiet $(cat "$2")
  rm -f "$2"
fi
if [ -f "$1" ]; then
  # shellcheck disable=SC2046
  systemctl enable --now --quiet $(cat "$1")
  rm -f "$1"
fi

#!/bin/bash
# address-check.sh ADDRESS...: does anything answer at these addresses, asked from this node on their subnet?
# A TCP connection attempt (to port 9) makes the node resolve the address, so a refusal, an accepted connection or a
# learnt link-layer address (ARP/ND) all mean a machine is there. Needs bash (/dev/tcp), coreutils' timeout, iproute2.
# Prints "answers ADDRESS" for each address something answers at, taking 2 s per silent address; exit 0.
set -eu
for address in "$@"; do
  # shellcheck disable=SC2016 # $1 is the inner bash's argument
  result=$(timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/9" && echo open' storageha-try "$address" 2>&1) || true
  case $result in *open*|*refused*) echo "answers $address"; continue ;; esac
  if ip neigh show "$address" 2>/dev/null | grep -q lladdr; then echo "answers $address"; fi
done

#!/bin/sh
# registry-globals.sh set|check: the [global] settings on standard input, one "name = value" a line, in the registry
# that CTDB replicates (net conf), so every node of the cluster has them at once. Settings not named stay as they are.
#   set    sets each one whose value differs (net conf setparm)
#   check  exit 0 when every one already has its value; 1 otherwise
set -eu
mode=$1 changed=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  name=${line%% = *} value=${line#* = }
  current=$(net conf getparm global "$name" 2>/dev/null) || current=
  [ "$current" = "$value" ] && continue
  [ "$mode" = check ] && exit 1
  net conf setparm global "$name" "$value"
  changed=1
done
[ "$mode" = set ] && [ "$changed" = 0 ] && echo "every setting already had its value"
exit 0

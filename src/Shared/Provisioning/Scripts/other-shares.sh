#!/bin/sh
# other-shares.sh delete|check NAME...: the Samba registry's shares other than these NAMEs (compared without case, as
# Samba compares share names; [global] is never one).
#   delete  deletes every other share; the folders and their data stay. Exit 0 when done; non-zero when net conf failed.
#   check   exit 0 when the registry has no other share; 1 when it has one (or cannot be read).
set -eu
action=$1
shift
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
# Prints the registry's shares not among the arguments, one a line.
others() {
  listed=$(net conf listshares) || return 1
  printf '%s\n' "$listed" | while IFS= read -r share; do
    if [ -z "$share" ] || [ "$share" = global ]; then continue; fi
    known=
    for keep in "$@"; do
      if [ "$(lower "$keep")" = "$(lower "$share")" ]; then known=1; fi
    done
    if [ -z "$known" ]; then printf '%s\n' "$share"; fi
  done
}
others=$(others "$@") || exit 1
case $action in
  delete)
    printf '%s\n' "$others" | while IFS= read -r share; do
      if [ -n "$share" ]; then net conf delshare "$share" || exit 1; fi
    done ;;
  check) [ -z "$others" ] || exit 1 ;;
  *) echo "other-shares.sh: unknown action '$action' (delete or check)" >&2; exit 2 ;;
esac

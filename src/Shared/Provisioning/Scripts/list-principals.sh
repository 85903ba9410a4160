#!/bin/sh
# list-principals.sh users|groups SEARCH LIMIT: the joined domain's users (wbinfo -u) or groups (wbinfo -g) whose name
# contains SEARCH in any case ("" for all), at most LIMIT lines. Exit non-zero, with wbinfo's words, when winbind does
# not answer. wbinfo's output is taken whole first: in a pipe its failure would be hidden behind head's success.
set -eu
[ $# -eq 3 ] || { echo "usage: list-principals.sh users|groups SEARCH LIMIT" >&2; exit 2; }
case $1 in
  users) flag=-u ;;
  groups) flag=-g ;;
  *) printf 'list-principals: users or groups, not %s\n' "$1" >&2; exit 2 ;;
esac
all=$(wbinfo "$flag")
printf '%s\n' "$all" | grep -iF -- "$2" | head -n "$3"

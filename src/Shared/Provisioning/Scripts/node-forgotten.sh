#!/bin/sh
# node-forgotten.sh NODE: is NODE gone from Pacemaker's node list (the CIB's configuration)?
# Exit 0 when it is (or the CIB cannot be read: there is nothing left to forget); 1 when the CIB still lists it.
set -eu
if cibadmin --query --xpath "/cib/configuration/nodes/node[@uname='$1']" >/dev/null 2>&1; then exit 1; fi

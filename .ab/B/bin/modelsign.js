#!/bin/sh
':' /*-
# The `modelsign` command (dist/bin/modelsign.js): a POSIX shell script that runs Node, and
# the CommonJS module Node then runs, in one file. Node 20 reads every certificate named by
# NODE_EXTRA_CA_CERTS (and builds its own root store) as it starts, before any JavaScript
# runs: 40-50 ms per start on a machine that names the system bundle there, and commands
# that only hash and check local files never use TLS. For those, and only when no argument
# holds a URL (`://`) or names a layout, the variable is set aside as
# MODELSIGN_NODE_EXTRA_CA_CERTS (the CLI refuses to reach the network while it is set
# aside: cli/ca-certificates.ts).
# `node dist/bin/modelsign.js` skips this part and keeps the environment as it is.
case "$1" in
  '' | digest | --help | -h | --version) offline=1 ;;
  sign | verify) case "$2" in key | certificate) offline=1 ;; esac ;;
esac
for arg; do case "$arg" in *://* | *oci-layout:*) offline= ;; esac; done
if [ -n "$offline" ] && [ -n "${NODE_EXTRA_CA_CERTS+set}" ]; then
  MODELSIGN_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export MODELSIGN_NODE_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
exec node "$0" "$@"
*/
'use strict';
require('./cli.js');

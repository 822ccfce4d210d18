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
# Flags given before the command, or between `sign` or `verify` and the method, are moved
# after them by the CLI (cli/command-first.ts): look past them the same way. Such a flag
# takes the next word as its value unless it has `=value`, or that word starts with `-` or
# names a command (a method).
command_words() {
  while [ $# -gt 0 ]; do
    case "$1" in
      '' | - | -- | [!-]*) break ;;
      *=*) shift ;;
      *) shift
        case "$1" in -* | digest | sign | verify | push | pull | attach | discover) ;; *) [ $# -eq 0 ] || shift ;; esac ;;
    esac
  done
  cmd=$1
  case "$cmd" in sign | verify) shift ;; *) return ;; esac
  while [ $# -gt 0 ]; do
    case "$1" in
      '' | - | -- | [!-]*) break ;;
      *=*) shift ;;
      *) shift
        case "$1" in -* | key | certificate | sigstore) ;; *) [ $# -eq 0 ] || shift ;; esac ;;
    esac
  done
  method=$1
}
command_words "$@"
# No command left (no arguments, `--help`, `--version`) is local too.
case "$cmd" in
  '' | digest) offline=1 ;;
  sign | verify) case "$method" in key | certificate) offline=1 ;; esac ;;
esac
for arg; do case "$arg" in *://* | *oci-layout:*) offline= ;; esac; done
# Only this launcher sets it: one inherited from elsewhere would make the CLI refuse TLS.
unset MODELSIGN_NODE_EXTRA_CA_CERTS
if [ -n "$offline" ] && [ -n "${NODE_EXTRA_CA_CERTS+set}" ]; then
  MODELSIGN_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export MODELSIGN_NODE_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
exec node "$0" "$@"
*/
'use strict';
require('./cli.js');

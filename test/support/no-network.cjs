// Preloaded with `node --require` to take the network away from a process: every socket
// connect and DNS lookup fails, and each attempt is appended to $MODELSIGN_NETWORK_LOG.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

function refuse(what) {
  if (process.env.MODELSIGN_NETWORK_LOG) fs.appendFileSync(process.env.MODELSIGN_NETWORK_LOG, `${what}\n`);
  const err = new Error(`network access is blocked in this test process (${what})`);
  err.code = 'ENETUNREACH';
  throw err;
}

net.Socket.prototype.connect = function connect(...args) {
  refuse(`connect ${JSON.stringify(args[0])}`);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[name] = (host) => refuse(`dns.${name} ${host}`);
  dns.promises[name] = async (host) => refuse(`dns.promises.${name} ${host}`);
}

#!/usr/bin/env node
// Starts the tslab TypeScript kernel of an nnft checkout for Jupyter.
// usage (from kernel.json): node {resource_dir}/launch.js {connection_file}
//
// tslab is looked up in the node_modules of, in order: $NNFT_ROOT, the folders above this
// kernelspec (when Jupyter uses it in place through JUPYTER_PATH=<repo>/kernels), and the folders
// above the working directory (Jupyter starts kernels in the notebook's folder).
'use strict';
const fs = require('fs');
const path = require('path');

function ancestors(dir) {
  const out = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

const roots = [...(process.env.NNFT_ROOT ? [process.env.NNFT_ROOT] : []), ...ancestors(__dirname), ...ancestors(process.cwd())];
const main = roots.map((r) => path.join(r, 'node_modules', 'tslab', 'dist', 'main.js')).find((f) => fs.existsSync(f));
if (!main) {
  process.stderr.write(
    'nnft kernel: could not find tslab (node_modules/tslab) above ' + [process.env.NNFT_ROOT, __dirname, process.cwd()].filter(Boolean).join(' or ') +
      '.\nRun `npm ci` in the nnft checkout, or set NNFT_ROOT to it (see environment.md).\n',
  );
  process.exit(1);
}
const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write('nnft kernel: usage: launch.js <connection_file>\n');
  process.exit(2);
}
// tslab 1.0.22 fires `socket.send(...)` without waiting for the previous send on the same socket,
// and zeromq 6 refuses a send while another is in flight (EBUSY): a cell that ends right after a
// large output (a figure) can crash the kernel. Serialise sends per socket before tslab starts.
const zmq = require(require.resolve('zeromq', { paths: [path.dirname(path.dirname(main))] }));
const send = zmq.Socket.prototype.send; // native and read-only: wrap it on each socket class instead
const queues = new WeakMap();
function serialisedSend(message) {
  const previous = queues.get(this) || Promise.resolve();
  const settled = previous
    .then(() => send.call(this, message))
    .catch((err) => process.stderr.write(`nnft kernel: a message could not be sent: ${err && err.message}\n`));
  queues.set(this, settled);
  return settled;
}
for (const Cls of Object.values(zmq)) {
  if (typeof Cls === 'function' && Cls.prototype instanceof zmq.Socket) {
    Object.defineProperty(Cls.prototype, 'send', { value: serialisedSend, writable: true, configurable: true });
  }
}

process.argv = [process.argv[0], main, 'kernel', '--config-path', connectionFile];
require(main).main();

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
process.argv = [process.argv[0], main, 'kernel', '--config-path', connectionFile];
require(main).main();

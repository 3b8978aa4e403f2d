#!/usr/bin/env node
// Drops, from package-lock.json, optional dependencies that have no entry of their own.
//
// Why: the registry reachable from these machines serves only the linux builds of some
// platform-specific optional packages (e.g. @unrs/resolver-binding-darwin-arm64, used by jest 30),
// so `npm install` cannot record the others, and `npm ci` then rejects its own lockfile as out of
// sync. Run this after any `npm install` that rewrites package-lock.json:
//   npm install && node scripts/prune-lockfile.js
'use strict';
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((k) => k.replace(/^.*node_modules\//, '')));
let pruned = 0;
for (const entry of Object.values(lock.packages)) {
  const optional = entry.optionalDependencies;
  if (!optional) continue;
  for (const name of Object.keys(optional)) {
    if (!present.has(name)) {
      delete optional[name];
      pruned++;
    }
  }
  if (Object.keys(optional).length === 0) delete entry.optionalDependencies;
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`prune-lockfile: removed ${pruned} optional dependency reference(s) with no lockfile entry`);

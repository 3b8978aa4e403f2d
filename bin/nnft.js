#!/usr/bin/env node
'use strict';
// The exit status is set, never forced with process.exit(): Node writes stdout to a pipe
// asynchronously, and exiting with output pending would cut it.
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

// The benches' command-line flags: `--name value` pairs and bare `--switch`es (shared by bench/*.js).
'use strict';

/** flag(name, fallback): the value after --name, or fallback; has(name): whether --name is given. */
function flagReader(args) {
  return {
    flag: (name, fallback) => {
      const i = args.indexOf(`--${name}`);
      return i >= 0 ? args[i + 1] : fallback;
    },
    has: (name) => args.includes(`--${name}`),
  };
}

module.exports = { flagReader };

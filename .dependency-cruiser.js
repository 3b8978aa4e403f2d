/**
 * Layering of src/ (checked by tests/layering.test.ts and `npm run layers`). Folders are layers;
 * a module may import its own folder and the layers below it, never one above or beside it:
 *
 *   core < statistics < nets < {exact, ensembles, expressivity, deep} < {eft, dynamics} < field-theory
 *        < notebook < lab < src/cli.ts, src/index.ts
 *
 * and no import cycle anywhere (lazy require() included). Folders for coming topics join this list
 * where their imports put them: knots beside exact and ensembles. deep/ holds the finite-width deep
 * nets; field-theory/ (lecture section 5) builds on the Feynman rules of eft/.
 */
const LAYERS = ['core', 'statistics', 'nets', ['exact', 'ensembles', 'expressivity', 'deep', 'knots'], ['eft', 'dynamics'], 'field-theory', 'notebook', 'lab'];
const rank = (name) => LAYERS.findIndex((l) => (Array.isArray(l) ? l.includes(name) : l === name));
const folders = LAYERS.flat();

/** For each folder, the folders it must not import: those of the same or a higher rank, itself excepted. */
const forbidden = folders.map((from) => {
  const banned = folders.filter((to) => to !== from && rank(to) >= rank(from));
  return {
    name: `layer-${from}`,
    comment: `src/${from} may import only ${folders.filter((to) => rank(to) < rank(from)).join(', ') || 'nothing of src'} (and itself)`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${banned.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles', from: {}, to: { circular: true } },
    ...forbidden.filter((r) => r.to.path !== '^src/()/'),
    {
      name: 'top-level-only-at-the-top',
      comment: 'src/cli.ts and src/index.ts are entry points: nothing in src imports them',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/(cli|index)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};

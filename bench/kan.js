#!/usr/bin/env node
// npm run bench (second part): Kolmogorov-Arnold networks against pykan (issue 14), on this machine.
//
//  1. pykan's hellokan workflow (KAN [2,5,1], grid 3, f = exp(sin(pi x1) + x2^2), 1000 train / 1000 test
//     points in [-1,1]^2; L-BFGS 50 steps with lambda = 1e-3, prune, 50 steps, refine(10), 50 steps,
//     auto_symbolic, 50 steps) for seeds 0..4 through nnft's kanRecipe, and through pykan itself
//     (bench/peers/pykan_hellokan.py with Debian's /usr/bin/python3 and pykan's own code, vendored
//     unmodified in bench/peers/pykan, when its Debian dependencies are installed: see environment.md),
//     interleaved seed by seed (nnft s, pykan s, nnft s+1, ...). pykan runs its first fit only (its
//     steps per second), unless --pykan-full: its whole workflow takes 3-12 minutes a seed here, most of
//     it in auto_symbolic.
//     Reported per seed: RMSE after each stage, the recovered formula, max |formula - target| on 1000
//     fresh points, and L-BFGS steps per second of the first stage (the one pykan's users quote).
//  2. Targets: test RMSE <= 2e-2 at grid 3, <= 6e-4 after refine(10), formula with test RMSE <= 1e-8
//     after snapping, each on at least 3 of 5 seeds; steps per second at least 2x pykan's published
//     5-7 (so >= 14), and the ratio to pykan measured here.
//  3. Bounded memory: peak resident memory of Adam on mini-batches (tfjs route, batch 1024) for 10^5 and
//     10^6 training rows, each in a fresh process: memory grows with the data (24 bytes a row as float64
//     inputs and target), not with the batch tensors.
//
// Options: --seeds 0,1,2,3,4, --no-peers, --pykan-full, --memory-rows 100000,1000000 (empty to skip).
// Results: out/bench-kan.json, out/bench-kan.md. Quote ratios; the machines are noisy.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const { flag, has } = require('./flags').flagReader(args);
const ROOT = path.resolve(__dirname, '..');
const SEEDS = String(flag('seeds', '0,1,2,3,4')).split(',').map(Number);
const PEERS = !has('no-peers');
const PYKAN_FULL = has('pykan-full');
const MEMORY_ROWS = String(flag('memory-rows', '100000,1000000')).split(',').filter(Boolean).map(Number);
const PYKAN_PUBLISHED = [5, 7];
const TARGETS = { grid3: 2e-2, refine10: 6e-4, symbolic: 1e-8, seedsNeeded: 3, speedFactor: 2 };

if (process.argv[2] === '--memory-child') {
  // child: Adam on mini-batches over N rows, prints its peak RSS
  const rows = Number(process.argv[3]);
  const nnft = require(path.join(ROOT, 'dist'));
  (async () => {
    await nnft.ensureBackend();
    const f = (p) => Math.exp(Math.sin(Math.PI * p[0]) + p[1] * p[1]);
    const data = nnft.kanDataset(f, 2, rows, 0, 10);
    const m = new nnft.Kan({ width: [2, 5, 1], grid: 5, seed: 0 });
    const t0 = performance.now();
    const h = nnft.fitKanTf(m, data, { steps: 200, batch: 1024, lr: 1e-2 });
    process.stdout.write(JSON.stringify({ rows, seconds: (performance.now() - t0) / 1000, rmse: h[h.length - 1].trainRmse, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
  })();
  return;
}

function nnftRun(seed) {
  const nnft = require(path.join(ROOT, 'dist'));
  const f = (p) => Math.exp(Math.sin(Math.PI * p[0]) + p[1] * p[1]);
  const r = nnft.kanRecipe({ target: f, width: [2, 5, 1], grid: 3, refine: 10, steps: 50, seed, symbolic: true, progress: false });
  return {
    seed,
    stages: r.stages.map((s) => ({ stage: s.stage, width: s.width, train: s.rmse.train, test: s.rmse.test, seconds: s.seconds, stepsPerSecond: 50 / s.seconds })),
    formula: r.formula,
    formulaError: r.formulaError.maxAbs,
  };
}

function pykanRun(seed) {
  const script = path.join(ROOT, 'bench/peers/pykan_hellokan.py');
  if (!fs.existsSync(script)) return { missing: 'bench/peers/pykan_hellokan.py is absent' };
  const p = spawnSync('/usr/bin/python3', [script, '--seed', String(seed), '--threads', '2', '--through', PYKAN_FULL ? 'all' : 'fit'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.status !== 0) return { missing: `pykan did not run (exit ${p.status}): ${(p.stderr || '').trim().split('\n').slice(-1)[0]}` };
  const out = JSON.parse(p.stdout);
  return {
    seed,
    stages: out.stages.map((s) => ({ stage: s.stage, train: s.train_rmse, test: s.test_rmse, seconds: s.seconds, stepsPerSecond: s.steps_per_second })),
    formula: out.formula, dtype: out.dtype, torch: out.torch, commit: out.commit,
  };
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

const runs = { nnft: [], pykan: [] };
let pykanMissing = PEERS ? null : 'skipped (--no-peers)';
for (const seed of SEEDS) {
  process.stderr.write(`hellokan seed ${seed}: nnft`);
  runs.nnft.push(nnftRun(seed));
  if (!pykanMissing) {
    process.stderr.write(', pykan');
    const p = pykanRun(seed);
    if (p.missing) pykanMissing = p.missing;
    else runs.pykan.push(p);
  }
  process.stderr.write('\n');
}

const stageOf = (run, name) => run.stages.find((s) => s.stage === name);
const meets = {
  grid3: runs.nnft.filter((r) => stageOf(r, 'pruned').test <= TARGETS.grid3).length,
  refine10: runs.nnft.filter((r) => stageOf(r, 'refine 10').test <= TARGETS.refine10).length,
  symbolic: runs.nnft.filter((r) => stageOf(r, 'symbolic').test <= TARGETS.symbolic).length,
};
const nnftSpeed = median(runs.nnft.map((r) => stageOf(r, 'fit').stepsPerSecond));
const pykanSpeed = runs.pykan.length ? median(runs.pykan.map((r) => r.stages[0].stepsPerSecond)) : NaN;

const memory = MEMORY_ROWS.map((rows) => {
  const p = spawnSync(process.execPath, [__filename, '--memory-child', String(rows)], { cwd: ROOT, encoding: 'utf8' });
  return p.status === 0 ? JSON.parse(p.stdout) : { rows, error: (p.stderr || '').trim().split('\n').slice(-1)[0] };
});

const result = {
  date: new Date().toISOString(), seeds: SEEDS, runs, pykanMissing, targets: TARGETS, meets,
  speed: { nnftStepsPerSecond: nnftSpeed, pykanStepsPerSecond: pykanSpeed, ratioToPykanHere: nnftSpeed / pykanSpeed, ratioToPublished: PYKAN_PUBLISHED.map((p) => nnftSpeed / p) },
  memory,
};

const e = (v) => (Number.isFinite(v) ? v.toExponential(2) : v === undefined ? '-' : String(v));
const lines = [
  `# KAN bench (${result.date.slice(0, 10)})`, '',
  `hellokan, nnft (float64), seeds ${SEEDS.join(', ')}: test RMSE per stage, formula, max |formula - target| on 1000 fresh points, first-stage L-BFGS steps/s`, '',
  '| seed | width after prune | grid 3 | refine 10 | symbolic | formula | max error | steps/s |', '|---|---|---|---|---|---|---|---|',
  ...runs.nnft.map((r) => `| ${r.seed} | ${stageOf(r, 'pruned').width.join(',')} | ${e(stageOf(r, 'pruned').test)} | ${e(stageOf(r, 'refine 10').test)} | ${e(stageOf(r, 'symbolic').test)} | \`${r.formula}\` | ${e(r.formulaError)} | ${stageOf(r, 'fit').stepsPerSecond.toFixed(1)} |`),
  '',
  `Targets (at least ${TARGETS.seedsNeeded} of ${SEEDS.length} seeds): grid 3 <= ${TARGETS.grid3}: ${meets.grid3}; refine 10 <= ${TARGETS.refine10}: ${meets.refine10}; symbolic <= ${TARGETS.symbolic}: ${meets.symbolic}.`,
  '',
];
if (runs.pykan.length) {
  lines.push(`pykan here (${runs.pykan[0].commit ?? '?'}, torch ${runs.pykan[0].torch}, ${runs.pykan[0].dtype}), same seeds (its own data draws):`, '',
    '| seed | grid 3 | refine 10 | symbolic | formula | steps/s |', '|---|---|---|---|---|---|',
    ...runs.pykan.map((r) => `| ${r.seed} | ${e(r.stages[1]?.test ?? r.stages[0].test)} | ${e(r.stages[2]?.test)} | ${e(r.stages[3]?.test)} | \`${r.formula ?? '(first fit only)'}\` | ${r.stages[0].stepsPerSecond.toFixed(1)} |`), '');
} else lines.push(`pykan: ${pykanMissing}`, '');
lines.push(`Speed (median over seeds, first stage): nnft ${nnftSpeed.toFixed(1)} steps/s; x${(nnftSpeed / PYKAN_PUBLISHED[1]).toFixed(1)}-${(nnftSpeed / PYKAN_PUBLISHED[0]).toFixed(1)} pykan's published 5-7 (target >= ${TARGETS.speedFactor}x)` + (Number.isFinite(pykanSpeed) ? `; x${(nnftSpeed / pykanSpeed).toFixed(1)} pykan measured here (${pykanSpeed.toFixed(1)} steps/s)` : ''), '');
if (memory.length) {
  lines.push('Adam on mini-batches of 1024 (tfjs route), 200 steps, fresh process each:', '', '| rows | peak RSS (MiB) | seconds | train RMSE |', '|---|---|---|---|',
    ...memory.map((m) => (m.error ? `| ${m.rows} | failed: ${m.error} | | |` : `| ${m.rows} | ${m.maxRssMiB.toFixed(0)} | ${m.seconds.toFixed(1)} | ${e(m.rmse)} |`)), '');
}
fs.mkdirSync(path.join(ROOT, 'out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'out/bench-kan.json'), JSON.stringify(result, null, 1) + '\n');
fs.writeFileSync(path.join(ROOT, 'out/bench-kan.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
const ok = Object.values(meets).every((n) => n >= TARGETS.seedsNeeded) && nnftSpeed >= TARGETS.speedFactor * PYKAN_PUBLISHED[1];
if (!ok) process.stderr.write('bench: a KAN target was missed (see above)\n');

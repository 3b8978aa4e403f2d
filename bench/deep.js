#!/usr/bin/env node
// npm run bench (third part): deep-MLP ensembles (issue 15) against the NumPy peer, on this machine.
//
//  1. The same experiment both ways: an erf MLP with 3 hidden layers of width 256 (sw = sb = 1,
//     d_in = 1, inputs -1, -0.6, -0.2, 0.2, 0.6, 1), raw moments to order 6 in float64, M networks
//     (default 4,000): `nnft correlators --arch mlp --depth 3` against bench/peers/numpy_deep_mlp.py
//     (vectorised NumPy/SciPy, batched float32 matmuls, Debian's /usr/bin/python3). Whole process,
//     R rounds (default 3) interleaved (nnft, numpy, numpy, nnft, ...); median wall times, the ratio
//     nnft / numpy (below 1: nnft is faster), peak resident memory, and the peer's own in-process
//     rate next to nnft's in-process rate (measureCorrelators after a warm-up call, in this process).
//  2. Bounded memory: peak resident memory of nnft at 4,000 and 40,000 networks (the engine draws a
//     network one weight row at a time, so memory does not grow with M or with N^2).
//  3. The metric chain (src/deep/metric-chain.ts) at depth 8, width 256, one input: networks per second.
// Target: nnft at least as fast as NumPy whole process at depth 3, width 256 (ratio <= 1).
// Options: --nets M, --reps R, --no-peers. Results: out/bench-deep.json, out/bench-deep.md.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const { flag, has } = require('./flags').flagReader(args);
const NETS = Number(flag('nets', 4000));
const REPS = Number(flag('reps', 3));
const PEERS = !has('no-peers');
for (const [name, v] of [['nets', NETS], ['reps', REPS]]) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`bench: --${name} must be a positive integer, got ${flag(name)}`);
    process.exitCode = 2;
    return;
  }
}
const ROOT = path.resolve(__dirname, '..');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const INPUTS = '-1;-0.6;-0.2;0.2;0.6;1';
const DEPTH = 3;
const WIDTH = 256;

const runners = {
  nnft: (M) => [process.execPath, [path.join(ROOT, 'bin/nnft.js'), 'correlators', '--arch', 'mlp', '--depth', String(DEPTH), '--activation', 'erf', '--width', String(WIDTH), '--inputs', INPUTS, '--order', '6', '--nets', String(M), '--json']],
  numpy: (M) => [PYTHON, [path.join(ROOT, 'bench/peers/numpy_deep_mlp.py'), '--depth', String(DEPTH), '--width', String(WIDTH), '--nets', String(M), '--order', '6']],
};

/** One whole-process run: wall seconds, peak resident MiB (GNU time), stdout. */
function timedRun(name, M) {
  const [cmd, argv] = runners[name](M);
  const t0 = process.hrtime.bigint();
  const r = TIME ? spawnSync(TIME, ['-f', '%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) return { ok: false, why: (r.stderr || '').trim().split('\n').slice(-2).join(' ') };
  const rss = TIME ? Number((r.stderr.trim().split('\n').pop() || '').trim()) / 1024 : NaN;
  return { ok: true, seconds, rssMiB: rss, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const nnft = require(path.join(ROOT, 'dist'));
  const names = PEERS ? ['nnft', 'numpy'] : ['nnft'];
  const probe = PEERS ? timedRun('numpy', 10) : null;
  const active = probe && !probe.ok ? ['nnft'] : names;
  const whole = Object.fromEntries(active.map((n) => [n, []]));
  const peerRate = [];
  for (let r = 0; r < REPS; r++) {
    for (const name of r % 2 ? [...active].reverse() : active) {
      const res = timedRun(name, NETS);
      if (!res.ok) throw new Error(`${name}: ${res.why}`);
      whole[name].push(res);
      if (name === 'numpy') peerRate.push(JSON.parse(res.stdout.trim().split('\n').pop()).nets_per_second);
    }
  }
  // In-process rate of nnft after a warm-up call.
  const net = nnft.mlp({ depth: DEPTH, width: WIDTH, activation: 'erf', sigmaW: 1, sigmaB: 1 });
  const xs = INPUTS.split(';').map((v) => [Number(v)]);
  await nnft.measureCorrelators(net, xs, { order: 6, nets: 200, seed: 1, progress: false });
  const t0 = performance.now();
  await nnft.measureCorrelators(net, xs, { order: 6, nets: NETS, seed: 2, progress: false });
  const nnftRate = NETS / ((performance.now() - t0) / 1000);
  const memory = [NETS, 10 * NETS].map((M) => ({ nets: M, rssMiB: timedRun('nnft', M).rssMiB }));
  const t1 = performance.now();
  const chainNets = 20000;
  nnft.sampleMetrics({ activation: 'tanh', cw: 1, cb: 0, width: 256, layers: 8, inputs: [[1]], nets: chainNets });
  const chainRate = chainNets / ((performance.now() - t1) / 1000);
  const med = Object.fromEntries(active.map((n) => [n, median(whole[n].map((x) => x.seconds))]));
  const ratio = active.includes('numpy') ? med.nnft / med.numpy : null;
  const result = {
    date: new Date().toISOString(),
    experiment: `erf MLP, depth ${DEPTH}, width ${WIDTH}, 6 inputs, order 6, ${NETS} networks, ${REPS} rounds interleaved`,
    wholeProcessMedianSeconds: med,
    ratioNnftOverNumpy: ratio,
    peakRssMiB: Object.fromEntries(active.map((n) => [n, median(whole[n].map((x) => x.rssMiB))])),
    inProcessNetsPerSecond: { nnft: nnftRate, numpy: peerRate.length ? median(peerRate) : null },
    memory,
    metricChainNetsPerSecond: { depth: 8, width: 256, value: chainRate },
    target: 'ratio nnft / numpy <= 1 (whole process)',
    met: ratio === null ? null : ratio <= 1,
    skipped: probe && !probe.ok ? `numpy peer: ${probe.why}` : undefined,
  };
  fs.mkdirSync(path.join(ROOT, 'out'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'out/bench-deep.json'), JSON.stringify(result, null, 1) + '\n');
  const lines = [
    `# Deep-MLP ensembles (${result.date.slice(0, 10)})`,
    '',
    result.experiment,
    '',
    '| runner | median wall s | peak RSS MiB | in-process nets/s |',
    '| --- | --- | --- | --- |',
    ...active.map((n) => `| ${n} | ${med[n].toFixed(2)} | ${result.peakRssMiB[n].toFixed(0)} | ${(n === 'nnft' ? nnftRate : result.inProcessNetsPerSecond.numpy).toFixed(0)} |`),
    '',
    ratio === null ? `NumPy peer skipped${result.skipped ? `: ${result.skipped}` : ''}` : `ratio nnft / numpy (whole process): ${ratio.toFixed(2)} (target <= 1: ${result.met ? 'met' : 'NOT met'})`,
    `nnft peak memory: ${memory.map((m) => `${m.nets} nets ${m.rssMiB.toFixed(0)} MiB`).join(', ')}`,
    `metric chain (tanh, depth 8, width 256, one input): ${chainRate.toFixed(0)} networks/s`,
    '',
  ];
  fs.writeFileSync(path.join(ROOT, 'out/bench-deep.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
  if (result.met === false) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exitCode = 1;
});

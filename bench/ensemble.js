#!/usr/bin/env node
// npm run bench: the NN-QFT headline experiment timed side by side with the NumPy peer baseline
// (../shared/baselines/numpy_ensemble.py) in one invocation, on the same machine.
//
// Erf-net, d_in = 1, inputs -1, -0.6, -0.2, 0.2, 0.6, 1, sw = sb = 1, raw moments up to order 6,
// widths 10, 100, 1000. Prints networks per second for both, their ratio, and peak resident memory.
// Quote ratios, never absolute times: the machines are noisy. Options: --nets M (per width,
// default 20000), --widths 10,100,1000, --memory-nets M (networks for the peak-memory run at
// width 1000, default 0 = skip; the target is 10^6 under 1 GiB).
// Then the training step of section 4: value and gradient of one hidden-to-hidden layer product
// (6 members, 6 points, N x N weights) through nnft's memberMatMul against autodiff of tf.matMul.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const nnft = require('../dist');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const NETS = Number(flag('nets', 20000));
const WIDTHS = String(flag('widths', '10,100,1000')).split(',').map(Number);
const MEMORY_NETS = Number(flag('memory-nets', 0));
const INPUTS = [-1, -0.6, -0.2, 0.2, 0.6, 1].map((x) => [x]);
const BASELINE = path.resolve(__dirname, '..', '..', 'shared', 'baselines', 'numpy_ensemble.py');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function baseline(width, nets) {
  if (!fs.existsSync(BASELINE)) return { error: `baseline not found at ${BASELINE}` };
  const r = spawnSync(PYTHON, [BASELINE, '--act', 'erf', '--width', String(width), '--nets', String(nets), '--order', '6'], { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').pop() || `exit ${r.status}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function ours(width, nets) {
  const net = nnft.erfNet({ width });
  const t0 = process.hrtime.bigint();
  const run = await nnft.measureCorrelators(net, INPUTS, { order: 6, nets, seed: 0, progress: false });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = nnft.correlatorsOf(run);
  return { seconds, nets_per_second: nets / seconds, G2_00: c.G2.value[0], G4c_0000: c.G4c.value[0], G4c_err: c.G4c.stdErr[0] };
}

(async () => {
  const backend = await nnft.ensureBackend();
  console.log(`nnft bench: Erf-net, d_in = 1, 6 inputs, order 6, ${NETS} networks per width; backend ${nnft.describeBackend(backend)}`);
  console.log(`machine: ${require('os').cpus()[0].model}, ${require('os').cpus().length} cores, node ${process.version}\n`);
  // Warm-up (JIT, thread start) outside the timings.
  await ours(10, 4000);
  const rows = [];
  for (const width of WIDTHS) {
    const a = await ours(width, NETS);
    const b = baseline(width, NETS);
    const ratio = b.error ? NaN : a.nets_per_second / b.nets_per_second;
    rows.push({ width, nnft: a.nets_per_second, numpy: b.nets_per_second, ratio, note: b.error });
    console.log(
      `width ${String(width).padStart(5)}: nnft ${a.nets_per_second.toFixed(0).padStart(7)} nets/s, numpy ${b.error ? '   n/a' : b.nets_per_second.toFixed(0).padStart(7)} nets/s, ratio ${Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(2) + 'x'}` +
        `   (G2(x0,x0) ${a.G2_00.toFixed(4)} vs ${b.error ? 'n/a' : b.G2_00.toFixed(4)}; G4c ${a.G4c_0000.toExponential(2)} ± ${a.G4c_err.toExponential(1)})${b.error ? '  baseline: ' + b.error : ''}`,
    );
  }
  if (MEMORY_NETS > 0) {
    const t0 = process.hrtime.bigint();
    await nnft.measureCorrelators(nnft.erfNet({ width: 1000 }), INPUTS, { order: 6, nets: MEMORY_NETS, seed: 1, progress: true });
    console.log(`\n${MEMORY_NETS} networks at width 1000 in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(0)} s`);
  }
  // Peak memory of the ensembles alone, before the training benchmark grows the wasm heap.
  const ensemblePeak = process.resourceUsage().maxRSS / 1024; // kB -> MiB (this process; worker threads share it)
  console.log(`peak resident memory of the ensemble runs: ${ensemblePeak.toFixed(0)} MiB (main process incl. worker threads)`);
  console.log('\nlayer product with gradient (6 members, 6 points): memberMatMul against autodiff of tf.matMul');
  const { tf } = require('../dist/core/backend');
  const { memberMatMul } = require('../dist/dynamics/parameters');
  const layerProduct = [];
  for (const N of [512, 1024, 2048]) {
    const h = tf.randomNormal([6, 6, N]), W = tf.randomNormal([6, N, N]);
    const timeOf = (mm) => {
      const step = () => tf.tidy(() => tf.grads((a, b) => tf.sum(mm(a, b)))([h, W]).forEach((g) => g.dataSync()));
      step(); // warm-up
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) step();
      return Number(process.hrtime.bigint() - t0) / 3e6;
    };
    const custom = timeOf(memberMatMul), plain = timeOf((a, b) => tf.matMul(a, b));
    console.log(`N ${String(N).padStart(5)}: memberMatMul ${custom.toFixed(0).padStart(5)} ms, tf.matMul ${plain.toFixed(0).padStart(5)} ms, ratio ${(plain / custom).toFixed(2)}x`);
    layerProduct.push({ width: N, memberMatMulMs: custom, matMulMs: plain, ratio: plain / custom });
    h.dispose(); W.dispose();
  }
  const peak = process.resourceUsage().maxRSS / 1024; // kB -> MiB (this process; worker threads share it)
  console.log(`\npeak resident memory at the end (the layer products grow tfjs's wasm heap): ${peak.toFixed(0)} MiB`);
  fs.mkdirSync(path.join(__dirname, '..', 'out'), { recursive: true });
  require('../dist/core/io').writeFileAtomic(path.join(__dirname, '..', 'out', 'bench.json'), JSON.stringify({ date: new Date().toISOString(), nets: NETS, rows, layerProduct, ensemblePeakMiB: ensemblePeak, memoryNets: MEMORY_NETS, peakMiB: peak }, null, 2) + '\n');
})();

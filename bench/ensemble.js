#!/usr/bin/env node
// npm run bench: the NN-QFT headline experiment (Erf-net, d_in = 1, inputs -1, -0.6, -0.2, 0.2, 0.6, 1,
// sw = sb = 1, moments to order 6) timed side by side with its peers in ../shared/baselines (PyTorch,
// Numba and NumPy, each run with Debian's /usr/bin/python3 when it has the package; the bench says which
// are missing), on the same machine in one invocation.
//
//  1. Whole process, M networks (default 50,000) at widths 10, 100, 1000: every command run R times
//     (default 3), interleaved (the order of the runners rotates each round); median wall times, the
//     ratio nnft / peer (below 1: nnft is faster), peak resident memory, and each one's in-process
//     rate (the peers time their own loop after their imports; nnft's is measureCorrelators on all
//     cores after a warm-up call, in this process).
//  2. Start-up: 1,000 networks at width 1000, whole process, same interleaving.
//  3. Where nnft's time goes: the NNFT_TIMINGS phases of the runs in 1 (start-up, wasm compile, the
//     ensemble in the module or in worker threads, per-batch host work, tail diagnostics, estimates,
//     output), and inside the module the cost per network of drawing, evaluating and accumulating.
//  4. The machine's limit: ../shared/baselines/limit.c built with gcc (its own build line) and run on
//     all cores, R rounds of nnft's in-process rate at width 1000 followed at once by limit.c (both
//     best cases: limit.c keeps its fastest repeat, nnft its fastest of 3); the median of the fractions.
//  5. Peak memory of 10^6 networks at width 1000 (--memory-nets, 0 to skip).
//  6. The training step of section 4: value and gradient of one hidden-to-hidden layer product
//     (6 members, 6 points, N x N weights) through nnft's memberMatMul against autodiff of tf.matMul.
// Targets (issue 13): 1.5x faster than the fastest peer whole process at every width; 1,000 networks
// at width 1000 under 1 s; at width 1000 at least 1/8 of the limit; 10^6 networks under 1 GiB.
// Quote ratios, never absolute times: the machines are noisy. Results: out/bench.json, out/bench.md.
//
// Options: --nets M, --widths 10,100,1000, --reps R, --memory-nets M, --no-peers, --no-layers.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const { flag, has } = require('./flags').flagReader(args);
const NETS = Number(flag('nets', 50000));
const WIDTHS = String(flag('widths', '10,100,1000')).split(',').map(Number);
const REPS = Number(flag('reps', 3));
const MEMORY_NETS = Number(flag('memory-nets', 1000000));
const PEERS_WANTED = !has('no-peers');
const LAYERS = !has('no-layers');
for (const [name, v] of [['nets', NETS], ['reps', REPS], ['memory-nets', MEMORY_NETS]]) {
  if (!Number.isInteger(v) || v < (name === 'memory-nets' ? 0 : 1)) {
    console.error(`bench: --${name} must be a ${name === 'memory-nets' ? 'non-negative' : 'positive'} integer, got ${flag(name)}`);
    process.exitCode = 2;
    return;
  }
}
if (!WIDTHS.every((w) => Number.isInteger(w) && w >= 1)) {
  console.error(`bench: --widths must be positive integers separated by commas, got ${flag('widths')}`);
  process.exitCode = 2;
  return;
}

const ROOT = path.resolve(__dirname, '..');
const BASELINES = path.resolve(ROOT, '..', 'shared', 'baselines');
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const INPUTS = '-1;-0.6;-0.2;0.2;0.6;1';
const OUT = path.join(ROOT, 'out');
fs.mkdirSync(OUT, { recursive: true });

/** The runners: how to start each for M networks at width N, and how to read its in-process time. */
const RUNNERS = {
  nnft: {
    cmd: (N, M) => ['node', [path.join(ROOT, 'bin', 'nnft.js'), 'correlators', '--arch', 'erf', '--width', String(N), '--inputs', INPUTS, '--order', '6', '--nets', String(M), '--seed', '1', '--json']],
    env: { NNFT_TIMINGS: '1' },
  },
  torch: { cmd: (N, M) => [PYTHON, [path.join(BASELINES, 'torch_ensemble.py'), '--width', String(N), '--nets', String(M), '--threads', '2']], module: 'torch' },
  numba: { cmd: (N, M) => [PYTHON, [path.join(BASELINES, 'numba_ensemble.py'), '--width', String(N), '--nets', String(M), '--threads', '2']], module: 'numba' },
  numpy: { cmd: (N, M) => [PYTHON, [path.join(BASELINES, 'numpy_ensemble.py'), '--act', 'erf', '--width', String(N), '--nets', String(M), '--order', '6']], module: 'scipy' },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** One whole-process run: wall seconds, peak RSS (MiB), in-process seconds, nnft's phases. */
function runOnce(name, N, M) {
  const [bin, argv] = RUNNERS[name].cmd(N, M);
  const rssFile = path.join(OUT, `.bench-rss-${process.pid}`);
  const [exe, full] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, bin, ...argv]] : [bin, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(exe, full, { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, ...(RUNNERS[name].env ?? {}) }, cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${name} at width ${N} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  const rss = TIME ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  if (TIME) fs.rmSync(rssFile, { force: true });
  if (name === 'nnft') {
    const line = r.stderr.split('\n').find((l) => l.startsWith('{"nnft-timings"'));
    const phases = line ? JSON.parse(line)['nnft-timings'] : {};
    const parsed = JSON.parse(r.stdout); // the whole JSON document arrived (a cut one would not parse)
    return { wall, rss, inProcess: NaN, phases, G2: parsed.G2[0][0] };
  }
  const doc = JSON.parse(r.stdout.trim().split('\n').pop());
  return { wall, rss, inProcess: doc.seconds, G2: doc.G2?.[0]?.[0] ?? doc.G2_00 };
}

function available(name) {
  if (name === 'nnft') return { ok: true };
  if (!PEERS_WANTED) return { ok: false, why: '--no-peers' };
  const script = RUNNERS[name].cmd(10, 10)[1][0];
  if (!fs.existsSync(script)) return { ok: false, why: `${script} not found` };
  const r = spawnSync(PYTHON, ['-c', `import ${RUNNERS[name].module}`], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `${PYTHON} has no ${RUNNERS[name].module} (apt-get install -y python3-torch python3-numba python3-scipy)` };
  return { ok: true };
}

/** R rounds of every runner at (N, M), the order rotating each round. */
function interleaved(names, N, M, label) {
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < REPS; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) runs[name].push(runOnce(name, N, M));
    process.stderr.write(`\r${label}: round ${r + 1} of ${REPS}   `);
  }
  process.stderr.write('\n');
  return runs;
}

function summary(runs) {
  return {
    wall: median(runs.map((r) => r.wall)),
    rss: Math.max(...runs.map((r) => r.rss)),
    inProcess: median(runs.map((r) => r.inProcess)),
    G2: runs[0].G2,
  };
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

(async () => {
  const cpus = os.cpus();
  const machine = `${cpus[0].model}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  console.log(`nnft bench ${new Date().toISOString().slice(0, 10)}: Erf-net, d_in = 1, 6 inputs, order 6; ${REPS} interleaved rounds, medians`);
  console.log(`machine: ${machine}`);
  const status = Object.fromEntries(Object.keys(RUNNERS).map((n) => [n, available(n)]));
  const peers = Object.keys(RUNNERS).filter((n) => n !== 'nnft' && status[n].ok);
  for (const [n, s] of Object.entries(status)) if (!s.ok) console.log(`peer ${n}: not run (${s.why})`);
  // Warm-ups outside the timings: numba's compile cache, the OS file cache of every interpreter.
  for (const name of ['nnft', ...peers]) runOnce(name, 10, 2000);

  // nnft in-process, like the peers' own timers: measureCorrelators on all cores after a warm-up
  // call (imports done, worker threads started), best of the rounds.
  const nnft = require('../dist');
  const points = INPUTS.split(';').map((x) => [Number(x)]);
  /** Seconds of one in-process measurement of M networks at width N (threads already started). */
  const nnftInProcess = async (N, M) => {
    const t0 = process.hrtime.bigint();
    await nnft.measureCorrelators(nnft.erfNet({ width: N }), points, { order: 6, nets: M, seed: 1, progress: false });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const inProcess = {};
  for (const N of WIDTHS) {
    await nnft.measureCorrelators(nnft.erfNet({ width: N }), points, { order: 6, nets: NETS, seed: 2, progress: false });
    const times = [];
    for (let r = 0; r < REPS; r++) times.push(await nnftInProcess(N, NETS));
    inProcess[N] = median(times);
  }

  // 1. Whole process at every width
  const rows = [];
  for (const N of WIDTHS) {
    const runs = interleaved(['nnft', ...peers], N, NETS, `width ${N}, ${NETS} networks`);
    const s = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summary(v)]));
    s.nnft.inProcess = inProcess[N];
    const fastest = peers.length ? peers.reduce((a, b) => (s[a].wall <= s[b].wall ? a : b)) : null;
    rows.push({ width: N, nets: NETS, ...s, fastest, phases: runs.nnft.map((r) => r.phases) });
  }
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const table = [
    line(['width', ...peers.map((p) => `nnft / ${p}`), 'fastest peer', 'target <= 0.67', 'nnft wall s', ...peers.map((p) => `${p} wall s`), 'nnft nets/s in-process', ...peers.map((p) => `${p} nets/s in-process`), 'peak MiB nnft', ...peers.map((p) => `peak MiB ${p}`)]),
    line(Array(3 + 2 * peers.length + 1 + 1 + peers.length + 1 + peers.length).fill('---')),
    ...rows.map((r) => {
      const best = r.fastest ? r.nnft.wall / r[r.fastest].wall : NaN;
      return line([
        r.width,
        ...peers.map((p) => fmt(r.nnft.wall / r[p].wall)),
        r.fastest ?? 'n/a',
        Number.isFinite(best) ? `${fmt(best)} ${best <= 1 / 1.5 ? 'met' : 'MISSED'}` : 'n/a',
        fmt(r.nnft.wall),
        ...peers.map((p) => fmt(r[p].wall)),
        fmt(NETS / r.nnft.inProcess, 0),
        ...peers.map((p) => fmt(NETS / r[p].inProcess, 0)),
        fmt(r.nnft.rss, 0),
        ...peers.map((p) => fmt(r[p].rss, 0)),
      ]);
    }),
  ];
  console.log(`\nWhole process, ${NETS} networks (ratio = median wall of nnft / of the peer; below 1: nnft is faster)`);
  console.log(table.join('\n'));

  // 2. Start-up: 1,000 networks at width 1000
  const startRuns = interleaved(['nnft', ...peers], 1000, 1000, 'start-up, 1000 networks at width 1000');
  const start = Object.fromEntries(Object.entries(startRuns).map(([k, v]) => [k, summary(v)]));
  console.log(`\n1,000 networks at width 1000, whole process: ${['nnft', ...peers].map((n) => `${n} ${fmt(start[n].wall)} s`).join(', ')} (target: nnft under 1 s: ${start.nnft.wall < 1 ? 'met' : 'MISSED'})`);

  // 3. Where the time goes
  console.log('\nnnft phases (median seconds over the rounds; NNFT_TIMINGS=1):');
  const phaseNames = [...new Set(rows.flatMap((r) => r.phases.flatMap((p) => Object.keys(p))))];
  const breakdown = rows.map((r) => ({ width: r.width, ...Object.fromEntries(phaseNames.map((k) => [k, median(r.phases.map((p) => p[k] ?? 0))])) }));
  console.log(line(['phase', ...rows.map((r) => `width ${r.width}`)]));
  console.log(line(['---', ...rows.map(() => '---')]));
  for (const k of phaseNames) console.log(line([k, ...breakdown.map((b) => fmt(b[k], 3))]));
  const { runHostEngine } = require('../dist/ensembles/wasm-engine');
  const { momentTree } = require('../dist/statistics/moments');
  const stageCost = [];
  for (const N of WIDTHS) {
    const net = nnft.erfNet({ width: N });
    const M = Math.max(2000, Math.min(100000, Math.round(2e7 / (N * 30))));
    const per = (stages) => {
      const best = [];
      for (let r = 0; r < 3; r++) {
        const t0 = process.hrtime.bigint();
        runHostEngine(net, points, 1, 0, M, 512, () => {}, { tree: momentTree(6, [2, 4, 6]), orders: [2, 4, 6], blocks: 32 }, stages);
        best.push(Number(process.hrtime.bigint() - t0) / 1e3 / M);
      }
      return Math.min(...best);
    };
    const [draw, forward, all] = [per(1), per(2), per(3)];
    stageCost.push({ width: N, drawUs: draw, forwardUs: forward - draw, momentsUs: all - forward, totalUs: all });
  }
  console.log('\ninside the module, one thread, microseconds per network (best of 3):');
  console.log(line(['width', 'draw 3N+1 normals', 'forward 6N units', 'moments 609 products', 'total', 'nets/s per thread']));
  console.log(line(['---', '---', '---', '---', '---', '---']));
  for (const c of stageCost) console.log(line([c.width, fmt(c.drawUs), fmt(c.forwardUs), fmt(c.momentsUs), fmt(c.totalUs), fmt(1e6 / c.totalUs, 0)]));

  // 4. The machine's limit, interleaved with nnft's in-process rate at width 1000 (this machine's
  // speed drifts by up to 2x over minutes: each round compares the two measured back to back, each
  // its best case).
  let limit = null;
  const limitSrc = path.join(BASELINES, 'limit.c');
  if (!fs.existsSync(limitSrc)) console.log(`\nlimit.c: not found at ${limitSrc}`);
  else {
    const exe = path.join(OUT, 'limit');
    const build = spawnSync('gcc', ['-O3', '-march=native', '-mprefer-vector-width=512', '-ffast-math', '-mrecip', '-fopenmp', limitSrc, '-o', exe, '-lm'], { encoding: 'utf8' });
    if (build.status !== 0) console.log(`\nlimit.c: not built (${(build.error?.message ?? build.stderr ?? '').trim().split('\n')[0]})`);
    else {
      const threads = Math.min(2, cpus.length);
      const rounds = [];
      for (let r = 0; r < REPS; r++) {
        // limit.c reports its best case (the minimum over its repeats); so does nnft here: the best of
        // 3, measured just before it (the first run after limit.c is a few percent slow).
        const ours = NETS / Math.min(await nnftInProcess(1000, NETS), await nnftInProcess(1000, NETS), await nnftInProcess(1000, NETS));
        const run = spawnSync(exe, [], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
        const m = /width 1000:.*fused kernel wall (\d+) nets\/s/.exec(run.stdout);
        if (!m) throw new Error(`limit.c printed no width-1000 line: ${run.stdout.slice(-300)}`);
        rounds.push({ limitNetsPerSecond: Number(m[1]), nnftNetsPerSecond: ours, fraction: ours / Number(m[1]) });
      }
      const fraction = median(rounds.map((x) => x.fraction));
      limit = { threads, rounds, fraction };
      console.log(
        `\nlimit.c at width 1000 on ${threads} cores against nnft in-process, ${REPS} rounds back to back: ` +
          rounds.map((x) => `${fmt(x.nnftNetsPerSecond, 0)} / ${x.limitNetsPerSecond} = ${fmt(x.fraction, 3)}`).join('; ') +
          `; median fraction ${fmt(fraction, 3)} (target >= 1/8: ${fraction >= 1 / 8 ? 'met' : 'MISSED'})`,
      );
    }
  }

  // 5. Peak memory of a large run
  let memory = null;
  if (MEMORY_NETS > 0) {
    const r = runOnce('nnft', 1000, MEMORY_NETS);
    memory = { nets: MEMORY_NETS, width: 1000, wall: r.wall, peakMiB: r.rss };
    console.log(`\n${MEMORY_NETS} networks at width 1000: ${fmt(r.wall, 1)} s, peak resident memory ${fmt(r.rss, 0)} MiB (target under 1024: ${r.rss < 1024 ? 'met' : 'MISSED'})`);
  }

  // 6. The layer product of section 4's training step
  const layerProduct = [];
  if (LAYERS) {
    await nnft.ensureBackend();
    console.log('\nlayer product with gradient (6 members, 6 points): memberMatMul against autodiff of tf.matMul');
    const { tf } = require('../dist/core/backend');
    const { memberMatMul } = require('../dist/dynamics/parameters');
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
  }

  const { writeFileAtomic } = require('../dist/core/io');
  const date = new Date().toISOString();
  writeFileAtomic(path.join(OUT, 'bench.json'), JSON.stringify({ date, machine, nets: NETS, reps: REPS, peers: status, rows, startUp: start, breakdown, stageCost, limit, memory, layerProduct }, null, 2) + '\n');
  writeFileAtomic(path.join(OUT, 'bench.md'), [`nnft bench ${date.slice(0, 10)} on ${machine}`, '', ...table, ''].join('\n'));
  console.log('\nwritten: out/bench.json, out/bench.md');
})().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});

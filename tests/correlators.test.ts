import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { binomial, connectedFromMoments, denseTupleIndex, evenPartitions, expandSymmetric, sortedTuples, tupleIndex } from '../src/statistics/tuples';
import { MomentAccumulator } from '../src/statistics/moments';
import { Rng } from '../src/core/random';
import { erfNet, gaussNet, reluNet, tanhNet, SingleLayerNet } from '../src/nets/architectures';
import { connectedFourPointDiagonal, finiteWidthCorrelators } from '../src/exact/finite-width';
import { ensembleCorrelators } from '../src/ensembles/correlators';
import { gpKernelMatrix } from '../src/exact/gp-kernels';
import { bonferroniZ } from '../src/statistics/stats';
import { useBackend } from '../src/core/backend';

const FAIL_PROB = 1e-4;

describe('tuple combinatorics', () => {
  test('sorted tuples are counted by C(P + n - 1, n) and ranked by tupleIndex', () => {
    for (const [P, n] of [[6, 2], [6, 4], [6, 6], [3, 5]]) {
      const ts = sortedTuples(P, n);
      expect(ts.length).toBe(binomial(P + n - 1, n));
      ts.forEach((t, k) => expect(tupleIndex(t, P)).toBe(k));
    }
    expect(tupleIndex([2, 0, 1, 0], 3)).toBe(tupleIndex([0, 0, 1, 2], 3));
  });

  test('even set partitions: 3 for n = 4, 31 for n = 6 (15 pairs x quartets, 15 pairings, 1 whole)', () => {
    expect(evenPartitions(4).length).toBe(3 + 1);
    const six = evenPartitions(6);
    expect(six.length).toBe(1 + 15 + 15);
    expect(six.filter((p) => p.length === 3).length).toBe(15);
  });

  test('Gaussian moments (Wick) have vanishing connected 4- and 6-point parts', () => {
    // A random covariance on 3 points; Wick: moments are sums over pairings.
    const C = [[2, 0.3, -0.5], [0.3, 1, 0.2], [-0.5, 0.2, 1.5]];
    const wick = (t: number[]): number => {
      if (t.length === 0) return 1;
      const [a, ...rest] = t;
      return rest.reduce((s, b, i) => s + C[a][b] * wick(rest.filter((_, j) => j !== i)), 0);
    };
    for (const t of [[0, 1, 2, 2], [0, 0, 0, 0], [0, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2]]) {
      expect(Math.abs(connectedFromMoments(t, wick))).toBeLessThan(1e-12);
    }
    // ...and a non-Gaussian moment (e.g. raise the 4th) makes them non-zero.
    expect(connectedFromMoments([0, 0, 0, 0], (t) => (t.length === 4 ? wick(t) + 1 : wick(t)))).toBeCloseTo(1, 12);
  });

  test('expandSymmetric fills every permutation', () => {
    const dense = expandSymmetric(Float64Array.from(sortedTuples(3, 2), (t) => 10 * t[0] + t[1]), 3, 2) as number[][];
    expect(dense).toEqual([[0, 1, 2], [1, 11, 12], [2, 12, 22]]);
    // Second route: every entry of the nested array against tupleIndex of its index tuple, at the
    // shapes the CLI prints (P up to 6, order 6) and the degenerate ones (one point, order 1).
    for (const [P, n] of [[1, 6], [4, 1], [3, 4], [6, 6], [2, 8]]) {
      const values = Float64Array.from(sortedTuples(P, n), (_, k) => k + 0.5);
      const map = denseTupleIndex(P, n);
      expect(map.length).toBe(P ** n);
      const nested = expandSymmetric(values, P, n);
      const walk = (node: unknown, prefix: number[]): void => {
        if (prefix.length === n) {
          expect(node).toBe(tupleIndex(prefix, P) + 0.5);
          return;
        }
        expect(Array.isArray(node) && node.length === P).toBe(true);
        (node as unknown[]).forEach((child, i) => walk(child, [...prefix, i]));
      };
      walk(nested, []);
    }
  });
});

describe('MomentAccumulator', () => {
  function samples(n: number, seed: number): Float64Array {
    const rng = Rng.stream(seed);
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      out[3 * i] = a;
      out[3 * i + 1] = 0.6 * a + 0.8 * b;
      out[3 * i + 2] = a * a * a / 3 + b; // non-Gaussian
    }
    return out;
  }

  test('raw moments equal direct averages; merged shards equal one pass; JSON round-trips', () => {
    const data = samples(5000, 1);
    const whole = new MomentAccumulator(3, [2, 4, 6]);
    whole.add(0, 5000, data);
    const a = new MomentAccumulator(3, [2, 4, 6]);
    const b = new MomentAccumulator(3, [2, 4, 6]);
    b.add(1700, 3300, data.subarray(1700 * 3));
    a.add(0, 1700, data.subarray(0, 1700 * 3));
    const merged = MomentAccumulator.fromJSON(JSON.parse(JSON.stringify(a.merge(b).toJSON())));
    expect(merged.count).toBe(5000);
    let direct = 0;
    for (let i = 0; i < 5000; i++) direct += data[3 * i] * data[3 * i + 1] * data[3 * i + 2] ** 2;
    const m4 = whole.moments(4);
    expect(m4.value[tupleIndex([0, 1, 2, 2], 3)]).toBeCloseTo(direct / 5000, 12);
    for (const n of [2, 4, 6]) {
      const x = whole.connected(n);
      const y = merged.connected(n);
      x.value.forEach((v, k) => expect(Math.abs(v - y.value[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    }
  });

  test('connected parts of Gaussian samples vanish within z * stderr; a non-Gaussian one does not', () => {
    const rng = Rng.stream(5);
    const n = 200000;
    const data = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      data[2 * i] = a;
      data[2 * i + 1] = 0.5 * a + rng.normal();
    }
    const acc = new MomentAccumulator(2, [2, 4, 6]);
    acc.add(0, n, data);
    for (const order of [4, 6]) {
      const c = acc.connected(order);
      const z = bonferroniZ(FAIL_PROB, c.value.length);
      c.value.forEach((v, k) => expect(Math.abs(v)).toBeLessThanOrEqual(z * c.stdErr[k]));
    }
    // A uniform variable of unit variance has kappa4 = -6/5 exactly: recovered, and resolved.
    const uniform = new Float64Array(n);
    for (let i = 0; i < n; i++) uniform[i] = Math.sqrt(3) * (2 * rng.uniform() - 1);
    const acc2 = new MomentAccumulator(1, [2, 4]);
    acc2.add(0, n, uniform);
    const c4 = acc2.connected(4);
    expect(Math.abs(c4.value[0] + 1.2)).toBeLessThanOrEqual(bonferroniZ(FAIL_PROB, 1) * c4.stdErr[0]);
    expect(-c4.value[0] / c4.stdErr[0]).toBeGreaterThan(50);
  });

  test('incompatible merges and missing orders are refused with the reason', () => {
    expect(() => new MomentAccumulator(2, [2, 4]).merge(new MomentAccumulator(3, [2, 4]))).toThrow('incompatible accumulators (points 2 vs 3');
    const acc = new MomentAccumulator(2, [2, 6]);
    acc.add(0, 10, new Float64Array(20).fill(1));
    expect(() => acc.connected(6)).toThrow('order 6 needs moments of order 4');
  });
});

describe('exact finite-width correlators', () => {
  test('ReLU: G4c and G6c on the diagonal by hand (E[relu^2k] = (2k-1)!! k(x,x)^k / 2)', () => {
    const net = reluNet({ width: 3 });
    const x = [[-1]]; // k(x,x) = 2
    const c = finiteWidthCorrelators(net, x, { order: 6 });
    const k = 2;
    const [m2, m4, m6] = [k / 2, (3 * k * k) / 2, (15 * k ** 3) / 2];
    expect(c.method).toBe('quadrature');
    expect(c.G4c!.value[0]).toBeCloseTo((1 / 3) * (3 * m4 - 3 * m2 * m2), 10);
    expect(c.G6c!.value[0]).toBeCloseTo((1 / 9) * (15 * m6 - 45 * m4 * m2 + 30 * m2 ** 3), 9);
  });

  test.each([
    ['Erf', erfNet({ width: 7, sigmaW: 1.2, sigmaB: 0.4 })],
    ['ReLU', reluNet({ width: 7 })],
    ['Gauss', gaussNet({ width: 7 })],
    ['Tanh', tanhNet({ width: 7 })],
  ])('%s: general G4c agrees with the 1-d diagonal formula (to 1e-9: converged quadrature), and G2 with the kernel', (_n, net) => {
    const xs = [[-0.8], [0.1], [0.9]];
    const c = finiteWidthCorrelators(net as SingleLayerNet, xs, { order: 4 });
    const K = gpKernelMatrix(net as SingleLayerNet, xs);
    c.G2.tuples.forEach((t, k) => expect(c.G2.value[k]).toBeCloseTo(K[t[0]][t[1]], 6));
    for (let p = 0; p < 3; p++) {
      const diag = connectedFourPointDiagonal(net as SingleLayerNet, xs[p]);
      expect(Math.abs(c.G4c!.value[tupleIndex([p, p, p, p], 3)] / diag - 1)).toBeLessThan(1e-9);
    }
  });

  test('G4c scales exactly as 1/N and G6c as 1/N^2', () => {
    const xs = [[-1], [0.5]];
    const a = finiteWidthCorrelators(erfNet({ width: 2 }), xs, { order: 6 });
    const b = finiteWidthCorrelators(erfNet({ width: 20 }), xs, { order: 6 });
    a.G4c!.value.forEach((v, k) => expect(b.G4c!.value[k] * 10).toBeCloseTo(v, 12));
    a.G6c!.value.forEach((v, k) => expect(b.G6c!.value[k] * 100).toBeCloseTo(v, 12));
  });

  test('quadrature agrees with single-neuron Monte Carlo (Erf, d_in = 2, rank 2 inputs)', () => {
    const net = erfNet({ width: 4, dIn: 2, sigmaW: 1.5 });
    const xs = [[1, 0], [0.5, 0], [-1, 0]];
    const q = finiteWidthCorrelators(net, xs, { order: 6 });
    const m = finiteWidthCorrelators(net, xs, { order: 6, method: 'mc', samples: 300000, seed: 3 });
    for (const key of ['G4c', 'G6c'] as const) {
      const z = bonferroniZ(FAIL_PROB, q[key]!.value.length);
      q[key]!.value.forEach((v, k) => expect(Math.abs(v - m[key]!.value[k])).toBeLessThanOrEqual(z * m[key]!.stdErr[k]));
    }
  });

  test('inputs spanning 3 dimensions need single-neuron Monte Carlo; auto picks it', () => {
    const net = erfNet({ width: 4, dIn: 2 });
    const xs = [[1, 0], [0, 1], [1, 1]];
    expect(() => finiteWidthCorrelators(net, xs, { order: 4 })).toThrow("finiteWidthCorrelators: method must be 'mc' for these inputs (their pre-activations span 3 dimensions");
    expect(finiteWidthCorrelators(net, xs, { order: 4, method: 'auto', samples: 20000 }).method).toBe('mc');
  });
});

describe('Monte Carlo against exact finite-width correlators', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  const cases: [string, SingleLayerNet][] = [
    ['Erf N=2', erfNet({ width: 2 })],
    ['Erf N=10', erfNet({ width: 10 })],
    ['ReLU N=2', reluNet({ width: 2 })],
    ['ReLU N=10', reluNet({ width: 10 })],
  ];
  test.each(cases)('%s: G2, G4c and G6c agree within z * stderr', async (_name, net) => {
    const xs = [[-1], [0.2], [1]];
    const mc = await ensembleCorrelators(net, xs, { order: 6, nets: 200000, seed: 11, progress: false });
    const ex = finiteWidthCorrelators(net, xs, { order: 6 });
    const comparisons = mc.G2.value.length + mc.G4c!.value.length + mc.G6c!.value.length;
    const z = bonferroniZ(FAIL_PROB, comparisons);
    for (const key of ['G2', 'G4c', 'G6c'] as const) {
      mc[key]!.value.forEach((v, k) => expect(Math.abs(v - ex[key]!.value[k])).toBeLessThanOrEqual(z * mc[key]!.stdErr[k]));
    }
    // Non-trivial at N = 2: the 4-point signal is resolved.
    if (net.width === 2) expect(mc.G4c!.value[0] / mc.G4c!.stdErr[0]).toBeGreaterThan(5);
  });
});

describe('nnft correlators and nnft merge', () => {
  const ROOT = path.resolve(__dirname, '..');
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nnft.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

  test('--json has the documented shape', () => {
    const r = cli(['correlators', '--arch', 'relu', '--width', '3', '--inputs', '-1;0.5', '--order', '6', '--method', 'exact', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ inputs: [[-1], [0.5]], width: 3, method: 'exact', nets: 0 });
    expect(out.G2.length).toBe(2);
    expect(out.G4c[1][0][1][1]).toBe(out.G4c[1][1][0][1]);
    expect(out.G6c[0][0][0][0][0][0]).toBeCloseTo(73.3333333, 5);
    expect(out.stderr.G4c[0][0][0][0]).toBe(0);
  });

  test('two shards merged equal one run over the same networks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-shards-'));
    const base = ['correlators', '--arch', 'erf', '--width', '5', '--inputs', '-1;0;1', '--order', '6', '--nets', '3001', '--seed', '4', '--json'];
    const whole = JSON.parse(cli(base).stdout);
    expect(cli([...base, '--shard', '1/2', '--save', path.join(dir, 'a.json')]).status).toBe(0);
    expect(cli([...base, '--shard', '2/2', '--save', path.join(dir, 'b.json')]).status).toBe(0);
    const r = cli(['merge', path.join(dir, 'b.json'), path.join(dir, 'a.json'), '--json']);
    expect(r.status).toBe(0);
    const merged = JSON.parse(r.stdout);
    expect(merged.nets).toBe(3001);
    expect(merged.ranges).toEqual([[0, 3001]]);
    const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
    for (const key of ['G2', 'G4c', 'G6c']) {
      const a = flat(whole[key]);
      const b = flat(merged[key]);
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-12 * Math.max(1e-6, Math.abs(v))));
      flat(whole.stderr[key]).forEach((v, i) => expect(Math.abs(v - flat(merged.stderr[key])[i])).toBeLessThanOrEqual(1e-10 * v));
    }
    // The same shard twice overlaps and is refused.
    const dup = cli(['merge', path.join(dir, 'a.json'), path.join(dir, 'a.json')]);
    expect(dup.status).toBe(2); // bad input: refused before anything is merged
    expect(dup.stderr).toContain('network ranges overlap');
  });

  test('bad flags exit 2 naming the flag and the value', () => {
    const cases: [string[], string][] = [
      [['--arch', 'sine', '--width', '2', '--inputs', '1'], '--arch must be one of erf, relu, tanh, gauss, cos, scalar, mlp, got "sine"'],
      [['--arch', 'cos', '--width', '2', '--inputs', '1', '--sigma-b', '1'], '--sigma-b does not apply to --arch cos'],
      [['--arch', 'scalar', '--width', '2', '--inputs', '1', '--mass', '1'], '--arch scalar needs --mass and --cutoff, got no --cutoff'],
      [['--arch', 'scalar', '--width', '2', '--inputs', '1', '--mass', '0', '--cutoff', '3'], '--mass must be positive in --d-in 1'],
      [['--arch', 'erf', '--width', 'ten', '--inputs', '1'], '--width must be an integer in 1..9007199254740991, got "ten"'],
      [['--arch', 'erf', '--width', '2', '--inputs', '1;x'], '--inputs must be points of 1 finite coordinate(s)'],
      [['--arch', 'erf', '--width', '2', '--inputs', '1', '--order', '3'], '--order must be 2, 4 or 6, got "3"'],
      [['--arch', 'erf', '--width', '2', '--inputs', '1', '--shard', '3/2'], '--shard must be k/K with 1 <= k <= K, got "3/2"'],
      [['--arch', 'erf', '--width', '2', '--inputs', '1', '--sigma-w', '-1'], '--sigma-w must be a non-negative number at most 1000000, got "-1"'],
      [['--arch', 'erf', '--width', '2', '--inputs', '1', '--method', 'exact', '--nets', '5'], '--nets applies to --method mc only'],
    ];
    for (const [args, message] of cases) {
      const r = cli(['correlators', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe('worker threads', () => {
  test('a run on 2 threads equals the run on 1 thread (same networks, merged like shards)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { measureCorrelators, correlatorsOf } = require('../src/ensembles/correlators') as typeof import('../src/ensembles/correlators');
    const net = erfNet({ width: 20 });
    const xs = [[-1], [0], [0.7]];
    const one = correlatorsOf(await measureCorrelators(net, xs, { order: 6, nets: 8000, seed: 2, progress: false, workers: 1 }));
    const two = correlatorsOf(await measureCorrelators(net, xs, { order: 6, nets: 8000, seed: 2, progress: false, workers: 2 }));
    expect(two.nets).toBe(8000);
    for (const key of ['G2', 'G4c', 'G6c'] as const) {
      one[key]!.value.forEach((v, k) => expect(Math.abs(v - two[key]!.value[k])).toBeLessThanOrEqual(1e-12 * Math.max(1e-6, Math.abs(v))));
    }
  });
});

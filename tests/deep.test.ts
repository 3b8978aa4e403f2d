/**
 * Deep networks at finite width (src/deep/), each formula against a second route:
 * - the Hermite-weight brackets against the registry's closed forms (erf, ReLU);
 * - criticality against closed forms (erf) and an independent Gauss-Hermite route with act''
 *   (tanh), the critical points, the power law at criticality and the exponential decay off it;
 * - the V4, V6 recursions against the exact single-layer G4c, G6c (l = 2), against ReLU's exactly
 *   solvable product of chi-square factors (all l), and against Monte Carlo of the exact metric
 *   chain at n = 16 .. 256, l up to 8; the metric chain against the weight-by-weight engine;
 * - the finite-width Bayesian shift against importance-weighted brute force.
 *
 * Monte Carlo tolerances: z = 4 standard errors (jackknife, 20 blocks) plus, when comparing with the
 * 1/n truncation, the size of the O(1/n^2) remainder. For the kurtosis that remainder is the square
 * of the first-order term Delta = kurtosis - 3 times a number of order one: for ReLU, where it is
 * known exactly, 3 prod(1 + 5/n) - 3 - 15 (l-1)/n = (Delta^2 / 6)(1 - 1/(l-1)) + O(1/n^3), so the
 * allowance Delta^2 / 2 is three times ReLU's. The Bayesian shift is itself O(1/n); its remainder
 * is smaller by one more power of the expansion parameter, allowed as |shift| Delta (measured for
 * ReLU at l = 3: 10% of the shift at n = 64, 2.2% at n = 256, against Delta = 47% and 12%).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { gaussHermiteNormal } from '../src/core/special';
import { expectation, gaussianNodes, hermite2 } from '../src/deep/gaussian';
import { chiParallel, chiPerp, criticalPoint, criticality, fixedPoint, kernelFlow, universalityClass } from '../src/deep/criticality';
import { vertexRecursion } from '../src/deep/vertices';
import { metricMoments, sampleMetrics } from '../src/deep/metric-chain';
import { bruteForceShift, posteriorShift } from '../src/deep/bayes';
import { finiteWidthCorrelators } from '../src/exact/finite-width';
import { kernelOf } from '../src/exact/infinite-width';
import { ACTIVATION_REGISTRY, LEAKY_SLOPE } from '../src/nets/activations';
import { mlp, singleLayerNet } from '../src/nets/architectures';
import { measureCorrelators, correlatorsOf } from '../src/ensembles/correlators';
import { useBackend } from '../src/core/backend';

const Z = 4;
const CLI = path.join(__dirname, '..', 'bin', 'nnft.js');

describe('Gaussian brackets', () => {
  test.each([
    ['erf', [1.3, 0.4, 0.7]],
    ['relu', [0.8, -0.5, 1.9]],
  ] as const)('%s: <d1 d2 (s s)> by Hermite weights equals the closed-form derivative pair', (name, [k11, k12, k22]) => {
    const act = ACTIVATION_REGISTRY[name];
    const g = gaussianNodes([[k11, k12], [k12, k22]]);
    const F = g.z[0].map((u, i) => act.fn(u) * act.fn(g.z[1][i]));
    expect(Math.abs(expectation(g, F) - act.pair!(k11, k12, k22))).toBeLessThan(1e-12);
    expect(Math.abs(expectation(g, F, (i) => hermite2(g, 0, 1, i)) - act.derivativePair!(k11, k12, k22))).toBeLessThan(1e-11);
  });
  test('merged inputs are refused', () => {
    expect(() => gaussianNodes([[1, 1], [1, 1]])).toThrow(/merged/);
  });
});

/** Erf closed forms: g(K) = (2/pi) asin(2K/(1+2K)), g' = 4 / (pi (1+2K) sqrt(1+4K)), <erf'^2> = 4 / (pi sqrt(1+4K)). */
const erfG = (K: number) => (2 / Math.PI) * Math.asin((2 * K) / (1 + 2 * K));
const erfGp = (K: number) => 4 / (Math.PI * (1 + 2 * K) * Math.sqrt(1 + 4 * K));
/** Tanh by Gauss-Hermite with act'' (an independent route: chi_par = C_W <act'^2 + act act''>). */
function tanhRoute(K: number): { g: number; gp: number; perp: number } {
  const { nodes, weights } = gaussHermiteNormal(190);
  let g = 0;
  let gp = 0;
  let perp = 0;
  for (let i = 0; i < nodes.length; i++) {
    const z = Math.sqrt(K) * nodes[i];
    const t = Math.tanh(z);
    const d1 = 1 - t * t;
    const d2 = -2 * t * d1;
    g += weights[i] * t * t;
    gp += weights[i] * (d1 * d1 + t * d2);
    perp += weights[i] * d1 * d1;
  }
  return { g, gp, perp };
}

describe('criticality', () => {
  test.each([
    [0.1, 1.5],
    [0.3, 2.5],
    [1, 0.8],
  ])('erf at C_b = %p, C_W = %p: K*, chi_par, chi_perp to 1e-9 against the closed forms', (cb, cw) => {
    // Independent fixed point: Newton on the closed form.
    let K = 1;
    for (let i = 0; i < 100; i++) K -= (cb + cw * erfG(K) - K) / (cw * erfGp(K) - 1);
    const r = criticality({ activation: 'erf', cw, cb });
    expect(Math.abs(r.K_star! - K)).toBeLessThan(1e-9 * K);
    expect(Math.abs(r.chi_parallel! - cw * erfGp(K))).toBeLessThan(1e-9);
    expect(Math.abs(r.chi_perp! - (4 * cw) / (Math.PI * Math.sqrt(1 + 4 * K)))).toBeLessThan(1e-9);
    expect(r.stable).toBe(true);
  });
  test.each([
    [0.05, 1.2],
    [0.3, 2],
    [0.5, 0.7],
  ])('tanh at C_b = %p, C_W = %p: against Gauss-Hermite with tanh\'\'', (cb, cw) => {
    let K = 1;
    for (let i = 0; i < 200; i++) {
      const { g, gp } = tanhRoute(K);
      K -= (cb + cw * g - K) / (cw * gp - 1);
    }
    const { gp, perp } = tanhRoute(K);
    const r = criticality({ activation: 'tanh', cw, cb });
    expect(Math.abs(r.K_star! - K)).toBeLessThan(1e-9 * K);
    expect(Math.abs(r.chi_parallel! - cw * gp)).toBeLessThan(1e-9);
    expect(Math.abs(r.chi_perp! - cw * perp)).toBeLessThan(1e-9);
  });
  test('critical points and classes', () => {
    expect(criticalPoint('tanh')).toEqual({ cb: 0, cw: 1, K_star: 0 });
    expect(Math.abs(criticalPoint('erf')!.cw - Math.PI / 4)).toBeLessThan(1e-15);
    expect(criticalPoint('relu')).toEqual({ cb: 0, cw: 2, K_star: null });
    // GELU's half-stable critical point, as tabulated in PDLT section 5.3 (C_b = 0.17292239, C_W = 1.98305826, K* = 3.5615528)
    const gelu = criticalPoint('gelu')!;
    expect(Math.abs(gelu.cb - 0.17292239)).toBeLessThan(1e-7);
    expect(Math.abs(gelu.cw - 1.98305826)).toBeLessThan(1e-7);
    expect(Math.abs(gelu.K_star! - 3.5615528)).toBeLessThan(1e-6);
    const atGelu = criticality({ activation: 'gelu', cw: gelu.cw, cb: gelu.cb, k0: gelu.K_star! });
    expect(Math.abs(atGelu.chi_parallel! - 1)).toBeLessThan(1e-9);
    expect(Math.abs(atGelu.chi_perp! - 1)).toBeLessThan(1e-9);
    expect(Math.abs(criticalPoint('leaky_relu')!.cw - 2 / (1 + LEAKY_SLOPE ** 2))).toBeLessThan(1e-14);
    expect((['tanh', 'erf', 'sin'] as const).map((a) => universalityClass(a))).toEqual(['K*=0', 'K*=0', 'K*=0']);
    expect((['relu', 'leaky_relu', 'identity'] as const).map((a) => universalityClass(a))).toEqual(['scale-invariant', 'scale-invariant', 'scale-invariant']);
    expect((['sigmoid', 'softplus', 'cos'] as const).map((a) => universalityClass(a))).toEqual(['none', 'none', 'none']);
    expect(universalityClass('gelu')).toBe('nonzero K*');
    for (const [activation, cw] of [['tanh', 1], ['erf', Math.PI / 4], ['relu', 2]] as const) {
      const r = criticality({ activation, cw, cb: 0 });
      expect(r.critical).toBe(true);
      expect(Math.abs(r.chi_parallel! - 1)).toBeLessThan(1e-9);
      expect(Math.abs(r.chi_perp! - 1)).toBeLessThan(1e-9);
    }
    expect(criticality({ activation: 'tanh', cw: 1.05, cb: 0 }).critical).toBe(false);
    expect(criticality({ activation: 'relu', cw: 2.5, cb: 0 }).K_star).toBeNull();
  });
  test('power law at criticality (tanh: K ~ 1/(2l)), exponential off it (ratio chi_par(0))', () => {
    const K = kernelFlow('tanh', 1, 0, 1, 4000);
    // 2 l K(l) -> 1 with log(l)/l corrections: within 1% at l = 4000 and moving towards 1.
    expect(Math.abs(2 * 4000 * K[3999] - 1)).toBeLessThan(0.01);
    expect(Math.abs(2 * 4000 * K[3999] - 1)).toBeLessThan(Math.abs(2 * 400 * K[399] - 1));
    const off = kernelFlow('tanh', 0.8, 0, 1, 200);
    expect(Math.abs(off[199] / off[198] - chiParallel('tanh', 0.8, 0))).toBeLessThan(1e-6);
    expect(Math.abs(chiParallel('tanh', 0.8, 0) - 0.8)).toBeLessThan(1e-12);
    expect(Math.abs(chiPerp('relu', 2, 3) - 1)).toBeLessThan(1e-15);
    expect(fixedPoint('relu', 2, 0, 0.7)).toBe(0.7);
  });
  test('kernelFlow equals the independent infinite-width recursion of kernelOf (closed forms for erf and leaky ReLU, quadrature for tanh)', () => {
    for (const [activation, cw, cb] of [['erf', 1.5, 0.1], ['leaky_relu', 1.7, 0.2], ['tanh', 2, 0.05]] as const) {
      const flow = kernelFlow(activation, cw, cb, cb + cw * 0.49, 5); // K(1) at x = 0.7, D = 1
      for (let depth = 1; depth <= 4; depth++) {
        const K = kernelOf(mlp({ depth, width: 1, activation, sigmaW: Math.sqrt(cw), sigmaB: Math.sqrt(cb) }), [[0.7]]).nngp[0][0];
        // kernelOf integrates tanh by Gauss-Hermite of order 64 (about 1e-8 relative here)
        expect(Math.abs(flow[depth] / K - 1)).toBeLessThan(activation === 'tanh' ? 1e-7 : 1e-13);
      }
    }
  });
  test('bad input names the argument', () => {
    expect(() => criticality({ activation: 'tanh', cw: -1, cb: 0 })).toThrow(/criticality: cw must be/);
    expect(() => criticality({ activation: 'gauss', cw: 1, cb: 0 })).toThrow(/activation/);
  });
});

describe('vertex recursion', () => {
  const pairings = (() => {
    const out: number[][] = [];
    const rec = (rest: number[], acc: number[]) => {
      if (!rest.length) return void out.push(acc);
      const [a, ...r] = rest;
      r.forEach((b, i) => rec(r.filter((_, j) => j !== i), [...acc, a, b]));
    };
    rec([0, 1, 2, 3, 4, 5], []);
    return out;
  })();
  test.each(['erf', 'relu', 'tanh'] as const)('%s: layer 2 equals the exact single-layer G4c and G6c (two inputs)', (act) => {
    const n = 50;
    const inputs = [[0.7], [-1.3]];
    const exact = finiteWidthCorrelators(singleLayerNet(act, { width: n, sigmaW: 1.3, sigmaB: 0.6 }), inputs, { order: 6, method: 'auto' });
    const r = vertexRecursion({ activation: act, cw: 1.69, cb: 0.36, width: n, layers: 2, inputs });
    const f = (t: number[]) => t.reduce((s, a) => s * 2 + a, 0);
    exact.G4c!.tuples.forEach((t, k) => {
      const [a, b, c, d] = t;
      const theory = (r.V4[1][f([a, b, c, d])] + r.V4[1][f([a, c, b, d])] + r.V4[1][f([a, d, b, c])]) / n;
      expect(Math.abs(theory - exact.G4c!.value[k])).toBeLessThan(1e-9 * Math.abs(exact.G4c!.value[k]));
    });
    exact.G6c!.tuples.forEach((t, k) => {
      const theory = pairings.reduce((s, p) => s + r.V6[1][f(p.map((i) => t[i]))], 0) / n ** 2;
      expect(Math.abs(theory - exact.G6c!.value[k])).toBeLessThan(1e-8 * Math.abs(exact.G6c!.value[k]));
    });
  });
  test('ReLU at criticality: V4 = 5 (l-1) K^2 and V6 = (44 (l-1) + 75 (l-1)(l-2)) K^3, the 1/n and 1/n^2 terms of the exact product of chi-square factors', () => {
    // G^(l) = K prod_{l'<l} X, X = (2/n) sum_j relu(u_j)^2: E[X] = 1, E[X^2] = 1 + 5/n, E[X^3] = 1 + 15/n + 44/n^2,
    // so n Var(G^) -> 5 k K^2 and n^2 kappa_3(G^) -> (44 k + 150 k(k-1)/2) K^3 with k = l - 1.
    const r = vertexRecursion({ activation: 'relu', cw: 2, cb: 0, width: 64, layers: 8, inputs: [[1.5]] });
    const K = 2 * 1.5 ** 2;
    r.V4.forEach((v, l) => expect(Math.abs(v[0] - 5 * l * K * K)).toBeLessThan(1e-12 * K * K * (1 + l)));
    r.V6.forEach((v, l) => expect(Math.abs(v[0] - (44 * l + 75 * l * (l - 1)) * K ** 3)).toBeLessThan(1e-11 * K ** 3 * (1 + l * l)));
    r.kurtosis.forEach((k, l) => expect(Math.abs(k[0] - (3 + (15 * l) / 64))).toBeLessThan(1e-12));
  });
  test.each([
    ['relu', 2, 0],
    ['tanh', 1, 0],
    ['tanh', 1.5, 0.1],
  ] as const)('%s (C_W %p, C_b %p): Monte Carlo of the metric chain at n = 16..256, l <= 8 agrees within errors + O(1/n^2)', (act, cw, cb) => {
    for (const [n, L] of [[16, 3], [64, 8], [256, 8], [256, 4]]) {
      const r = vertexRecursion({ activation: act, cw, cb, width: n, layers: L, inputs: [[1]] });
      const mc = metricMoments(sampleMetrics({ activation: act, cw, cb, width: n, layers: L, inputs: [[1]], nets: 40000, seed: n + L }));
      const k1 = r.kurtosis[L - 1][0];
      const est = mc.kurtosis[0];
      expect(Math.abs(est.value - k1)).toBeLessThan(Z * est.stdErr + (k1 - 3) ** 2 / 2);
      if (act === 'relu') {
        // The exact kurtosis: only the Monte Carlo error.
        expect(Math.abs(est.value - 3 * (1 + 5 / n) ** (L - 1))).toBeLessThan(Z * est.stdErr);
        // ... and the truncation really misses it where L/n is not small (the test can fail).
        if (n === 16) expect(Math.abs(est.value - k1)).toBeGreaterThan(Z * est.stdErr);
      }
      expect(Math.abs(mc.G[0].value - r.K[L - 1][0])).toBeLessThan(Z * mc.G[0].stdErr + (5 * r.K[L - 1][0] * L) / n ** 1);
    }
  });
  test('critical tanh: V6 of the metric chain at n = 256, l = 5 equals the recursion, whose V4-V4 chain term (about half of V6 there) is needed', () => {
    const r = vertexRecursion({ activation: 'tanh', cw: 1, cb: 0, width: 256, layers: 5, inputs: [[1]] });
    const mc = metricMoments(sampleMetrics({ activation: 'tanh', cw: 1, cb: 0, width: 256, layers: 5, inputs: [[1]], nets: 100000, seed: 5, progress: false }));
    const delta = r.kurtosis[4][0] - 3;
    const e = mc.V6[0];
    expect(Math.abs(e.value - r.V6[4][0])).toBeLessThan(Z * e.stdErr + Math.abs(r.V6[4][0]) * delta);
    // Without the chain terms (single input: 3 C_W chi^2 V4^2 g'' per layer, carried by chi^3 = 1) V6 would be ~0.031,
    // many standard errors away: the Monte Carlo resolves the chain.
    expect(e.stdErr).toBeLessThan(0.25 * 0.0106);
  });
  test('two inputs: n Cov(G^) of the metric chain approaches V4 (n = 256, l = 4)', () => {
    const inputs = [[1], [-0.4]];
    const r = vertexRecursion({ activation: 'tanh', cw: 1.5, cb: 0.1, width: 256, layers: 4, inputs });
    const mc = metricMoments(sampleMetrics({ activation: 'tanh', cw: 1.5, cb: 0.1, width: 256, layers: 4, inputs, nets: 40000, seed: 3 }));
    mc.V4.forEach((e, k) => expect(Math.abs(e.value - r.V4[3][k])).toBeLessThan(Z * e.stdErr + (Math.abs(r.V4[3][k]) * 4 * 4) / 256));
  });
  test('bad input', () => {
    expect(() => vertexRecursion({ activation: 'relu', cw: 2, cb: 0, width: 8, layers: 3, inputs: [[1], [2], [3]] })).toThrow(/vertexRecursion: inputs must be one or two/);
    expect(() => vertexRecursion({ activation: 'relu', cw: 2, cb: 0, width: 0, layers: 3, inputs: [[1]] })).toThrow(/width/);
  });
});

describe('metric chain and Bayesian shift', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  test('the metric chain has the law of the weight-by-weight ensemble (G2, G4c at two inputs, tanh, depth 2, n = 16)', async () => {
    const inputs = [[0.8], [-0.3]];
    const net = mlp({ depth: 2, width: 16, activation: 'tanh', sigmaW: Math.sqrt(1.5), sigmaB: Math.sqrt(0.2) });
    const full = correlatorsOf(await measureCorrelators(net, inputs, { order: 4, nets: 20000, seed: 9 }));
    const chain = metricMoments(sampleMetrics({ activation: 'tanh', cw: 1.5, cb: 0.2, width: 16, layers: 3, inputs, nets: 20000, seed: 9 }));
    const f = (t: readonly number[]) => t.reduce((s, a) => s * 2 + a, 0);
    full.G2.tuples.forEach((t, k) => {
      const c = chain.G[f(t)];
      expect(Math.abs(full.G2.value[k] - c.value)).toBeLessThan(Z * Math.hypot(full.G2.stdErr[k], c.stdErr));
    });
    full.G4c!.tuples.forEach((t, k) => {
      const [a, b, c, d] = t;
      const pick = (x: number[]) => chain.V4[f(x)];
      const sum = [pick([a, b, c, d]), pick([a, c, b, d]), pick([a, d, b, c])];
      const value = sum.reduce((s, e) => s + e.value, 0) / 16;
      const err = sum.reduce((s, e) => s + e.stdErr, 0) / 16;
      expect(Math.abs(full.G4c!.value[k] - value)).toBeLessThan(Z * Math.hypot(full.G4c!.stdErr[k], err));
    });
  }, 120_000);
  test.each([
    ['relu', 2, 0, 64, 7, 40000],
    ['tanh', 1, 0, 32, 7, 20000],
  ] as const)('deep %s nets drawn weight by weight (C_W %p, C_b %p, n = %p, %p hidden layers, so l = 8): G2 and the kurtosis against the recursion within errors + O(1/n^2)', async (activation, cw, cb, n, depth, nets) => {
    const net = mlp({ depth, width: n, activation, sigmaW: Math.sqrt(cw), sigmaB: Math.sqrt(cb) });
    const mc = correlatorsOf(await measureCorrelators(net, [[1]], { order: 4, nets, seed: 11, progress: false }));
    const r = vertexRecursion({ activation, cw, cb, width: n, layers: depth + 1, inputs: [[1]] });
    const K = r.K[depth][0];
    const G2 = mc.G2.value[0];
    const G4c = mc.G4c!.value[0];
    // kurtosis 3 + G4c / G2^2, its error from G4c's (G2's relative error is far smaller)
    const kurt = 3 + G4c / G2 ** 2;
    const kurtErr = mc.G4c!.stdErr[0] / G2 ** 2;
    const k1 = r.kurtosis[depth][0];
    expect(mc.G4c!.tail!.reliable).toBe(true);
    expect(Math.abs(kurt - k1)).toBeLessThan(Z * kurtErr + (k1 - 3) ** 2 / 2);
    if (activation === 'relu') {
      expect(Math.abs(G2 - K)).toBeLessThan(Z * mc.G2.stdErr[0]); // exact at every width
      expect(Math.abs(kurt - 3 * (1 + 5 / n) ** depth)).toBeLessThan(Z * kurtErr);
    } else {
      expect(Math.abs(G2 - K)).toBeLessThan(Z * mc.G2.stdErr[0] + (K * (k1 - 3)) / 3);
    }
  }, 120_000);
  test.each([
    ['tanh', 1.5, 0.1, 32, [[1], [0.4]]],
    // ReLU at C_b = 0: inputs on one line are perfectly (anti)correlated, so two directions
    ['relu', 2, 0, 64, [[1, 0], [0.6, 0.8]]],
  ] as const)('%s: the 1/n posterior shift of a second output neuron against importance-weighted brute force', (act, cw, cb, n, inputs) => {
    const L = 3;
    const r = vertexRecursion({ activation: act, cw, cb, width: n, layers: L, inputs });
    const K = r.K[L - 1];
    const y = [2 * Math.sqrt(K[0])];
    const theory = posteriorShift(K, r.V4[L - 1], n, [0], y);
    // The remainder is O(1/n) relative to the shift: measured by the first-order excess kurtosis.
    const delta = Math.max(...r.kurtosis[L - 1]) - 3;
    // One training point, b = b' = it: the slides' (y^2 - G) V / (2 n G^2).
    expect(Math.abs(theory[0][0] - ((y[0] ** 2 - K[0]) * r.V4[L - 1][0]) / (2 * n * K[0] ** 2))).toBeLessThan(1e-15);
    const bf = bruteForceShift(sampleMetrics({ activation: act, cw, cb, width: n, layers: L, inputs, nets: 100000, seed: 4 }), [0], y);
    expect(bf.weights.reliable).toBe(true);
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < 2; c++) {
        const e = bf.shift[b][c];
        expect(Math.abs(e.value - theory[b][c])).toBeLessThan(Z * e.stdErr + Math.abs(theory[b][c]) * delta);
        expect(Math.abs(e.value)).toBeGreaterThan(Z * e.stdErr); // a real effect, not noise
      }
    }
  }, 60_000);
});

describe('CLI', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  test('nnft criticality --json', () => {
    const p = run(['criticality', '--activation', 'erf', '--cw', String(Math.PI / 4), '--cb', '0', '--layers', '3', '--json']);
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out.K_star).toBe(0);
    expect(out.critical).toBe(true);
    expect(out.K.length).toBe(3);
    expect(out.K[0]).toBe(1);
    expect(Math.abs(out.K[1] - (Math.PI / 4) * erfG(1))).toBeLessThan(1e-15);
  });
  test('nnft correlators --arch mlp --depth 2: the same JSON as single-layer nets, G2 = K(1) for critical ReLU', () => {
    const p = run(['correlators', '--arch', 'mlp', '--depth', '2', '--activation', 'relu', '--width', '16', '--sigma-w', String(Math.SQRT2), '--sigma-b', '0', '--inputs', '1;-0.5', '--nets', '20000', '--json']);
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    for (const key of ['inputs', 'width', 'method', 'nets', 'G2', 'G4c', 'stderr', 'diagnostics', 'warnings']) expect(out).toHaveProperty(key);
    // ReLU at C_b = 0, C_W = 2: E[G^] = K(1) = 2 x x' exactly at every width and depth
    expect(Math.abs(out.G2[0][0] - 2)).toBeLessThan(Z * out.stderr.G2[0][0]);
    expect(Math.abs(out.G2[1][1] - 0.5)).toBeLessThan(Z * out.stderr.G2[1][1]);
  });
  test('nnft vertex --json: one input numbers, two inputs nested', () => {
    const one = JSON.parse(run(['vertex', '--activation', 'relu', '--cw', '2', '--cb', '0', '--width', '64', '--layers', '3', '--inputs', '1', '--json']).stdout);
    expect(one.V4.length).toBe(3);
    expect(Math.abs(one.V4[2] - 40)).toBeLessThan(1e-12);
    expect(Math.abs(one.kurtosis[2] - (3 + 30 / 64))).toBeLessThan(1e-12);
    const two = JSON.parse(run(['vertex', '--activation', 'tanh', '--cw', '1', '--cb', '0.2', '--width', '64', '--layers', '2', '--inputs', '1;0.5', '--json']).stdout);
    expect(two.V4[1][0][1][1][0]).toBeCloseTo(two.V4[1][1][0][0][1], 14);
    expect(two.V6[1].length).toBe(2);
    expect(two.kurtosis[1].length).toBe(2);
  });
  test.each([
    [['criticality', '--activation', 'tanh', '--cw', '-1', '--cb', '0'], /--cw must be/],
    [['criticality', '--activation', 'gauss', '--cw', '1', '--cb', '0'], /--activation must be/],
    [['vertex', '--activation', 'relu', '--cw', '2', '--cb', '0', '--width', '8', '--layers', '3', '--inputs', '1;2;3'], /--inputs must be one or two/],
    [['vertex', '--activation', 'relu', '--cw', '2', '--cb', '0', '--width', '8', '--layers', '3', '--inputs', '0'], /positive first-layer variance/],
    [['correlators', '--arch', 'mlp', '--depth', '2', '--activation', 'relu', '--width', '8', '--inputs', '1', '--method', 'exact'], /--method must be mc for --arch mlp/],
    [['correlators', '--arch', 'erf', '--depth', '2', '--width', '8', '--inputs', '1'], /--depth applies to --arch mlp only/],
  ])('exit 2 naming the flag: %p', (args, message) => {
    const p = run(args as string[]);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(message);
  });
});
